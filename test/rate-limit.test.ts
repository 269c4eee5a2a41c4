import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError, parse } from 'graphql';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { useFakeClock } from './fake-clock.ts';
import { captureLogs } from './logs.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import {
  addressKey,
  createMemoryRateLimitStore,
  createPostgresRateLimitStore,
  createRateLimiter,
  createRedisRateLimitStore,
  DEFAULT_RATE_LIMIT_RULES,
  operationWeight,
  rateLimitPlugin,
  rateLimitRulesFromEnv,
  rateLimitStoreFromEnv,
  secondsPhrase,
  type RateLimitStore,
} from '../lib/rate-limit.ts';
import { probeRedis, REDIS_URL, redisTitle as redisTitleOf } from './redis.ts';

const redisSkip = await probeRedis();
const redisTitle = (title: string) => redisTitleOf(title, redisSkip);

/** This run's Redis keys start with this, and are deleted at the end. */
const redisPrefix = `epgu-test:rate-limit:${randomUUID().slice(0, 8)}:`;

let database: TestDatabase;
const opened: RateLimitStore[] = [];
async function open<T extends RateLimitStore>(store: Promise<T> | T): Promise<T> {
  const ready = await store;
  opened.push(ready);
  return ready;
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  if (!redisSkip) {
    const client = new Redis(REDIS_URL);
    const keys = await client.keys(`${redisPrefix}*`);
    if (keys.length) await client.del(...keys);
    await client.quit();
  }
  await database?.drop();
});

const key = () => `test:${randomUUID()}`;

/** What every store promises; `shared` stores also share counts between instances (two gateways). */
function storeContract(openStore: () => Promise<RateLimitStore>, shared: boolean) {
  it('counts 200 parallel hits atomically: 1 to 200, none twice', async () => {
    const store = await openStore();
    const k = key();
    const hits = await Promise.all(Array.from({ length: 200 }, () => store.hit(k, 60_000)));
    expect(hits.map((hit) => hit.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // One window for all of them (Redis reports time left, read against each hit's own clock).
    const ends = hits.map((hit) => hit.resetAt.getTime());
    expect(Math.max(...ends) - Math.min(...ends)).toBeLessThan(1_000);
  });

  it('ends the window one window after its first hit', async () => {
    const store = await openStore();
    const before = Date.now();
    const { count, resetAt } = await store.hit(key(), 60_000);
    expect(count).toBe(1);
    expect(resetAt.getTime()).toBeGreaterThanOrEqual(before + 60_000 - 1_000);
    expect(resetAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000 + 1_000);
  });

  it('adds a weight in one hit', async () => {
    const store = await openStore();
    const k = key();
    expect((await store.hit(k, 60_000, 16)).count).toBe(16);
    expect((await store.hit(k, 60_000)).count).toBe(17);
  });

  it('starts again from zero after the window', async () => {
    const store = await openStore();
    const k = key();
    await store.hit(k, 300);
    const second = await store.hit(k, 300);
    expect(second.count).toBe(2);
    await sleep(Math.max(0, second.resetAt.getTime() - Date.now()) + 100);
    const third = await store.hit(k, 300);
    expect(third.count).toBe(1);
    expect(third.resetAt.getTime()).toBeGreaterThan(second.resetAt.getTime());
  });

  it('keeps keys apart', async () => {
    const store = await openStore();
    const [a, b] = [key(), key()];
    await store.hit(a, 60_000, 5);
    expect((await store.hit(b, 60_000)).count).toBe(1);
  });

  if (shared) {
    it('shares counts between two instances (two gateways), atomically', async () => {
      const [first, second] = [await openStore(), await openStore()];
      const k = key();
      const hits = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? first : second).hit(k, 60_000)));
      expect(hits.map((hit) => hit.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    });
  }
}

describe('memory store', () => {
  storeContract(async () => open(createMemoryRateLimitStore()), false);

  it('is per instance', async () => {
    const k = key();
    await createMemoryRateLimitStore().hit(k, 60_000);
    expect((await createMemoryRateLimitStore().hit(k, 60_000)).count).toBe(1);
  });
});

describe('PostgreSQL store', () => {
  storeContract(() => open(createPostgresRateLimitStore(database.url)), true);

  it('creates its schema and unlogged table idempotently, also when gateways start at once', async () => {
    await Promise.all(Array.from({ length: 5 }, () => open(createPostgresRateLimitStore(database.url))));
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const [table] = await sql<{ relpersistence: string }[]>`select relpersistence from pg_class where oid = 'gateway.rate_limits'::regclass`;
      expect(table?.relpersistence).toBe('u');
    } finally {
      await sql.end();
    }
  });

  it('deletes windows that ended a while ago, on a hit, without waiting for it', async () => {
    const store = await open(createPostgresRateLimitStore(database.url, { cleanupIntervalMs: 0 }));
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const stale = key();
      const live = key();
      await sql`insert into gateway.rate_limits (key, count, reset_at) values (${stale}, 3, now() - interval '2 minutes')`;
      await store.hit(live, 60_000);
      await vi.waitFor(async () => {
        const rows = await sql<{ key: string }[]>`select key from gateway.rate_limits where key in (${stale}, ${live})`;
        expect(rows.map((row) => row.key)).toEqual([live]);
      });
    } finally {
      await sql.end();
    }
  });
});

