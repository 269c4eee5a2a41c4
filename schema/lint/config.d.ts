import type { Linter } from 'eslint';

/** The types of config.js, for the tests that lint with it (test/schema-lint.test.ts). */
export function schemaLint(files: string[], extended?: Record<string, string[]>): Linter.Config[];
