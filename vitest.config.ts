import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { recordLogLine } from './test/log-secrets.ts';

export default defineConfig({
  resolve: {
    // Node runs our sources on graphql's CommonJS build, as Apollo does; Vite would pick the ESM one,
    // and a schema from one build fails `instanceof` checks in the other. Tests use Node's choice.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'subgraphs/**/*.test.ts', 'lib/**/*.test.ts', 'gateway/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The services' log lines through the console, for the scan below (test/log-setup.ts).
    setupFiles: ['test/log-setup.ts'],
    // Each file starts its own graph (five HTTP servers) on its own database; two cores, two at a time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every line any service logs during the run is searched for tokens and passwords; the global
    // teardown (test/global-setup.ts) fails the run on a find. Lines are still printed as usual.
    onConsoleLog(log, _type, entity) {
      recordLogLine(log, !entity ? 'outside a test file' : entity.type === 'module' ? entity.moduleId : entity.module.moduleId);
    },
  },
});
