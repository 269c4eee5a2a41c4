import { isIPv4, isIPv6 } from 'node:net';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, Kind, getOperationAST, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { graphQLError, minutesPhrase, rateLimited } from './errors.ts';
import { logger } from './log.ts';

const log = logger('rate-limit');

/**
 * The gateway's request-level rate limits: so many operations per signed-in person and per address
 * in a window, counted in a store every gateway instance shares (PostgreSQL by default, Redis when
 * configured). The per-attempt limits of sign-in and codes live in identity's own tables; this one
 * keeps any caller from flooding the graph, and weighs an operation by the mutations it carries so
 * aliases and batching do not multiply attempts. docs/security.md.
 */

// ---------------------------------------------------------------------------------------------
// Stores

export interface RateLimitHit {
  /** Requests counted under the key in the current window, this one included. */
  count: number;
  /** When the current window ends and the count starts again from zero. */
  resetAt: Date;
}

/** A fixed-window counter shared by every gateway instance that uses the same store. */
export interface RateLimitStore {
  readonly kind: 'postgres' | 'redis' | 'memory';
  /**
   * Adds `amount` (1 by default) to the key's count in its current window, atomically, starting a
   * new window of `windowMs` when there is none or it has ended.
   */
  hit(key: string, windowMs: number, amount?: number): Promise<RateLimitHit>;
  close(): Promise<void>;
}

/** Per process only: for development and tests, where one gateway runs. */
export function createMemoryRateLimitStore(): RateLimitStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = Date.now();
  return {
    kind: 'memory',
    async hit(key, windowMs, amount = 1) {
      const now = Date.now();
      if (now - lastSweep > 60_000) {
        lastSweep = now;
        for (const [k, window] of windows) if (window.resetAt <= now) windows.delete(k);
      }
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += amount;
      return { count: window.count, resetAt: new Date(window.resetAt) };
    },
    async close() {
      windows.clear();
    },
  };
}

export interface PostgresRateLimitStoreOptions {
  /** Pool size of the store's own connections. */
  max?: number;
  /** How often (at most) a hit also deletes windows that ended a while ago. */
  cleanupIntervalMs?: number;
}

/**
 * Counters in `gateway.rate_limits`, created on start if missing (it is infrastructure, not a
 * subgraph's data: no migration). The table is UNLOGGED: counters need no crash safety and skip the
 * write-ahead log; after a crash or a fail-over to a replica they start from zero.
 */
