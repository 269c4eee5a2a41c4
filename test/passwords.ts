/** The password of every person the tests create (test/fixtures.ts). */
export const TEST_PASSWORD = 'Test2026pass';
