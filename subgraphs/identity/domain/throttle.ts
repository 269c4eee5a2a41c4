import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import { minutesPhrase, rateLimited } from '../../../lib/errors.ts';
import * as tables from '../db/schema.ts';
import { loginThrottles } from '../db/schema.ts';

/**
 * Failed sign-ins are counted per login from one address (the usual guessing), per login from
 * anywhere (guessing spread over many addresses) and per address (one address trying many logins).
 * A lock is short and per key, so it slows an attacker down without locking the owner out for long.
 * Unknown logins are counted the same as known ones: the answer tells nothing about accounts.
 */
export const THROTTLE_RULES = {
  'login-address': { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  login: { maxFailures: 20, windowMs: 60 * 60_000, lockMs: 15 * 60_000 },
  address: { maxFailures: 50, windowMs: 60 * 60_000, lockMs: 30 * 60_000 },
} as const;

type Scope = keyof typeof THROTTLE_RULES;
type Db = Queryable<typeof tables>;

export function throttleKeys(login: string, clientAddress: string | null): Record<Scope, string> {
  const address = clientAddress ?? 'unknown';
  return { 'login-address': `login-address:${login}|${address}`, login: `login:${login}`, address: `address:${address}` };
}

export async function assertNotThrottled(db: Db, keys: Record<Scope, string>, now = new Date()): Promise<void> {
  const rows = await db.select().from(loginThrottles).where(inArray(loginThrottles.key, Object.values(keys)));
  const lockedUntil = Math.max(0, ...rows.map((row) => row.lockedUntil?.getTime() ?? 0));
  if (lockedUntil > now.getTime()) {
    const seconds = Math.ceil((lockedUntil - now.getTime()) / 1000);
    throw rateLimited(`Слишком много неудачных попыток входа. Попробуйте снова через ${minutesPhrase(seconds)}.`, seconds);
  }
}

/** Counts one failure under every key, locking a key that reached its limit within its window. */
export async function recordFailure(db: Db, keys: Record<Scope, string>, now = new Date()): Promise<void> {
  for (const [scope, key] of Object.entries(keys) as [Scope, string][]) {
    const { maxFailures, windowMs, lockMs } = THROTTLE_RULES[scope];
    const windowStart = sql`${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`;
    const lockedUntil = sql`${new Date(now.getTime() + lockMs).toISOString()}::timestamptz`;
    await db
      .insert(loginThrottles)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: loginThrottles.key,
        set: {
          failures: sql`case when ${loginThrottles.windowStartedAt} < ${windowStart} then 1 else ${loginThrottles.failures} + 1 end`,
          windowStartedAt: sql`case when ${loginThrottles.windowStartedAt} < ${windowStart} then ${now.toISOString()}::timestamptz else ${loginThrottles.windowStartedAt} end`,
          lockedUntil: sql`case when ${loginThrottles.windowStartedAt} >= ${windowStart} and ${loginThrottles.failures} + 1 >= ${maxFailures} then ${lockedUntil} else ${loginThrottles.lockedUntil} end`,
        },
      });
  }
}

/** A successful sign-in forgets the failures of that login from that address. */
export async function clearFailures(db: Db, keys: Record<Scope, string>): Promise<void> {
  await db.delete(loginThrottles).where(inArray(loginThrottles.key, [keys['login-address']]));
}
