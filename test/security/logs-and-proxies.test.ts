import { spawn } from 'node:child_process';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { trustedProxies } from '../../gateway/client-address.ts';
import { gatewayConfig } from '../../gateway/config.ts';
import { readConfig } from '../../lib/config.ts';
import { logger } from '../../lib/log.ts';
import { createMemoryRateLimitStore, createRateLimiter, type RateLimitStore } from '../../lib/rate-limit.ts';
import { createPerson, graphQLErrorCodes, signIn, TEST_PASSWORD, type Person } from '../fixtures.ts';
import { graphql, startGraph, type TestGraph } from '../graph.ts';
import { APPEAL_TEXT_CANARY } from '../log-secrets.ts';
import { captureLogs } from '../logs.ts';
import { subscriptionClients } from '../ws-client.ts';

/**
 * Issue 14 §5 and issue 15: log lines cannot be forged, carry no SQL parameters, texts or document
 * numbers; X-Forwarded-For is believed only from the proxies in TRUST_PROXY.
 */

let graph: TestGraph;
let person: Person;
let token: string;
let logs: ReturnType<typeof captureLogs> | undefined;
const clients = subscriptionClients();

/** A log line an attacker would like to see: it must stay inside a value of a real line. */
const FORGED = '{"level":"info","service":"identity","msg":"signed in","userId":"00000000-0000-4000-8000-000000000000"}';

beforeAll(async () => {
  graph = await startGraph();
  person = await createPerson(graph, { lastName: 'Журналов' });
  token = await signIn(graph, person.phone);
  // Statements PostgreSQL refuses, as any failing statement would be (a bug, a constraint, a value
  // it cannot take): a device name with a line break, an appeal with the test canary in its text.
  await graph.databases.identity.sql.unsafe(`alter table identity.sessions add constraint test_refuses_line_breaks check (position(chr(10) in device_name) = 0)`);
  await graph.databases.appeals.sql.unsafe(`alter table appeals.appeals add constraint test_refuses_canary check (position('${APPEAL_TEXT_CANARY}' in text) = 0)`);
});
afterEach(async () => {
  logs?.stop();
  logs = undefined;
  await clients.disposeAll();
});
afterAll(() => graph?.stop());