export async function createPostgresRateLimitStore(url: string, options: PostgresRateLimitStoreOptions = {}): Promise<RateLimitStore> {
  const { max = 4, cleanupIntervalMs = 60_000 } = options;
  const sql = postgres(url, { max, onnotice: () => {}, connect_timeout: 5 });
  try {
    // An operator may have created it with another role (the gateway's own then needs no CREATE).
    const [existing] = await sql<{ table: string | null }[]>`select to_regclass('gateway.rate_limits')::text as table`;
    // Gateways may start at once: create under a lock, as `create … if not exists` may race.
    if (!existing?.table)
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext('epgu-graph:gateway-schema'))`;
        await tx`create schema if not exists gateway`;
        await tx`
        create unlogged table if not exists gateway.rate_limits (
          key text primary key,
          count integer not null,
          reset_at timestamptz not null
        )`;
        await tx`create index if not exists rate_limits_reset_at on gateway.rate_limits (reset_at)`;
      });
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }

  let lastCleanup = Date.now();
  let cleaning = false;
  const cleanup = () => {
    if (cleaning || Date.now() - lastCleanup < cleanupIntervalMs) return;
    cleaning = true;
    lastCleanup = Date.now();
    // Windows that ended a minute ago: a key that comes back starts a new row. Not awaited.
    sql`/* sweepRateLimits */ delete from gateway.rate_limits where reset_at < now() - interval '1 minute'`
      .catch((error: unknown) => log.error({ err: error }, 'cleanup failed'))
      .finally(() => {
        cleaning = false;
      });
  };

  return {
    kind: 'postgres',
    async hit(key, windowMs, amount = 1) {
      cleanup();
      // One statement: the row lock of ON CONFLICT makes concurrent hits count one after another.
      const [row] = await sql<{ count: number; reset_at: Date }[]>`
        /* hitRateLimit */
        insert into gateway.rate_limits as r (key, count, reset_at)
        values (${key}, ${amount}::integer, now() + ${windowMs}::integer * interval '1 millisecond')
        on conflict (key) do update set
          count = case when r.reset_at <= now() then excluded.count else r.count + excluded.count end,
          reset_at = case when r.reset_at <= now() then excluded.reset_at else r.reset_at end
        returning count, reset_at`;
      return { count: row!.count, resetAt: row!.reset_at };
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** INCRBY and, for a new window, its expiry, in one atomic script; returns the count and the window's time left. */
const REDIS_HIT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** A URL fit for a log: without its password. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'REDIS_URL';
  }
}

type RedisWithHit = Redis & { epguRateLimitHit(key: string, windowMs: number, amount: number): Promise<[number, number]> };

export interface RedisRateLimitStoreOptions {
  /** Put before every key, so the counters share a Redis with other data safely. */
  prefix?: string;
}

/**
 * Counters as Redis keys that expire with their window. Given a URL, the store connects (and
 * fails if Redis does not answer) and closes its client; given a client, it leaves it open.
 */
export async function createRedisRateLimitStore(target: string | Redis, options: RedisRateLimitStoreOptions = {}): Promise<RateLimitStore> {
  const { prefix = 'epgu-graph:rate-limit:' } = options;
  const owned = typeof target === 'string';
  // Commands fail at once while disconnected (no offline queue), so a request never waits on Redis.
  const client = (owned ? new Redis(target, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 }) : target) as RedisWithHit;
  if (owned) {
    let connected = false;
    let cause = '';
    client.on('error', (error: Error) => {
      if (connected) log.error({ err: error }, 'redis failed');
      else cause ||= error.message;
    });
    try {
      await client.connect();
      connected = true;
    } catch (error) {
      client.disconnect();
      throw new Error(`Redis for rate limits does not answer at ${redactedUrl(target)}: ${cause || (error as Error).message}`);
    }
  }
  client.defineCommand('epguRateLimitHit', { numberOfKeys: 1, lua: REDIS_HIT });
  return {
    kind: 'redis',
    async hit(key, windowMs, amount = 1) {
      const [count, ttl] = await client.epguRateLimitHit(prefix + key, windowMs, amount);
      return { count: Number(count), resetAt: new Date(Date.now() + Number(ttl)) };
    },
    async close() {
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * The store the environment asks for: Redis at `REDIS_URL` when set; otherwise PostgreSQL at
 * `RATE_LIMIT_DATABASE_URL` or `DATABASE_URL`; otherwise (a gateway in development without a
 * database) memory, with a warning that every instance then counts on its own.
 */
export async function rateLimitStoreFromEnv(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = (message) => log.warn(message)): Promise<RateLimitStore> {
  if (env.REDIS_URL) return createRedisRateLimitStore(env.REDIS_URL);
  const url = env.RATE_LIMIT_DATABASE_URL || env.DATABASE_URL;
  if (url) return createPostgresRateLimitStore(url);
  warn('no REDIS_URL, RATE_LIMIT_DATABASE_URL or DATABASE_URL: rate limits are counted in memory, per gateway instance.');
  return createMemoryRateLimitStore();
}

// ---------------------------------------------------------------------------------------------
// The limiter

export interface RateLimitRule {
  /** Weight allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitRules {
  /** Per signed-in account (the token's verified subject); null turns it off. */
  perUser: RateLimitRule | null;
  /** Per caller address (an IPv6 address by its /64), signed in or not; null turns it off. */
  perAddress: RateLimitRule | null;
}

/**
 * 10 operations a second per person on average, 20 per address: a cabinet page is a handful of
 * operations, and many people share one address (an office, a mobile operator's NAT).
 */
export const DEFAULT_RATE_LIMIT_RULES: RateLimitRules = {
  perUser: { limit: 600, windowMs: 60_000 },
  perAddress: { limit: 1_200, windowMs: 60_000 },
};

/**
 * `RATE_LIMIT_PER_USER`, `RATE_LIMIT_PER_ADDRESS` (weight per window; 0 turns the rule off) and
 * `RATE_LIMIT_WINDOW_SECONDS` (both windows) over the defaults.
 */
export function rateLimitRulesFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitRules {
  const number = (name: string): number | undefined => {
    const text = env[name]?.trim();
    if (!text) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${text}"`);
    return value;
  };
  const seconds = number('RATE_LIMIT_WINDOW_SECONDS');
  if (seconds === 0) throw new Error('RATE_LIMIT_WINDOW_SECONDS must be at least 1');
  const rule = (name: string, fallback: RateLimitRule | null): RateLimitRule | null => {
    const limit = number(name) ?? fallback?.limit;
    if (limit === undefined || limit === 0) return null;
    return { limit, windowMs: seconds !== undefined ? seconds * 1000 : (fallback?.windowMs ?? 60_000) };
  };
  return {
    perUser: rule('RATE_LIMIT_PER_USER', DEFAULT_RATE_LIMIT_RULES.perUser),
    perAddress: rule('RATE_LIMIT_PER_ADDRESS', DEFAULT_RATE_LIMIT_RULES.perAddress),
  };
}