describe.skipIf(redisSkip !== null)(redisTitle('Redis store'), () => {
  storeContract(() => open(createRedisRateLimitStore(REDIS_URL, { prefix: redisPrefix })), true);

  it('lets a window expire in Redis itself', async () => {
    const store = await open(createRedisRateLimitStore(REDIS_URL, { prefix: redisPrefix }));
    const k = key();
    await store.hit(k, 60_000);
    const client = new Redis(REDIS_URL);
    try {
      const ttl = await client.pttl(redisPrefix + k);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await client.quit();
    }
  });
});

describe('rateLimitStoreFromEnv', () => {
  it('counts in memory, with a warning, when no store is configured', async () => {
    const warn = vi.fn();
    const store = await open(rateLimitStoreFromEnv({}, warn));
    expect(store.kind).toBe('memory');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/per gateway instance/));
  });

  it('uses PostgreSQL at RATE_LIMIT_DATABASE_URL before DATABASE_URL', async () => {
    const store = await open(rateLimitStoreFromEnv({ RATE_LIMIT_DATABASE_URL: database.url, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }));
    expect(store.kind).toBe('postgres');
    expect((await store.hit(key(), 60_000)).count).toBe(1);
    expect((await open(rateLimitStoreFromEnv({ DATABASE_URL: database.url }))).kind).toBe('postgres');
  });

  it.skipIf(redisSkip !== null)(redisSkip ? `uses Redis at REDIS_URL (skipped: ${redisSkip})` : 'uses Redis at REDIS_URL before any database', async () => {
    const store = await open(rateLimitStoreFromEnv({ REDIS_URL, DATABASE_URL: database.url }));
    expect(store.kind).toBe('redis');
  });

  it('fails to start when REDIS_URL does not answer', async () => {
    await expect(rateLimitStoreFromEnv({ REDIS_URL: 'redis://127.0.0.1:1' })).rejects.toThrow(/Redis for rate limits does not answer/);
  });
});

