import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { userError, type UserError } from '../../../lib/errors.ts';
import { findAccountByLogin } from '../db/queries.ts';
import { accounts, type Account } from '../db/schema.ts';
import { generatePassword, passwordConfirmationProblems, passwordProblems } from './passwords.ts';
import { checkCode, consumeCode, issueCode } from './codes.ts';
import { checkCredentials, type SignInDeps } from './login.ts';
import { hashPassword, maskEmail, maskPhone, parseLogin, passwordMatches, unreadableLogin } from './credentials.ts';
import type { RegistrationDeps } from './registration.ts';
import { logSecurityEvent, type Device } from './security-log.ts';
import { openSession, revokeOtherSessions, type SessionTokens } from './sessions.ts';

/** Changing, recovering and resetting passwords. */

export interface NewPassword {
  newPassword: string;
  newPasswordConfirmation: string;
}

const newPasswordProblems = (account: Account, input: NewPassword): UserError[] => [
  ...passwordProblems(input.newPassword, { phone: account.phone, email: account.email }, ['input', 'newPassword']),
  ...passwordConfirmationProblems(input.newPassword, input.newPasswordConfirmation, ['input', 'newPasswordConfirmation']),
];

/**
 * Stores a new password and writes why to the event log, ending the sessions `endSessions` says
 * (all, all but one, or none), in one transaction with whatever `alsoInTransaction` does.
 */
async function storePassword(
  db: SignInDeps['db'],
  account: Account,
  password: string,
  change: { kind: 'PASSWORD_CHANGED' | 'PASSWORD_RECOVERED' | 'TEMPORARY_PASSWORD_ISSUED'; temporary?: boolean; endSessions: 'ALL' | 'NONE' | { keep: string | null } },
  device: Device,
  now: Date,
  alsoInTransaction?: (tx: SignInDeps['db']) => Promise<void>,
): Promise<Account> {
  const updated = { passwordHash: await hashPassword(password), passwordChangeRequired: change.temporary ?? false };
  await db.transaction(async (tx) => {
    await tx.update(accounts).set(updated).where(eq(accounts.id, account.id));
    await alsoInTransaction?.(tx);
    if (change.endSessions !== 'NONE') await revokeOtherSessions(tx, account.id, change.endSessions === 'ALL' ? null : change.endSessions.keep, change.kind, now);
    await logSecurityEvent(tx, account.id, change.kind, device, now);
  });
  return { ...account, ...updated };
}

export const wrongPassword = (field = 'password') => userError('WRONG_PASSWORD', 'Неверный пароль.', ['input', field]);

/** Old password once, the new one twice; other sessions end unless the person keeps them. */
export async function changePassword(
  { db }: SignInDeps,
  account: Account,
  input: NewPassword & { oldPassword: string; endOtherSessions: boolean; currentSessionId: string | null },
  device: Device,
  now = new Date(),
): Promise<UserError[]> {
  if (!(await passwordMatches(account.passwordHash, input.oldPassword))) return [wrongPassword('oldPassword')];
  const errors = newPasswordProblems(account, input);
  if (errors.length) return errors;
  const endSessions = input.endOtherSessions ? { keep: input.currentSessionId } : 'NONE';
  await storePassword(db, account, input.newPassword, { kind: 'PASSWORD_CHANGED', endSessions }, device, now);
  return [];
}

export const noConfirmedContacts = (what: string) =>
  userError(
    'NO_CONFIRMED_CONTACTS',
    `Учётная запись с таким ${what} не имеет подтверждённых контактов. Для восстановления доступа обратитесь в центр обслуживания.`,
    ['input', 'login'],
  );

export interface RecoveryStarted {
  requestId: string;
  channel: 'SMS' | 'EMAIL';
  /** Where the code or link went, masked. */
  sentTo: string;
  expiresAt: Date;
  resendAvailableAt: Date;
}

/**
 * Recovery by phone (SMS code), by e-mail (a link) or by SNILS (a link to the account's e-mail, or a
 * code to its phone). For a phone or e-mail with no account the answer looks the same as a real
 * one and nothing is sent; SNILS answers as the portal does, naming the masked contact.
 */