/**
 * The key of a caller's address: an IPv4 address as it is (also when written IPv4-mapped,
 * `::ffff:10.0.0.1`), an IPv6 address by its /64, which one subscriber usually holds whole.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::') as [string, string?];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // `::` stands for the missing zero groups. (An embedded IPv4 tail sits past the fourth group, so
  // counting it as one group instead of two changes nothing here.)
  const groups = address.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

export interface RateLimitRequest {
  /** The verified account id, or none for an anonymous caller. */
  userId?: string | null;
  /** The caller's address (Express `req.ip`). */
  address?: string | null;
  /** How many requests this one counts as (`operationWeight`); 1 by default. */
  weight?: number;
}

export interface RateLimitDecision {
  /** Weight left in the tightest window (0 when the request was the last one allowed). */
  remaining: number;
  /** When that window ends. */
  resetAt: Date | null;
  /** The store failed and the request was let through (`failOpen`). */
  degraded?: boolean;
}

export interface RateLimiter {
  readonly rules: RateLimitRules;
  /**
   * Counts the request under the caller's account and address; throws `RATE_LIMITED`
   * (lib/errors.ts, with `retryAfterSeconds`) when either is over its limit.
   */
  check(request: RateLimitRequest): Promise<RateLimitDecision>;
}

export interface RateLimiterOptions {
  store: RateLimitStore;
  rules?: RateLimitRules;
  /**
   * When the store fails: let the request through (true, the default: an outage of the counters
   * must not take the portal down; the failure is logged) or refuse it.
   */
  failOpen?: boolean;
  /** A store that has not answered in this time counts as failed (default 1 s). */
  timeoutMs?: number;
}

/** "N секунд" with the right Russian plural. */
export function secondsPhrase(seconds: number): string {
  const n = Math.max(1, Math.ceil(seconds));
  const word = n % 10 === 1 && n % 100 !== 11 ? 'секунду' : [2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100) ? 'секунды' : 'секунд';
  return `${n} ${word}`;
}

export const rateLimitMessage = (retryAfterSeconds: number): string => `Слишком много запросов. Попробуйте снова через ${retryAfterSeconds < 60 ? secondsPhrase(retryAfterSeconds) : minutesPhrase(retryAfterSeconds)}.`;

