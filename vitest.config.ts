import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'subgraphs/**/*.test.ts', 'lib/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each file starts its own graph (five HTTP servers) on its own database; two cores, two at a time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
