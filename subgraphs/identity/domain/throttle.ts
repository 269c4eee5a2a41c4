import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import { minutesPhrase, rateLimited } from '../../../lib/errors.ts';
import * as tables from '../db/schema.ts';
import { loginThrottles } from '../db/schema.ts';

/**
 * Sign-in attempts are counted per login from one address (the usual guessing), per login from
 * anywhere (guessing spread over many addresses) and per address (one address trying many logins).
 * A lock is short and per key, so it slows an attacker down without locking the owner out for long.
 * Unknown logins are counted the same as known ones: the answer tells nothing about accounts.
 */
export const THROTTLE_RULES = {
  'login-address': { maxAttempts: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  login: { maxAttempts: 20, windowMs: 60 * 60_000, lockMs: 15 * 60_000 },
  address: { maxAttempts: 50, windowMs: 60 * 60_000, lockMs: 30 * 60_000 },
} as const;

/**
 * Questions whose answer tells whether an account has a phone, an e-mail or a SNILS (registration's
 * PHONE_TAKEN, recovery by SNILS), per client address: a person asks a few, a harvester thousands.
 */
export const LOOKUP_RULE = { maxAttempts: 30, windowMs: 60 * 60_000, lockMs: 60 * 60_000 } as const;

export interface ThrottleRule {
  maxAttempts: number;
  windowMs: number;
  lockMs: number;
}

type Scope = keyof typeof THROTTLE_RULES;
type Db = Queryable<typeof tables>;
type Counted = { key: string; rule: ThrottleRule };

export function throttleKeys(login: string, clientAddress: string | null): Record<Scope, string> {
  const address = clientAddress ?? 'unknown';
  return { 'login-address': `login-address:${login}|${address}`, login: `login:${login}`, address: `address:${address}` };
}

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * One key's count in one step of the statement below. A window that ended, or a lock that passed,
 * starts the count again; reaching the limit locks the key, and a lock is never lengthened.
 */
function countStep(step: number, { key, rule }: Counted, previous: Counted | undefined, now: Date): SQL {
  const restart = sql`(t.window_started_at <= ${at(new Date(now.getTime() - rule.windowMs))} or t.locked_until <= ${at(now)})`;
  // A key counts the attempt only when the key before it let it through.
  const source = previous ? sql` from ${sql.raw(`s${step - 1}`)} where ${sql.raw(`s${step - 1}`)}.failures <= ${previous.rule.maxAttempts}` : sql``;
  return sql`${sql.raw(`s${step}`)} as (
    insert into ${loginThrottles} as t (key, failures, window_started_at) select ${key}, 1, ${at(now)}${source}
    on conflict (key) do update set
      failures = case when ${restart} then 1 else t.failures + 1 end,
      window_started_at = case when ${restart} then ${at(now)} else t.window_started_at end,
      locked_until = case when ${restart} then null when t.locked_until is null and t.failures + 1 >= ${rule.maxAttempts} then ${at(new Date(now.getTime() + rule.lockMs))} else t.locked_until end
    returning key, failures, locked_until
  )`;
}

/**
 * Reserves one attempt under every key, narrowest first, in one statement, before the attempt is
 * checked: each key's row is locked while it counts, so parallel attempts get distinct numbers and
 * exactly `maxAttempts` of them pass. An attempt a key refuses is not counted by the keys after it
 * (an address locked on one login cannot lock that login for everybody). Throws RATE_LIMITED with
 * `refusal(seconds)` when a key refuses.
 */
export async function reserveAttempt(db: Db, counted: Counted[], now: Date, refusal: (seconds: number) => string): Promise<void> {
  const steps = counted.map((item, step) => countStep(step, item, counted[step - 1], now));
  const results = sql.join(counted.map((_, step) => sql.raw(`select key, failures, locked_until from s${step}`)), sql` union all `);
  const rows = [...(await db.execute<{ key: string; failures: number; locked_until: string | Date | null }>(sql`with ${sql.join(steps, sql`, `)} ${results}`))];
  const passed = ({ key, rule }: Counted) => (rows.find((row) => row.key === key)?.failures ?? Infinity) <= rule.maxAttempts;
  if (counted.every(passed)) return;
  const lockedUntil = Math.max(...rows.map((row) => (row.locked_until ? new Date(row.locked_until).getTime() : 0)));
  const seconds = Math.max(1, Math.ceil((lockedUntil - now.getTime()) / 1000));
  throw rateLimited(refusal(seconds), seconds);
}

const signInRefusal = (seconds: number) => `Слишком много неудачных попыток входа. Попробуйте снова через ${minutesPhrase(seconds)}.`;

/** A sign-in attempt of `keys` (see `throttleKeys`), counted before the password is compared. */
export function reserveSignInAttempt(db: Db, keys: Record<Scope, string>, now = new Date()): Promise<void> {
  const counted = (Object.keys(THROTTLE_RULES) as Scope[]).map((scope) => ({ key: keys[scope], rule: THROTTLE_RULES[scope] }));
  return reserveAttempt(db, counted, now, signInRefusal);
}

/**
 * A right password was not a failure: the login-address pair is forgotten and the attempt it
 * reserved is given back to the other keys (a lock it set is lifted while the count is below the limit).
 */
export async function forgiveAttempt(db: Db, keys: Record<Scope, string>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(loginThrottles).where(sql`${loginThrottles.key} = ${keys['login-address']}`);
    for (const scope of ['login', 'address'] as const) {
      await tx
        .update(loginThrottles)
        .set({
          failures: sql`greatest(${loginThrottles.failures} - 1, 0)`,
          lockedUntil: sql`case when ${loginThrottles.failures} - 1 < ${THROTTLE_RULES[scope].maxAttempts} then null else ${loginThrottles.lockedUntil} end`,
        })
        .where(sql`${loginThrottles.key} = ${keys[scope]}`);
    }
  });
}

/** An account lookup from `clientAddress` (see LOOKUP_RULE), counted before the lookup. */
export function reserveLookup(db: Db, clientAddress: string | null, now = new Date()): Promise<void> {
  return reserveAttempt(db, [{ key: `lookup:${clientAddress ?? 'unknown'}`, rule: LOOKUP_RULE }], now, (seconds) =>
    `Слишком много запросов с вашего адреса. Попробуйте снова через ${minutesPhrase(seconds)}.`,
  );
}