export async function startPasswordRecovery(deps: RegistrationDeps, login: string, now = new Date()): Promise<RecoveryStarted | { errors: UserError[] }> {
  const identifier = parseLogin(login);
  if (!identifier) return { errors: [unreadableLogin()] };
  const account = await findAccountByLogin(deps.db, identifier);
  const what = { phone: 'номером телефона', email: 'адресом электронной почты', snils: 'СНИЛС' }[identifier.kind];
  if (!account) {
    if (identifier.kind === 'snils') return { errors: [userError('ACCOUNT_NOT_FOUND', 'Учётная запись с таким СНИЛС не найдена. Проверьте номер или зарегистрируйтесь.', ['input', 'login'])] };
    const channel = identifier.kind === 'phone' ? 'SMS' : 'EMAIL';
    const sentTo = channel === 'SMS' ? maskPhone(identifier.value) : maskEmail(identifier.value);
    return { requestId: randomUUID(), channel, sentTo, expiresAt: new Date(now.getTime() + 5 * 60_000), resendAvailableAt: new Date(now.getTime() + 60_000) };
  }
  const byEmail = account.email && account.emailConfirmedAt && identifier.kind !== 'phone';
  const byPhone = account.phone && account.phoneConfirmedAt && identifier.kind !== 'email';
  if (!byEmail && !byPhone) return { errors: [noConfirmedContacts(what)] };
  const channel = byEmail ? 'EMAIL' : 'SMS';
  const recipient = (byEmail ? account.email : account.phone)!;
  const issued = await issueCode(deps.db, deps.sender, {
    purpose: 'PASSWORD_RECOVERY',
    channel,
    recipient,
    accountId: account.id,
    message: (secret, requestId) =>
      channel === 'SMS'
        ? { subject: '', text: `Код для восстановления пароля на Госуслугах: ${secret}. Никому его не сообщайте.` }
        : {
            subject: 'Восстановление пароля на Госуслугах',
            text: `Чтобы задать новый пароль, перейдите по ссылке (она действует 1 час):\n${deps.portalUrl}/recovery/confirm?request=${requestId}&code=${secret}\n\nЕсли вы не восстанавливали пароль, ничего не делайте: пароль останется прежним.`,
          },
  }, now);
  return { ...issued, channel, sentTo: channel === 'SMS' ? maskPhone(recipient) : maskEmail(recipient) };
}

/** Sets a new password with the recovery code or link; every session ends, and the person is signed in anew. */
export async function completePasswordRecovery(
  deps: SignInDeps,
  input: NewPassword & { requestId: string; code: string },
  device: Device,
  now = new Date(),
): Promise<{ session: SessionTokens } | { errors: UserError[] }> {
  const checked = await checkCode(deps.db, 'PASSWORD_RECOVERY', input.requestId, input.code, now);
  if (!checked.ok) return { errors: [checked.error] };
  const [account] = await deps.db.select().from(accounts).where(eq(accounts.id, checked.code.accountId!));
  if (!account) return { errors: [userError('CODE_INVALID', 'Код недействителен. Запросите новый код.', ['input', 'code'])] };
  const errors = newPasswordProblems(account, input);
  if (errors.length) return { errors };
  const stored = await storePassword(deps.db, account, input.newPassword, { kind: 'PASSWORD_RECOVERED', endSessions: 'ALL' }, device, now, (tx) =>
    consumeCode(tx, input.requestId, now),
  );
  return { session: await openSession(deps.db, deps.tokens, stored, 'PASSWORD', device, now) };
}

/**
 * A service-centre operator, having seen the person's identity document, issues a temporary password
 * for an account that cannot recover by itself. It must be replaced at the first sign-in.
 */
export async function issueTemporaryPassword({ db }: SignInDeps, account: Account, device: Device, now = new Date()): Promise<string> {
  const temporaryPassword = generatePassword();
  await storePassword(db, account, temporaryPassword, { kind: 'TEMPORARY_PASSWORD_ISSUED', temporary: true, endSessions: 'ALL' }, device, now);
  return temporaryPassword;
}

/** The first sign-in with a temporary password: it is replaced, then the person is signed in. */
export async function replaceTemporaryPassword(
  deps: SignInDeps,
  input: NewPassword & { login: string; temporaryPassword: string },
  device: Device,
  now = new Date(),
): Promise<{ session: SessionTokens } | { errors: UserError[] }> {
  const checked = await checkCredentials(deps.db, input.login, input.temporaryPassword, device, now);
  if (!checked.ok) return { errors: [checked.error] };
  const { account } = checked;
  if (!account.passwordChangeRequired) return { errors: [userError('NO_TEMPORARY_PASSWORD', 'Для этой учётной записи не выдавался временный пароль: войдите как обычно.', ['input', 'login'])] };
  const errors = newPasswordProblems(account, input);
  if (errors.length) return { errors };
  const stored = await storePassword(deps.db, account, input.newPassword, { kind: 'PASSWORD_CHANGED', endSessions: 'NONE' }, device, now);
  return { session: await openSession(deps.db, deps.tokens, stored, 'PASSWORD', device, now) };
}