describe('rate limiter', () => {
  const rateLimitedError = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error as GraphQLError,
    );

  it('lets requests through up to the limit, then refuses with RATE_LIMITED and when to come back', async () => {
    const limiter = createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: { limit: 3, windowMs: 60_000 }, perAddress: null } });
    for (const remaining of [2, 1, 0]) expect((await limiter.check({ userId: 'u1' })).remaining).toBe(remaining);
    const error = await rateLimitedError(limiter.check({ userId: 'u1' }));
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(error!.extensions.retryAfterSeconds).toBeGreaterThan(55);
    expect(error!.extensions.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(error!.message).toBe('Слишком много запросов. Попробуйте снова через 1 минуту.');
    // Someone else is not affected.
    await expect(limiter.check({ userId: 'u2' })).resolves.toMatchObject({ remaining: 2 });
  });

  it('says seconds for a short wait and lets the caller in again after the window', async () => {
    useFakeClock();
    onTestFinished(() => void vi.useRealTimers());
    const limiter = createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: null, perAddress: { limit: 1, windowMs: 1_000 } } });
    await limiter.check({ address: '203.0.113.5' });
    const error = await rateLimitedError(limiter.check({ address: '203.0.113.5' }));
    expect(error!.extensions.retryAfterSeconds).toBe(1);
    expect(error!.message).toBe('Слишком много запросов. Попробуйте снова через 1 секунду.');
    await vi.advanceTimersByTimeAsync(999);
    await expect(rateLimitedError(limiter.check({ address: '203.0.113.5' }))).resolves.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await vi.advanceTimersByTimeAsync(1);
    await expect(limiter.check({ address: '203.0.113.5' })).resolves.toBeDefined();
  });

  it('counts a signed-in caller under the account and the address, an anonymous one under the address', async () => {
    const limiter = createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: { limit: 2, windowMs: 60_000 }, perAddress: { limit: 3, windowMs: 60_000 } } });
    await limiter.check({ userId: 'a', address: '198.51.100.7' });
    await limiter.check({ userId: 'a', address: '198.51.100.7' });
    // The account is spent, from any address.
    expect((await rateLimitedError(limiter.check({ userId: 'a', address: '192.0.2.1' })))?.extensions.code).toBe('RATE_LIMITED');
    // The shared address has one left, for someone else (and that check also counted a's third try: 3 of 3).
    await expect(limiter.check({ address: '198.51.100.7' })).resolves.toBeDefined();
    expect((await rateLimitedError(limiter.check({ userId: 'b', address: '198.51.100.7' })))?.extensions.code).toBe('RATE_LIMITED');
  });

  it('counts a weight at once, so 16 aliased attempts are 16 requests', async () => {
    const limiter = createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: null, perAddress: { limit: 15, windowMs: 60_000 } } });
    const sixteen = parse(`mutation { ${Array.from({ length: 16 }, (_, i) => `a${i}: login(input: { login: "+79160000001", password: "x${i}" }) { accessToken }`).join(' ')} }`);
    expect(operationWeight(sixteen)).toBe(16);
    expect((await rateLimitedError(limiter.check({ address: '203.0.113.9', weight: operationWeight(sixteen) })))?.extensions.code).toBe('RATE_LIMITED');
  });

  it('groups an IPv6 caller by its /64 and reads IPv4-mapped addresses as IPv4', async () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(addressKey('10.1.2.3')).toBe('10.1.2.3');
    const limiter = createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: null, perAddress: { limit: 1, windowMs: 60_000 } } });
    await limiter.check({ address: '2001:db8:1:2::1' });
    expect((await rateLimitedError(limiter.check({ address: '2001:db8:1:2::99' })))?.extensions.code).toBe('RATE_LIMITED');
  });

  it('lets requests through when the store fails or hangs (logged), or refuses them when told to fail closed', async () => {
    const failing: RateLimitStore = { kind: 'memory', hit: () => Promise.reject(new Error('down')), close: async () => {} };
    const hanging: RateLimitStore = { kind: 'memory', hit: () => new Promise(() => {}), close: async () => {} };
    const logs = captureLogs();
    try {
      await expect(createRateLimiter({ store: failing }).check({ address: '203.0.113.1' })).resolves.toMatchObject({ degraded: true });
      await expect(createRateLimiter({ store: hanging, timeoutMs: 50 }).check({ address: '203.0.113.1' })).resolves.toMatchObject({ degraded: true });
      expect(logs.entries()[0]).toMatchObject({ service: 'rate-limit', msg: expect.stringMatching(/store failed/), err: { message: 'down' } });
      const closed = await rateLimitedError(createRateLimiter({ store: failing, failOpen: false }).check({ address: '203.0.113.1' }));
      expect(closed?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      logs.stop();
    }
  });

  describe('two gateways on one store refuse together', () => {
    const shared = async (openStore: () => Promise<RateLimitStore>) => {
      const rules = { perUser: { limit: 5, windowMs: 60_000 }, perAddress: null };
      const [gatewayA, gatewayB] = [createRateLimiter({ store: await openStore(), rules }), createRateLimiter({ store: await openStore(), rules })];
      const userId = randomUUID();
      for (let i = 0; i < 3; i++) await gatewayA.check({ userId });
      await gatewayB.check({ userId });
      await gatewayB.check({ userId });
      const error = await rateLimitedError(gatewayB.check({ userId }));
      expect(error?.extensions.code).toBe('RATE_LIMITED');
      expect((await rateLimitedError(gatewayA.check({ userId })))?.extensions.code).toBe('RATE_LIMITED');
    };
    it('on PostgreSQL', () => shared(() => open(createPostgresRateLimitStore(database.url))));
    it.skipIf(redisSkip !== null)(redisSkip ? `on Redis (skipped: ${redisSkip})` : 'on Redis', () => shared(() => open(createRedisRateLimitStore(REDIS_URL, { prefix: redisPrefix }))));
  });
});

