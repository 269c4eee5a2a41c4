import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatewayConfig } from '../gateway/config.ts';
import { identityConfig } from '../subgraphs/identity/config.ts';
import { notificationsConfig } from '../subgraphs/notifications/config.ts';
import { profileConfig } from '../subgraphs/profile/config.ts';
import { ConfigError, readConfig, type EnvReader } from './config.ts';
import { subgraphConfig } from './service.ts';

/** What `read` refuses in `env`: each problem, `NAME: what is wrong; accepts …`. */
function refused(env: Record<string, string>, read: (env: EnvReader) => unknown): string[] {
  try {
    readConfig(env, read);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const SECRET = { GATEWAY_SECRET: 's'.repeat(32) };

describe('EnvReader: one typed reader per kind of value', () => {
  it('integer: a whole number within its range, else refused with the range; unset or empty is the default', () => {
    const port = (value: string | undefined) => readConfig(value === undefined ? {} : { PORT: value }, (env) => env.port('PORT', 4001));
    expect([port(undefined), port(''), port(' 8080 '), port('0'), port('65535')]).toEqual([4001, 4001, 8080, 0, 65535]);
    for (const value of ['abc', '70000', '-1', '80.5', '1e3', '0x50']) {
      expect(refused({ PORT: value }, (env) => env.port('PORT', 4001))).toEqual([`PORT: "${value}" is not accepted; accepts a whole number from 0 to 65535`]);
    }
  });

  it('duration: milliseconds, at least 1 unless told', () => {
    expect(readConfig({ T: '250' }, (env) => env.duration('T', 10))).toBe(250);
    expect(refused({ T: '0' }, (env) => env.duration('T', 10))).toEqual(['T: "0" is not accepted; accepts a whole number of milliseconds from 1 to 86400000']);
    expect(refused({ T: '10s' }, (env) => env.duration('T', 10, { min: 100, max: 1000 }))).toEqual(['T: "10s" is not accepted; accepts a whole number of milliseconds from 100 to 1000']);
  });

  it('url: absolute, of the protocols allowed; the value is never quoted (it may hold a password)', () => {
    expect(readConfig({ U: 'postgres://u:p@db:5432/x' }, (env) => env.url('U', ['postgres:']))).toBe('postgres://u:p@db:5432/x');
    expect(readConfig({}, (env) => env.url('U', ['https:'], 'https://default.example/'))).toBe('https://default.example/');
    expect(refused({ U: 'not-a-url' }, (env) => env.url('U', ['postgres:', 'postgresql:']))).toEqual(['U: not such a URL; accepts an absolute postgres:// or postgresql:// URL']);
    expect(refused({ U: 'mysql://root:hunter2@db/x' }, (env) => env.url('U', ['postgres:']))).toEqual(['U: not such a URL; accepts an absolute postgres:// URL']);
  });

  it('oneOf, flag (true/false only) and list', () => {
    expect(readConfig({ B: 'nats' }, (env) => env.oneOf('B', ['postgres', 'nats'], 'postgres'))).toBe('nats');
    expect(refused({ B: 'kafka' }, (env) => env.oneOf('B', ['postgres', 'nats'], 'postgres'))).toEqual(['B: "kafka" is not accepted; accepts one of postgres, nats']);
    expect([readConfig({ F: 'true' }, (env) => env.flag('F')), readConfig({ F: 'false' }, (env) => env.flag('F', true)), readConfig({}, (env) => env.flag('F'))]).toEqual([true, false, false]);
    for (const value of ['1', 'yes', 'TRUE']) expect(refused({ F: value }, (env) => env.flag('F'))).toEqual([`F: "${value}" is not accepted; accepts true or false`]);
    expect(readConfig({ L: ' a, b ,,c ' }, (env) => env.list('L'))).toEqual(['a', 'b', 'c']);
    expect(readConfig({}, (env) => env.list('L'))).toBeUndefined();
  });

  it('secret: 32+ characters, its value never in the problem', () => {
    expect(readConfig({ S: 'x'.repeat(32) }, (env) => env.secret('S', { required: 'why' }))).toBe('x'.repeat(32));
    expect(readConfig({}, (env) => env.secret('S', { required: false }))).toBe('');
    expect(refused({}, (env) => env.secret('S', { required: 'it signs things' }))).toEqual(['S: not set; accepts 32+ random characters, it signs things']);
    const problems = refused({ S: 'hunter2-hunter2' }, (env) => env.secret('S', { required: false }));
    expect(problems).toEqual(['S: too short (15 characters); accepts 32+ random characters']);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('file: a readable file, not a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'epgu-config-'));
    const file = join(dir, 'bundle.pem');
    writeFileSync(file, 'x');
    expect(readConfig({ F: file }, (env) => env.file('F'))).toBe(file);
    expect(refused({ F: dir }, (env) => env.file('F'))).toEqual([`F: "${dir}" is not a readable file; accepts the path of a readable file`]);
    expect(refused({ F: join(dir, 'missing') }, (env) => env.file('F'))).toEqual([`F: "${join(dir, 'missing')}" is not a readable file; accepts the path of a readable file`]);
  });

  it('NODE_ENV is one of development, test, production; every problem of a configuration comes at once', () => {
    expect(readConfig({ NODE_ENV: 'production' }, (env) => env.production)).toBe(true);
    expect(() => readConfig({ NODE_ENV: 'prod', PORT: 'x' }, (env) => env.port('PORT', 1))).toThrow(
      new ConfigError(['NODE_ENV: "prod" is not accepted; accepts one of development, test, production', 'PORT: "x" is not accepted; accepts a whole number from 0 to 65535'], ['NODE_ENV', 'PORT']),
    );
  });
});

describe("Each service's configuration", () => {
  it('the gateway: defaults in development, every variable typed', () => {
    const config = readConfig(SECRET, gatewayConfig);
    expect(config).toMatchObject({
      production: false,
      port: 4000,
      host: undefined,
      subgraphTimeoutMs: 10_000,
      mergeFetches: true,
      sessionCheckTtlMs: 5_000,
      workers: 1,
      dedupeOperations: true,
      subgraphUrls: { identity: 'http://127.0.0.1:4001/graphql', appeals: 'http://127.0.0.1:4004/graphql' },
      subgraphWsUrls: { notifications: 'ws://127.0.0.1:4003/graphql' },
      jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
      corsOrigins: expect.arrayContaining(['https://studio.apollographql.com']),
    });
    expect(config.trustedProxies('10.0.0.5')).toBe(false);
    expect(readConfig({ ...SECRET, TRUST_PROXY: '10.0.0.0/8', NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'false', GATEWAY_WORKERS: '2' }, gatewayConfig)).toMatchObject({ corsOrigins: [], workers: 2 });
    expect(readConfig({ ...SECRET, TRUST_PROXY: '10.0.0.0/8' }, gatewayConfig).trustedProxies('10.1.2.3')).toBe(true);
    expect(readConfig({ ...SECRET, GATEWAY_DEDUPE_OPERATIONS: 'false' }, gatewayConfig).dedupeOperations).toBe(false);
    expect(readConfig({ ...SECRET, GATEWAY_MERGE_FETCHES: 'false' }, gatewayConfig).mergeFetches).toBe(false);
  });

  it('the gateway refuses each trap, naming the variable', () => {
    expect(refused({ ...SECRET, SUBGRAPH_TIMEOUT_MS: 'abc' }, gatewayConfig)).toEqual(['SUBGRAPH_TIMEOUT_MS: "abc" is not accepted; accepts a whole number of milliseconds from 100 to 300000']);
    expect(refused({ ...SECRET, TRUST_PROXY: '1' }, gatewayConfig)).toEqual([expect.stringMatching(/^TRUST_PROXY must be a comma-separated list .*; got "1"$/)]);
    expect(refused({ ...SECRET, GATEWAY_WORKERS: 'many' }, gatewayConfig)).toEqual(['GATEWAY_WORKERS must be a whole number from 1, or auto (got "many")']);
    expect(refused({ ...SECRET, GATEWAY_DEDUPE_OPERATIONS: 'off' }, gatewayConfig)).toEqual(['GATEWAY_DEDUPE_OPERATIONS: "off" is not accepted; accepts true or false']);
    expect(refused({ ...SECRET, GATEWAY_MERGE_FETCHES: 'no' }, gatewayConfig)).toEqual(['GATEWAY_MERGE_FETCHES: "no" is not accepted; accepts true or false']);
    expect(refused({ ...SECRET, RATE_LIMIT_PER_ADDRESS: '-3' }, gatewayConfig)).toEqual(['RATE_LIMIT_PER_ADDRESS must be a whole number ≥ 0, got "-3"']);
    expect(refused({ ...SECRET, IDENTITY_URL: 'identity:4001', NOTIFICATIONS_WS_URL: 'http://n/graphql', REDIS_URL: 'localhost:6379' }, gatewayConfig)).toEqual([
      'IDENTITY_URL: not such a URL; accepts an absolute http:// or https:// URL',
      'NOTIFICATIONS_WS_URL: not such a URL; accepts an absolute ws:// or wss:// URL',
      'REDIS_URL: not such a URL; accepts an absolute redis:// or rediss:// URL',
    ]);
    expect(refused({ ...SECRET, CORS_ORIGINS: 'https://portal.example.ru,https://portal.example.ru/app' }, gatewayConfig)).toEqual([
      'CORS_ORIGINS: "https://portal.example.ru/app" is not an origin; accepts a comma-separated list of origins, https://portal.example.ru',
    ]);
    expect(refused({ ...SECRET, LOG_LEVEL: 'verbose' }, gatewayConfig)).toEqual(['LOG_LEVEL: "verbose" is not accepted; accepts one of fatal, error, warn, info, debug, trace, silent']);
  });

  const database = { ...SECRET, DATABASE_URL: 'postgres://u@db:5432/epgu' };

  it('every subgraph: DATABASE_URL required, the event bus, DEMO_DATA true/false', () => {
    expect(readConfig(database, (env) => subgraphConfig(env, 'appeals'))).toMatchObject({ port: 4004, host: '127.0.0.1', databaseUrl: database.DATABASE_URL, eventBusUrl: database.DATABASE_URL, demoData: false });
    expect(refused(SECRET, (env) => subgraphConfig(env, 'appeals'))).toEqual(["DATABASE_URL: not set; accepts a postgres:// URL of the subgraph's database"]);
    expect(refused({ ...database, EVENT_BUS: 'kafka', NATS_URL: 'nats://a:4222,b:4222', DEMO_DATA: '1' }, (env) => subgraphConfig(env, 'appeals'))).toEqual([
      'EVENT_BUS: "kafka" is not accepted; accepts one of postgres, postgresql, nats',
      'NATS_URL: "b:4222" is not a nats:// URL; accepts a comma-separated list of nats://host:port URLs',
      'DEMO_DATA: "1" is not accepted; accepts true or false',
    ]);
  });

  it("identity's and profile's own: the letter's days, the CA bundle, the registers' delay", () => {
    expect(readConfig({ LETTER_DELIVERY_DAYS: '3' }, identityConfig).resolvers).toMatchObject({ letterDeliveryMs: 3 * 86_400_000, trustedRoots: [], portalUrl: 'http://localhost:3000' });
    expect(refused({ LETTER_DELIVERY_DAYS: 'abc' }, identityConfig)).toEqual(['LETTER_DELIVERY_DAYS: "abc" is not accepted; accepts a whole number of days from 1 to 90']);
    const dir = mkdtempSync(join(tmpdir(), 'epgu-config-'));
    writeFileSync(join(dir, 'empty.pem'), 'no certificate here');
    expect(refused({ TRUSTED_CA_BUNDLE: join(dir, 'empty.pem') }, identityConfig)).toEqual(['TRUSTED_CA_BUNDLE: The trusted roots bundle holds no PEM certificate']);
    expect(readConfig({}, profileConfig)).toEqual({ dataCheckDelayMs: 3000 });
    expect(refused({ DATA_CHECK_DELAY_MS: 'soon' }, profileConfig)).toEqual(['DATA_CHECK_DELAY_MS: "soon" is not accepted; accepts a whole number of milliseconds from 0 to 600000']);
  });

  it('notifications sends no letters, and in production wants push off (no provider yet)', () => {
    const providers = (adapters: Record<string, { provider: string }>) => Object.fromEntries(Object.entries(adapters).map(([channel, adapter]) => [channel, adapter.provider]));
    expect(providers(readConfig({}, notificationsConfig).adapters)).toEqual({ SMS: 'dev outbox', EMAIL: 'dev outbox', PUSH: 'dev outbox' });
    expect(refused({ NODE_ENV: 'production', CHANNELS_OFF: 'SMS,EMAIL' }, notificationsConfig)).toEqual([
      'CHANNELS_OFF: does not list PUSH in production, and no push provider is implemented yet; accepts a list with PUSH (DEV_OUTBOX=true prints pushes to the log instead, for a trial only)',
    ]);
    expect(providers(readConfig({ NODE_ENV: 'production', CHANNELS_OFF: 'SMS,EMAIL,PUSH' }, notificationsConfig).adapters)).toEqual({ SMS: 'off', EMAIL: 'off', PUSH: 'off' });
  });
});