export function createRateLimiter({ store, rules = DEFAULT_RATE_LIMIT_RULES, failOpen = true, timeoutMs = 1_000 }: RateLimiterOptions): RateLimiter {
  let lastLogged = 0;
  const withTimeout = <T>(promise: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  return {
    rules,
    async check({ userId, address, weight = 1 }) {
      const amount = Math.max(1, Math.ceil(weight));
      const counted: { rule: RateLimitRule; key: string }[] = [];
      if (rules.perUser && userId) counted.push({ rule: rules.perUser, key: `user:${userId}` });
      if (rules.perAddress && address) counted.push({ rule: rules.perAddress, key: `address:${addressKey(address)}` });
      if (!counted.length) return { remaining: Infinity, resetAt: null };
      let hits: (RateLimitHit & { rule: RateLimitRule })[];
      try {
        hits = await withTimeout(Promise.all(counted.map(async ({ rule, key }) => ({ rule, ...(await store.hit(key, rule.windowMs, amount)) }))));
      } catch (error) {
        if (!failOpen) throw graphQLError('INTERNAL_SERVER_ERROR', 'Сервис временно недоступен. Попробуйте позже.');
        if (Date.now() - lastLogged > 10_000) {
          lastLogged = Date.now();
          log.error({ err: error, store: store.kind }, 'store failed, requests are let through');
        }
        return { remaining: Infinity, resetAt: null, degraded: true };
      }
      const now = Date.now();
      const over = hits.filter((hit) => hit.count > hit.rule.limit);
      if (over.length) {
        const retryAfterSeconds = Math.max(1, ...over.map((hit) => Math.ceil((hit.resetAt.getTime() - now) / 1000)));
        throw rateLimited(rateLimitMessage(retryAfterSeconds), retryAfterSeconds);
      }
      const tightest = hits.reduce((a, b) => (b.rule.limit - b.count < a.rule.limit - a.count ? b : a));
      return { remaining: tightest.rule.limit - tightest.count, resetAt: tightest.resetAt };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Weight

/**
 * How many requests an operation counts as: a mutation, one per field it runs at the root (each
 * alias apart, fragments followed; fields with one response name run once), so
 * `mutation { a: login(…) b: login(…) }` weighs 2; a query or a subscription 1. Without the
 * operation's name in a document of several, the heaviest operation.
 */
export function operationWeight(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const weigh = (operation: OperationDefinitionNode): number => {
    if (operation.operation !== 'mutation') return 1;
    const keys = new Set<string>();
    const visited = new Set<string>();
    const walk = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value !== '__typename') keys.add((selection.alias ?? selection.name).value);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          walk(selection.selectionSet);
        } else if (!visited.has(selection.name.value)) {
          visited.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment) walk(fragment.selectionSet);
        }
      }
    };
    walk(operation.selectionSet);
    return Math.max(1, keys.size);
  };
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation) return weigh(operation);
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return Math.max(1, ...operations.map(weigh));
}

// ---------------------------------------------------------------------------------------------
// Apollo Server

/**
 * Counts every operation Apollo Server receives (each one of a batch apart) with its weight once it
 * is resolved, and refuses it over the limit with HTTP 429, `Retry-After` and `RATE_LIMITED`. An
 * operation that fails to parse or validate counts 1 and gets its own 400. `identify` names the
 * caller from the request's context; null lets the request through uncounted.
 */
export function rateLimitPlugin<TContext extends BaseContext>(limiter: RateLimiter, identify: (context: TContext) => { userId?: string | null; address?: string | null } | null): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const caller = identify(contextValue);
      // A caller the gateway does not limit (null), e.g. a trusted portal service.
      if (!caller) return {};
      const countFailure = async (failed: boolean) => {
        if (failed) await limiter.check({ ...caller, weight: 1 }).catch(() => {});
      };
      return {
        async parsingDidStart() {
          return (error) => countFailure(Boolean(error));
        },
        async validationDidStart() {
          return (errors) => countFailure(Boolean(errors?.length));
        },
        async didResolveOperation({ document, operationName }) {
          try {
            await limiter.check({ ...caller, weight: operationWeight(document, operationName) });
          } catch (error) {
            if (!(error instanceof GraphQLError) || error.extensions.code !== 'RATE_LIMITED') throw error;
            const retryAfter = Number(error.extensions.retryAfterSeconds);
            throw new GraphQLError(error.message, {
              extensions: { ...error.extensions, http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) } },
            });
          }
        },
      };
    },
  };
}
