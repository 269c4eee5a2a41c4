import { DEMO_PASSWORD } from '../dev/demo-data.ts';
import { TEST_PASSWORD } from './passwords.ts';

/** In the text of every appeal test/fixtures.ts makes: found in a log, an appeal's text leaked. */
export const APPEAL_TEXT_CANARY = 'канарейка-текста-обращения';

/**
 * What must never appear in a log line of any service during the whole test run (vitest.config.ts
 * passes every console line of every test file here, the JSON lines of lib/log.ts included through
 * test/log-setup.ts; test/log-leaks.ts fails the run on a find). test/security/logs.test.ts
 * checks one flow's exact secrets; these are the shapes of all of them.
 */
const SECRET_SHAPES: Record<string, RegExp> = {
  'a JWT (access token, gateway credential or service token)': /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/,
  'a refresh token': /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.\d+\.[\w-]{20,}/i,
  'an Authorization header': /Bearer\s+[\w.-]{20,}/i,
  'the test password': new RegExp(TEST_PASSWORD),
  'the demo password': new RegExp(DEMO_PASSWORD),
  // drizzle's DrizzleQueryError message ("Failed query: …\nparams: …"), its `params` and postgres.js's `parameters` dumped.
  'SQL parameters': /Failed query:|\bparams: |\bparams\W{1,4}\[|\bparameters\W{1,4}\[/,
  'an appeal text of the tests': new RegExp(APPEAL_TEXT_CANARY),
  // A document's details as stored (JSON, escaped or not): the tests' passports, or any other.
  'a passport series and number': /series\W{1,8}\d{2} ?\d{2}\W{1,8}number\W{1,8}\d{6}/,
  'a SNILS number': /\b\d{3}-\d{3}-\d{3}[ -]\d{2}\b/,
};

/** The kinds of secret a log line holds (none for a clean line). */
export function secretsIn(line: string): string[] {
  return Object.entries(SECRET_SHAPES).flatMap(([kind, shape]) => (shape.test(line) ? [kind] : []));
}

export interface LogLeak {
  file: string;
  kinds: string[];
  /** The line cut short, its secret not repeated in full. */
  excerpt: string;
}

const LEAKS = Symbol.for('epgu-graph:log-leaks');
/** Leaks found in this run (shared by the config's console hook and the global teardown, one process). */
export const logLeaks = (): LogLeak[] => ((globalThis as Record<symbol, LogLeak[]>)[LEAKS] ??= []);

export function recordLogLine(line: string, file: string): void {
  const kinds = secretsIn(line);
  if (kinds.length) logLeaks().push({ file, kinds, excerpt: `${line.slice(0, 60)}…` });
}
