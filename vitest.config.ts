import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { recordLogLine } from './test/log-secrets.ts';

// Node runs our sources on graphql's CommonJS build, as Apollo does; Vite would pick the ESM one,
// and a schema from one build fails `instanceof` checks in the other. Tests use Node's choice.
const resolve = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };
// The services' log lines through the console, for the scan below (test/log-setup.ts).
const setupFiles = ['test/log-setup.ts'];
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

/**
 * Two projects, by where a test lives. `unit`: the *.test.ts beside the code in lib/, gateway/,
 * subgraphs/ and schema/ — one process, no database, no network, no child process (test/unit-setup.ts fails a
 * test that tries); seconds. `e2e`: test/ — real services, PostgreSQL (the template database of
 * test/global-setup.ts, made for this project only), NATS, Redis, child processes; minutes.
 * `npm test` runs both, `npm run test:unit` / `test:e2e` one (README.md, "Tests").
 */
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'gateway/**/*.test.ts', 'subgraphs/**/*.test.ts', 'schema/**/*.test.ts'],
          setupFiles: [...setupFiles, 'test/unit-setup.ts'],
          ...timeouts,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles,
          ...timeouts,
        },
      },
    ],
    // Each e2e file starts its own graph (five HTTP servers) on its own database; two cores, two at a time.
    maxWorkers: 2,
    // Every line any service logs during the run, in either project, is searched for tokens and
    // passwords; the global teardown (test/log-leaks.ts) fails the run on a find. Lines are still printed as usual.
    globalSetup: ['test/log-leaks.ts'],
    onConsoleLog(log, _type, entity) {
      recordLogLine(log, !entity ? 'outside a test file' : entity.type === 'module' ? entity.moduleId : entity.module.moduleId);
    },
  },
});
