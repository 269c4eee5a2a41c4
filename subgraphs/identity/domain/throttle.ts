import { minutesPhrase, rateLimited } from '../../../lib/errors.ts';
import type { Db } from '../db/store.ts';
import { countAttempt, giveBackAttempt, type AttemptCount } from '../db/throttles.ts';

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

/** A key an attempt is counted under, with its rule; an attempt's keys go narrowest first. */
export type Counted = { key: string; rule: ThrottleRule };

const addressKey = (clientAddress: string | null) => `address:${clientAddress ?? 'unknown'}`;

/** The keys of a sign-in attempt at `login` from `clientAddress`. */
export function throttleKeys(login: string, clientAddress: string | null): Counted[] {
  return [
    { key: `login-address:${login}|${clientAddress ?? 'unknown'}`, rule: THROTTLE_RULES['login-address'] },
    { key: `login:${login}`, rule: THROTTLE_RULES.login },
    { key: addressKey(clientAddress), rule: THROTTLE_RULES.address },
  ];
}

/**
 * Reserves one attempt under every key, narrowest first, in one statement, before the attempt is
 * checked: each key's row is locked while it counts, so parallel attempts get distinct numbers and
 * exactly `maxAttempts` of them pass. An attempt a key refuses is not counted by the keys after it
 * (an address locked on one login cannot lock that login for everybody). Throws RATE_LIMITED with
 * `refusal(seconds)` when a key refuses.
 */
export async function reserveAttempt(db: Db, counted: Counted[], now: Date, refusal: (seconds: number) => string): Promise<void> {
  const seconds = secondsRefused(counted, await countAttempt(db, counted, now), now);
  if (seconds !== null) throw rateLimited(refusal(seconds), seconds);
}

/**
 * Null when every key let the attempt through (a key the attempt never reached, refused before it,
 * has no count); otherwise how long until the latest lock ends, in whole seconds, at least one.
 */
export function secondsRefused(counted: Counted[], counts: AttemptCount[], now: Date): number | null {
  const passed = ({ key, rule }: Counted) => (counts.find((row) => row.key === key)?.failures ?? Infinity) <= rule.maxAttempts;
  if (counted.every(passed)) return null;
  const lockedUntil = Math.max(...counts.map((row) => (row.locked_until ? new Date(row.locked_until).getTime() : 0)));
  return Math.max(1, Math.ceil((lockedUntil - now.getTime()) / 1000));
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
export function forgiveAttempt(db: Db, [pair, ...others]: Counted[]): Promise<void> {
  return giveBackAttempt(db, pair!, others);
}

/** An account lookup from `clientAddress` (see LOOKUP_RULE), counted before the lookup. */
export function reserveLookup(db: Db, clientAddress: string | null, now = new Date()): Promise<void> {
  return reserveAttempt(db, [{ key: `lookup:${clientAddress ?? 'unknown'}`, rule: LOOKUP_RULE }], now, (seconds) => `Слишком много запросов с вашего адреса. Попробуйте снова через ${minutesPhrase(seconds)}.`);
}
