import type { MessageSender } from '../../../lib/delivery.ts';
import { userError, type UserError } from '../../../lib/errors.ts';
import { accountById, findAccountByLogin } from '../db/accounts.ts';
import { consumeCode } from '../db/codes.ts';
import type { Account } from '../db/schema.ts';
import type { Db } from '../db/store.ts';
import type { TokenIssuer } from '../tokens.ts';
import { checkCode, CODE_ERRORS, issueCode } from './codes.ts';
import { invalidCredentials, maskPhone, parseLogin, passwordMatches, unreadableLogin } from './credentials.ts';
import type { Device } from './security-log.ts';
import { openSession, type SessionTokens } from './sessions.ts';
import { forgiveAttempt, passwordAgainKeys, reservePasswordAgain, reserveSignInAttempt, throttleKeys } from './throttle.ts';

/** Signing in: password, then an SMS code when two-step login is on. */

export interface SignInDeps {
  db: Db;
  tokens: TokenIssuer;
  sender: MessageSender;
}

export type SignInResult =
  { outcome: 'SIGNED_IN'; session: SessionTokens } | { outcome: 'SMS_CODE_REQUIRED'; requestId: string; maskedPhone: string; expiresAt: Date; resendAvailableAt: Date } | { outcome: 'FAILED'; error: UserError };

export const passwordChangeRequired = () => userError('PASSWORD_CHANGE_REQUIRED', 'Вы вошли с временным паролем. Задайте новый пароль, чтобы продолжить.', ['input', 'password']);

/**
 * Checks a login and password under the throttle. Returns the account when they match; refuses the
 * same way whether the login is unknown or the password wrong.
 */
export async function checkCredentials(db: Db, login: string, password: string, device: Device, now = new Date()) {
  const identifier = parseLogin(login);
  if (!identifier) return { ok: false as const, error: unreadableLogin() };
  const keys = throttleKeys(`${identifier.kind}:${identifier.value}`, device.clientAddress);
  // Counted before the comparison, so parallel guesses cannot all be compared under one count.
  await reserveSignInAttempt(db, keys, now);
  const account = await findAccountByLogin(db, identifier);
  if (!(await passwordMatches(account?.passwordHash ?? null, password)) || !account) return { ok: false as const, error: invalidCredentials() };
  await forgiveAttempt(db, keys);
  return { ok: true as const, account };
}

/**
 * The password of a signed-in person, asked again before a change of the account, under its own
 * throttle (throttle.ts `passwordAgainKeys`): counted before the comparison, given back when right.
 */
export async function passwordConfirmed(db: Db, account: Account, password: string, device: Device, now = new Date()): Promise<boolean> {
  const keys = passwordAgainKeys(account.id, device.clientAddress);
  await reservePasswordAgain(db, keys, now);
  if (!(await passwordMatches(account.passwordHash, password))) return false;
  await forgiveAttempt(db, keys);
  return true;
}

export async function signIn({ db, tokens, sender }: SignInDeps, login: string, password: string, device: Device, now = new Date()): Promise<SignInResult> {
  const checked = await checkCredentials(db, login, password, device, now);
  if (!checked.ok) return { outcome: 'FAILED', error: checked.error };
  const { account } = checked;
  if (account.passwordChangeRequired) return { outcome: 'FAILED', error: passwordChangeRequired() };
  if (account.twoStepLogin && account.phone) {
    const issued = await issueCode(
      db,
      sender,
      {
        purpose: 'TWO_STEP_LOGIN',
        channel: 'SMS',
        recipient: account.phone,
        accountId: account.id,
        context: { deviceName: device.deviceName ?? '' },
        message: (code) => ({ subject: 'Код для входа', text: `Код для входа на Госуслуги: ${code}. Никому его не сообщайте.` }),
      },
      now,
    );
    return { outcome: 'SMS_CODE_REQUIRED', maskedPhone: maskPhone(account.phone), ...issued };
  }
  return { outcome: 'SIGNED_IN', session: await openSession(db, tokens, account, 'PASSWORD', device, now) };
}

/** The second step: the SMS code of a sign-in whose password was right. */
export async function confirmSignIn({ db, tokens }: SignInDeps, requestId: string, code: string, device: Device, now = new Date()): Promise<SignInResult> {
  const checked = await checkCode(db, 'TWO_STEP_LOGIN', requestId, code, now);
  if (!checked.ok) return { outcome: 'FAILED', error: checked.error };
  // The same code in parallel signs in once.
  if (!(await consumeCode(db, requestId, now))) return { outcome: 'FAILED', error: CODE_ERRORS.unknown() };
  const account = await accountById(db, checked.code.accountId!);
  if (!account) return { outcome: 'FAILED', error: invalidCredentials() };
  return { outcome: 'SIGNED_IN', session: await openSession(db, tokens, account, 'PASSWORD_AND_SMS', device, now) };
}