describe('operationWeight', () => {
  it('weighs a mutation by the fields it runs at the root, aliases and fragments included', () => {
    expect(operationWeight(parse('mutation { a: logout { __typename } b: logout { __typename } }'))).toBe(2);
    expect(operationWeight(parse('mutation { ...F ...F c: logout { __typename } } fragment F on Mutation { a: logout { __typename } ... on Mutation { b: logout { __typename } } }'))).toBe(3);
    // One response name runs once.
    expect(operationWeight(parse('mutation { logout { __typename } logout { __typename } __typename }'))).toBe(1);
  });

  it('weighs a query or a subscription 1, however wide', () => {
    expect(operationWeight(parse('{ a: me { id } b: me { id } c: me { id } }'))).toBe(1);
    expect(operationWeight(parse('subscription { notificationAdded { id } }'))).toBe(1);
    expect(operationWeight(parse('mutation { __typename }'))).toBe(1);
  });

  it('takes the named operation, or the heaviest without a name', () => {
    const document = parse('query Q { me { id } } mutation M { a: logout { __typename } b: logout { __typename } c: logout { __typename } }');
    expect(operationWeight(document, 'Q')).toBe(1);
    expect(operationWeight(document, 'M')).toBe(3);
    expect(operationWeight(document)).toBe(3);
  });
});

describe('configuration', () => {
  it('has defaults and reads RATE_LIMIT_* (0 turns a rule off)', () => {
    expect(rateLimitRulesFromEnv({})).toEqual(DEFAULT_RATE_LIMIT_RULES);
    expect(rateLimitRulesFromEnv({ RATE_LIMIT_PER_USER: '100', RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_WINDOW_SECONDS: '10' })).toEqual({
      perUser: { limit: 100, windowMs: 10_000 },
      perAddress: null,
    });
    expect(() => rateLimitRulesFromEnv({ RATE_LIMIT_PER_USER: 'many' })).toThrow(/RATE_LIMIT_PER_USER/);
    expect(() => rateLimitRulesFromEnv({ RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(/RATE_LIMIT_WINDOW_SECONDS/);
  });

  it('says seconds with the right plural', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 59].map(secondsPhrase)).toEqual(['1 секунду', '2 секунды', '5 секунд', '11 секунд', '21 секунду', '22 секунды', '25 секунд', '59 секунд']);
  });
});

describe('rateLimitPlugin in Apollo Server', () => {
  interface Context {
    userId: string | null;
    address: string;
    /** A caller the gateway does not limit (a trusted service). */
    exempt?: boolean;
  }
  let server: ApolloServer<Context>;
  beforeAll(async () => {
    const limiter = createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: null, perAddress: { limit: 3, windowMs: 60_000 } } });
    server = new ApolloServer<Context>({
      typeDefs: 'type Query { me: String } type Mutation { login(login: String): String }',
      resolvers: { Query: { me: () => 'me' }, Mutation: { login: () => 'token' } },
      plugins: [rateLimitPlugin<Context>(limiter, ({ userId, address, exempt }) => (exempt ? null : { userId, address }))],
    });
    await server.start();
  });
  afterAll(() => server.stop());

  async function post(query: string, address: string, exempt = false) {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
      context: async () => ({ userId: null, address, exempt }),
    });
    return { status: response.status ?? 200, retryAfter: response.headers.get('retry-after'), body: response.body.kind === 'complete' ? JSON.parse(response.body.string) : null };
  }

  it('refuses the operation past the limit with HTTP 429, Retry-After and RATE_LIMITED', async () => {
    for (let i = 0; i < 3; i++) expect((await post('{ me }', '203.0.113.20')).body).toEqual({ data: { me: 'me' } });
    const refused = await post('{ me }', '203.0.113.20');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(55);
    expect(refused.body).toEqual({
      errors: [{ message: 'Слишком много запросов. Попробуйте снова через 1 минуту.', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(refused.retryAfter) } }],
    });
  });

  it('weighs aliased mutations, so they cannot multiply attempts', async () => {
    expect((await post('mutation { a: login(login: "1") b: login(login: "2") }', '203.0.113.21')).status).toBe(200);
    const refused = await post('mutation { a: login(login: "3") b: login(login: "4") }', '203.0.113.21');
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
  });

  it('counts operations that fail to parse or validate', async () => {
    expect((await post('{ me ', '203.0.113.22')).status).toBe(400);
    expect((await post('{ nope }', '203.0.113.22')).status).toBe(400);
    expect((await post('{ me }', '203.0.113.22')).status).toBe(200);
    expect((await post('{ me }', '203.0.113.22')).status).toBe(429);
  });

  it('lets a caller that identify exempts through uncounted', async () => {
    for (let i = 0; i < 5; i++) expect((await post('{ me }', '203.0.113.23', true)).status).toBe(200);
    expect((await post('{ me }', '203.0.113.23')).status).toBe(200);
  });
});