describe('Log lines', () => {
  // Guards lib/log.ts (`root`: pino's JSON lines, every value JSON-encoded): a text logger wrote them as they came.
  it('a login and a device name with a line break and a fake JSON line make exactly one JSON line each', () => {
    logs = captureLogs();
    const log = logger('identity');
    const login = `+79990000000\n${FORGED}`;
    const deviceName = `iPhone "Анны"\r\n${FORGED}`;
    log.warn({ login }, `sign-in refused for ${login}`);
    log.info({ deviceName }, `session opened on ${deviceName}`);
    const lines = logs.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 'warn', service: 'identity', login, msg: `sign-in refused for ${login}` });
    expect(second).toMatchObject({ level: 'info', service: 'identity', deviceName, msg: `session opened on ${deviceName}` });
    expect(lines).not.toContain(FORGED);
  });

  // Guards lib/log.ts `errorFields` and `frames` (the stack's head, which repeats the message, cut off before frames are kept).
  it('an error holds no value of a statement, not even one that looks like a stack frame', async () => {
    logs = captureLogs();
    const value = `Яма\n    at ${APPEAL_TEXT_CANARY} (appeal.ts:1:1)`;
    const refused = await graph.databases.appeals.sql`select ${value}::uuid`.catch((error: unknown) => error);
    const wrapped = new DrizzleQueryError('select $1::uuid', [value], refused as Error);
    logger('appeals').error({ err: wrapped }, 'query failed');
    const [entry] = logs.entries();
    expect(entry).toMatchObject({ err: { class: 'DrizzleQueryError', sql: 'select $1::uuid', cause: { class: 'PostgresError', code: '22P02' } } });
    expect(logs.text()).not.toContain(APPEAL_TEXT_CANARY);
    expect(logs.text()).not.toContain('Яма');
  });

  // Guards lib/log.ts `errorFields` (no message, detail or parameters of a query error) and
  // lib/service.ts `internalErrorLog` (logged once, with the operation's name, masked for the client).
  it('a failing statement with a device name in it: the client gets the masked error, the log one line without the value', async () => {
    logs = captureLogs();
    const deviceName = `Планшет\n${FORGED}`;
    const { body } = await graph.request('mutation SignInOnTablet($i: LoginInput!) { login(input: $i) { accessToken } }', {
      variables: { i: { login: person.phone, password: TEST_PASSWORD, deviceName } },
    });
    expect(graphQLErrorCodes(body)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(body.errors?.[0]?.message).toBe('Внутренняя ошибка сервиса. Попробуйте позже.');
    const text = logs.text();
    const failures = logs.entries().filter((entry) => entry.level === 'error');
    expect(failures).toEqual([
      expect.objectContaining({
        service: 'identity',
        operationName: 'SignInOnTablet__identity__0', // as the gateway names its fetch
        err: expect.objectContaining({
          class: 'DrizzleQueryError',
          sql: expect.stringMatching(/insert into "identity"\."sessions" .*\$1/),
          cause: expect.objectContaining({ class: 'PostgresError', code: '23514', constraint: 'test_refuses_line_breaks', table: 'sessions' }),
        }),
      }),
    ]);
    expect(text).not.toContain('Планшет');
    expect(text).not.toContain(person.id);
    expect(text).not.toMatch(/params|parameters/);
  });

  // Guards lib/log.ts `errorFields`, for issue 15's failure: the INSERT of an appeal logged whole.
  it('a failing INSERT of an appeal leaves neither its text nor its author in the log', async () => {
    logs = captureLogs();
    const text = `Во дворе яма, мой паспорт 4510 123456 (${APPEAL_TEXT_CANARY})`;
    const { body } = await graph.request('mutation SubmitPothole($i: AppealInput!) { submitAppeal(input: $i) { appeal { id } errors { code } } }', {
      token,
      variables: { i: { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, ул. Молодёжная, 8', text } },
    });
    expect(graphQLErrorCodes(body)).toEqual(['INTERNAL_SERVER_ERROR']);
    const written = logs.text();
    expect(logs.entries().filter((entry) => entry.level === 'error')).toEqual([
      expect.objectContaining({
        service: 'appeals',
        operationName: 'SubmitPothole__appeals__0',
        err: expect.objectContaining({ sql: expect.stringContaining('insert into "appeals"."appeals"'), cause: expect.objectContaining({ code: '23514', constraint: 'test_refuses_canary' }) }),
      }),
    ]);
    for (const leaked of [APPEAL_TEXT_CANARY, 'Во дворе яма', '123456', person.id, 'params']) expect(written).not.toContain(leaked);
  });
});

/** A rate-limit store that remembers under which keys it counted. */
function recordingStore(): RateLimitStore & { keys: string[] } {
  const store = createMemoryRateLimitStore();
  const keys: string[] = [];
  return { ...store, keys, hit: (key, windowMs, amount) => (keys.push(key), store.hit(key, windowMs, amount)) };
}

/** A gateway instance built with `TRUST_PROXY` as given (unset when undefined), limited to `perAddress` operations per address. */
async function gatewayWith(trustProxy: string | undefined, perAddress: number) {
  const store = recordingStore();
  // As gateway/index.ts gives it: the configuration's TRUST_PROXY read (gateway/config.ts), or buildGateway's default.
  const instance = await graph.startGatewayInstance({
    rateLimiter: createRateLimiter({ store, rules: { perUser: null, perAddress: { limit: perAddress, windowMs: 60_000 } } }),
    subscriptionLimits: { maxConnectionsPerUser: 100 },
    ...(trustProxy === undefined ? {} : { trustedProxies: readConfig({ TRUST_PROXY: trustProxy, GATEWAY_SECRET: 'x'.repeat(32) }, gatewayConfig).trustedProxies }),
  });
  // 127.0.0.1 rather than localhost, so the peer is the address TRUST_PROXY names.
  return { ...instance, url: instance.url.replace('localhost', '127.0.0.1'), wsUrl: instance.wsUrl.replace('localhost', '127.0.0.1'), store };
}

const forwardedFor = (i: number) => `203.0.113.${i + 1}`;
const N = 30;

describe('X-Forwarded-For', () => {
  // Guards gateway/server.ts `buildGateway` (`trustedProxies(undefined)` by default: none) and
  // gateway/client-address.ts `clientAddressOf`: with `trust proxy` = loopback each request picked its own address.
  it('with TRUST_PROXY unset, 30 parallel requests from loopback with 30 forwarded addresses count under one address', async () => {
    const gateway = await gatewayWith(undefined, 10);
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => graphql(gateway.url, '{ __typename }', { headers: { 'x-forwarded-for': forwardedFor(i) } })));
    expect(answers.filter((answer) => answer.status === 200).length).toBe(10);
    expect(answers.filter((answer) => answer.status === 429).length).toBe(N - 10);
    expect(new Set(gateway.store.keys)).toEqual(new Set(['address:127.0.0.1']));
  });

  // Guards gateway/client-address.ts `clientAddressOf` (the forwarded hop, when the peer is listed).
  it('with TRUST_PROXY=127.0.0.1, they count under their forwarded addresses', async () => {
    const gateway = await gatewayWith('127.0.0.1', 10);
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => graphql(gateway.url, '{ __typename }', { headers: { 'x-forwarded-for': `198.51.100.7, ${forwardedFor(i)}` } })));
    expect(answers.filter((answer) => answer.status === 200).length).toBe(N);
    // The rightmost hop: what the client wrote itself (198.51.100.7) is never believed.
    expect(new Set(gateway.store.keys)).toEqual(new Set(Array.from({ length: N }, (_, i) => `address:${forwardedFor(i)}`)));
  });

  // Guards gateway/subscriptions/transport-ws.ts `onConnect` and gateway/subscriptions/http.ts
  // `openHttpConnection` (`clientAddress(request)`): the upgrade took the socket's address and ignored
  // the proxy, SSE and multipart Express's loopback default; with nothing trusted, the header is ignored.
  it('graphql-ws and SSE subscriptions take the address the same way, under 30 parallel connections each', async () => {
    const FEED = 'subscription { notificationAdded { node { title } } }';
    const streams = new AbortController();
    const transports = {
      'graphql-ws': (wsUrl: string, _url: string, address: string) => void clients.subscribe(wsUrl, FEED, { token, headers: { 'x-forwarded-for': address } }),
      sse: (_wsUrl: string, url: string, address: string) =>
        void fetch(url, {
          method: 'POST',
          signal: streams.signal,
          body: JSON.stringify({ query: FEED }),
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, 'x-forwarded-for': address },
        }).catch(() => {}),
    };
    for (const [transport, open] of Object.entries(transports)) {
      for (const [trustProxy, expected] of [
        [undefined, ['address:127.0.0.1']],
        ['127.0.0.1', Array.from({ length: N }, (_, i) => `address:${forwardedFor(i)}`)],
      ] as const) {
        const gateway = await gatewayWith(trustProxy, 1_000);
        for (let i = 0; i < N; i++) open(gateway.wsUrl, gateway.url, forwardedFor(i));
        await expect.poll(() => gateway.store.keys.length, { timeout: 10_000 }).toBe(N);
        expect([transport, new Set(gateway.store.keys)]).toEqual([transport, new Set(expected)]);
        await clients.disposeAll();
        await gateway.stop();
      }
    }
    streams.abort();
  });

  // Guards gateway/client-address.ts `trustedProxies` (addresses and CIDRs only), read by gateway/config.ts, and lib/config.ts `configOrExit` (one line, exit 1).
  it('TRUST_PROXY=1, true or garbage stops the gateway with one line naming TRUST_PROXY', async () => {
    for (const value of ['1', 'true', 'loopback', '10.0.0.0/33', '10.0.0.1, garbage']) expect(() => trustedProxies(value)).toThrow(/^TRUST_PROXY must be a comma-separated list of the IP addresses or CIDR ranges/);
    expect(trustedProxies('10.0.0.5, 10.1.0.0/16,fd00::/8')('10.1.2.3')).toBe(true);
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], { cwd: new URL('../..', import.meta.url), env: { ...process.env, TRUST_PROXY: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = output.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'fatal', service: 'gateway', variables: ['TRUST_PROXY'], msg: expect.stringMatching(/^configuration refused: TRUST_PROXY must be .*; got "1"$/) });
  });
});
