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

type Db = Queryable<typeof tables>;
/** A key an attempt is counted under, with its rule; an attempt's keys go narrowest first. */
type Counted = { key: string; rule: ThrottleRule };

const addressKey = (clientAddress: string | null) => `address:${clientAddress ?? 'unknown'}`;

/** The keys of a sign-in attempt at `login` from `clientAddress`. */
export function throttleKeys(login: string, clientAddress: string | null): Counted[] {
  return [
    { key: `login-address:${login}|${clientAddress ?? 'unknown'}`, rule: THROTTLE_RULES['login-address'] },
    { key: `login:${login}`, rule: THROTTLE_RULES.login },
    { key: addressKey(clientAddress), rule: THROTTLE_RULES.address },
  ];
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
export function reserveSignInAttempt(db: Db, keys: Counted[], now = new Date()): Promise<void> {
  return reserveAttempt(db, keys, now, signInRefusal);
}

/**
 * The password a signed-in person is asked again before a change (two-step login, a contact, the
 * password, deletion): whoever holds a stolen session, or its token, must not guess it freely. Counted
 * per account from one address, per account and per address, as sign-in counts per login.
 *
 * The per-address key is sign-in's own: one address has one budget of wrong passwords, whichever
 * door it knocks on. The account keys are not sign-in's: sign-in counts per login as typed, before
 * any account is looked up (so an unknown login is counted alike and the answer tells nothing), and
 * keeping them apart means a stolen session can lock only these changes for 15 minutes, never the
 * owner's sign-in.
 */
export const PASSWORD_AGAIN_RULES = {
  'account-address': THROTTLE_RULES['login-address'],
  account: THROTTLE_RULES.login,
  address: THROTTLE_RULES.address,
} as const;

/** The keys of the password asked again of `accountId` from `clientAddress`, narrowest first. */
export function passwordAgainKeys(accountId: string, clientAddress: string | null): Counted[] {
  return [
    { key: `account-address:${accountId}|${clientAddress ?? 'unknown'}`, rule: PASSWORD_AGAIN_RULES['account-address'] },
    { key: `account:${accountId}`, rule: PASSWORD_AGAIN_RULES.account },
    { key: addressKey(clientAddress), rule: PASSWORD_AGAIN_RULES.address },
  ];
}

const passwordAgainRefusal = (seconds: number) => `Слишком много попыток ввести пароль. Попробуйте снова через ${minutesPhrase(seconds)}.`;

/** The password asked again (see `passwordAgainKeys`), counted before it is compared. */
export function reservePasswordAgain(db: Db, keys: Counted[], now = new Date()): Promise<void> {
  return reserveAttempt(db, keys, now, passwordAgainRefusal);
}

/**
 * A right password was not a failure: the narrowest key (the pair of who and where) is forgotten and
 * the attempt it reserved is given back to the other keys (a lock it set is lifted while the count is
 * below the limit).
 */
export async function forgiveAttempt(db: Db, [pair, ...others]: Counted[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(loginThrottles).where(sql`${loginThrottles.key} = ${pair!.key}`);
    for (const { key, rule } of others) {
      await tx
        .update(loginThrottles)
        .set({
          failures: sql`greatest(${loginThrottles.failures} - 1, 0)`,
          lockedUntil: sql`case when ${loginThrottles.failures} - 1 < ${rule.maxAttempts} then null else ${loginThrottles.lockedUntil} end`,
        })
        .where(sql`${loginThrottles.key} = ${key}`);
    }
  });
}

/** An account lookup from `clientAddress` (see LOOKUP_RULE), counted before the lookup. */
export function reserveLookup(db: Db, clientAddress: string | null, now = new Date()): Promise<void> {
  return reserveAttempt(db, [{ key: `lookup:${clientAddress ?? 'unknown'}`, rule: LOOKUP_RULE }], now, (seconds) =>
    `Слишком много запросов с вашего адреса. Попробуйте снова через ${minutesPhrase(seconds)}.`,
  );
}
