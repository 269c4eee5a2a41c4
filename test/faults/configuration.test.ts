import { spawn } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../database.ts';
import { withDatabase } from '../global-setup.ts';

/**
 * Issue 15, defect 9: a service reads its whole configuration once at start (lib/config.ts
 * `configOrExit`, gateway/config.ts, lib/service.ts `subgraphConfig`, subgraphs/<name>/config.ts),
 * and a bad variable stops it with exit 1 and ONE JSON line naming the variable, what is wrong and
 * what it accepts — before anything touches the database. Before, `SUBGRAPH_TIMEOUT_MS=abc` started
 * a gateway whose every subgraph call failed at once, `PORT=abc` or `DATABASE_URL=not-a-url` gave raw
 * errors, `LETTER_DELIVERY_DAYS=abc` was taken, and the secret checks ran after the migrations.
 *
 * Each case spawns the real process (in parallel: a tsx start costs a second or two) with the
 * subgraphs' DATABASE_URL on a fresh, EMPTY database: afterwards it must still hold no schema.
 * Defect 10: production starts without DEV_OUTBOX once every channel has a provider or is off.
 */
const SECRET = 'a-gateway-secret-of-at-least-32-characters';
const SIGNING = 'a-signing-key-secret-of-32-characters-or-more';

let empty: { url: string; schemas(): Promise<string[]>; drop(): Promise<void> };
beforeAll(async () => {
  const { serverUrl } = inject('testDatabase');
  const name = `epgu_config_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  // template0: no schema of ours, unlike the migrated template the other tests copy.
  await admin.unsafe(`create database "${name}" template template0`);
  const url = withDatabase(serverUrl, name);
  empty = {
    url,
    schemas: async () => {
      const db = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const rows = await db`select schema_name from information_schema.schemata where schema_name not in ('public', 'information_schema') and schema_name not like 'pg\_%'`;
        return rows.map((row) => row.schema_name as string);
      } finally {
        await db.end();
      }
    },
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
});
afterAll(() => empty?.drop());

type Service = 'gateway' | 'identity' | 'profile' | 'notifications' | 'appeals';
const entry = (service: Service) => (service === 'gateway' ? 'gateway/index.ts' : `subgraphs/${service}/index.ts`);

/**
 * Runs the service with `env` over a clean environment (only PATH and the defaults below); resolves
 * when it exits, is killed at 50 s (13 tsx starts share the cores), or (with `untilReady`) has logged `ready`, then stopped.
 */
function start(service: Service, env: Record<string, string | undefined>, untilReady = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: Record<string, string> = { PATH: process.env.PATH!, NODE_ENV: 'development', GATEWAY_SECRET: SECRET, DATABASE_URL: 'EMPTY', LOG_LEVEL: 'info' };
  const merged = Object.fromEntries(Object.entries({ ...base, ...env }).filter((pair): pair is [string, string] => pair[1] !== undefined));
  if (merged.DATABASE_URL === 'EMPTY') merged.DATABASE_URL = empty.url;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry(service)], { env: merged, timeout: 50_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (untilReady && /"msg":"ready"/.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const production = { NODE_ENV: 'production', SIGNING_KEY_SECRET: SIGNING, CHANNELS_OFF: 'SMS,EMAIL,POST,PUSH' };

/** [service, the trap, its environment, the variables the one line names, text the line must not hold]. */
const TRAPS: [Service, string, Record<string, string | undefined>, string[], string?][] = [
  ['gateway', 'SUBGRAPH_TIMEOUT_MS=abc', { SUBGRAPH_TIMEOUT_MS: 'abc' }, ['SUBGRAPH_TIMEOUT_MS']],
  ['gateway', 'PORT=abc', { PORT: 'abc' }, ['PORT']],
  ['gateway', 'PORT=70000', { PORT: '70000' }, ['PORT']],
  ['gateway', 'TRUST_PROXY=1 (one hop, not an address)', { TRUST_PROXY: '1' }, ['TRUST_PROXY']],
  ['gateway', 'a short GATEWAY_SECRET, never echoed', { GATEWAY_SECRET: 'short-secret-value' }, ['GATEWAY_SECRET'], 'short-secret-value'],
  ['gateway', 'several at once, in the same one line', { PORT: 'abc', SUBGRAPH_TIMEOUT_MS: '-5', CORS_ORIGINS: 'portal.example.ru' }, ['PORT', 'CORS_ORIGINS', 'SUBGRAPH_TIMEOUT_MS']],
  ['gateway', "production without the cabinet's manifest (trusted documents)", { NODE_ENV: 'production', TRUSTED_DOCUMENTS_PATH: '/nowhere/persisted-documents.json' }, ['TRUSTED_DOCUMENTS_PATH']],
  ['profile', 'DATABASE_URL=not-a-url', { DATABASE_URL: 'not-a-url' }, ['DATABASE_URL']],
  ['profile', 'DATA_CHECK_DELAY_MS=soon', { DATA_CHECK_DELAY_MS: 'soon' }, ['DATA_CHECK_DELAY_MS']],
  ['identity', 'LETTER_DELIVERY_DAYS=abc', { LETTER_DELIVERY_DAYS: 'abc' }, ['LETTER_DELIVERY_DAYS']],
  ['identity', 'production without SIGNING_KEY_SECRET', { ...production, SIGNING_KEY_SECRET: undefined }, ['SIGNING_KEY_SECRET']],
  ['identity', 'production without an SMS, e-mail or letter choice', { ...production, CHANNELS_OFF: undefined }, ['SMS_GATEWAY_URL', 'SMTP_URL', 'LETTER_PROVIDER_URL']],
  ['notifications', 'production without a push choice', { ...production, CHANNELS_OFF: 'SMS,EMAIL' }, ['CHANNELS_OFF']],
  ['appeals', 'DEMO_DATA=yes, SESSION_CHECK_TTL_MS=5s', { DEMO_DATA: 'yes', SESSION_CHECK_TTL_MS: '5s' }, ['SESSION_CHECK_TTL_MS', 'DEMO_DATA']],
];

describe('A bad variable stops the service at start, in one line, before the database', () => {
  // Guards lib/config.ts configOrExit (one fatal line, exit 1), lib/service.ts runSubgraph (configuration read before migrateSubgraph) and gateway/index.ts.
  it('for each service and each trap', { timeout: 100_000 }, async () => {
    const runs = await Promise.all(TRAPS.map(([service, , env]) => start(service, env)));
    const seen = runs.map((run, i) => {
      const [service, trap, , , secret] = TRAPS[i]!;
      const lines = run.stdout.trim().split('\n');
      const line = (() => {
        try {
          return JSON.parse(lines[0]!) as { level?: string; service?: string; variables?: string[]; msg?: string };
        } catch {
          return { msg: run.stdout + run.stderr };
        }
      })();
      return {
        trap: `${service}: ${trap}`,
        code: run.code,
        lines: lines.length,
        stderr: run.stderr.trim(),
        level: line.level,
        service: line.service,
        variables: line.variables?.toSorted(),
        // Each variable named with what it accepts; a secret's value never.
        says: TRAPS[i]![3].every((name) => new RegExp(`${name}[^;]*; accepts |${name} must be`).test(line.msg ?? '')),
        echoes: secret ? (line.msg ?? '').includes(secret) : false,
      };
    });
    expect(seen).toEqual(
      TRAPS.map(([service, trap, , variables]) => ({ trap: `${service}: ${trap}`, code: 1, lines: 1, stderr: '', level: 'fatal', service, variables: variables.toSorted(), says: true, echoes: false })),
    );
    // Nothing migrated: the subgraphs stopped before they touched their database.
    expect(await empty.schemas()).toEqual([]);
  });

  // Guards lib/delivery.ts messageSender and subgraphs/notifications/push.ts pushSender (defect 10):
  // before, both refused production without DEV_OUTBOX=true (no postal provider, no push provider).
  it('production starts without DEV_OUTBOX once every channel has a provider or is off', { timeout: 40_000 }, async () => {
    const database = await createTestDatabase();
    try {
      const channels = {
        CHANNELS_OFF: 'SMS,PUSH',
        SMTP_URL: 'smtp://127.0.0.1:1',
        SMTP_FROM: 'no-reply@gosuslugi.example',
        LETTER_PROVIDER_URL: 'https://letters.example/v1/letters',
        LETTER_PROVIDER_TOKEN: 'letter-token',
      };
      const runs = await Promise.all((['identity', 'notifications'] as const).map((service) => start(service, { ...production, ...channels, DATABASE_URL: database.url, PORT: '0' }, true)));
      expect(runs.map((run) => ({ ready: /"msg":"ready"/.test(run.stdout), refused: /configuration refused|DEV_OUTBOX/.test(run.stdout + run.stderr) }))).toEqual([
        { ready: true, refused: false },
        { ready: true, refused: false },
      ]);
    } finally {
      await database.drop();
    }
  });
});
