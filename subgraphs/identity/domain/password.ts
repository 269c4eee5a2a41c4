import { userError, type UserError } from '../../../lib/errors.ts';
import { accountById, findAccountByLogin, setPassword } from '../db/accounts.ts';
import { consumeCode } from '../db/codes.ts';
import type { Account } from '../db/schema.ts';
import { revokeOtherSessions } from '../db/sessions.ts';
import { inTransaction, type Db } from '../db/store.ts';
import { generatePassword, passwordConfirmationProblems, passwordProblems } from './passwords.ts';
import { checkCode, CODE_ERRORS, issueCode } from './codes.ts';
import { checkCredentials, passwordConfirmed, type SignInDeps } from './login.ts';
import { hashPassword, maskEmail, maskPhone, parseLogin, unreadableLogin } from './credentials.ts';
import type { RegistrationDeps } from './registration.ts';
import { logSecurityEvent, type Device } from './security-log.ts';
import { openSession, type SessionTokens } from './sessions.ts';
import { reserveLookup } from './throttle.ts';

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
 * (all, all but one, or none), in one transaction with `dependsOn`: when that answers false (a code
 * a parallel request used first) nothing is stored and the answer is null.
 */
async function storePassword(
  db: Db,
  account: Account,
  password: string,
  change: { kind: 'PASSWORD_CHANGED' | 'PASSWORD_RECOVERED' | 'TEMPORARY_PASSWORD_ISSUED'; temporary?: boolean; endSessions: 'ALL' | 'NONE' | { keep: string | null } },
  device: Device,
  now: Date,
  dependsOn?: (tx: Db) => Promise<boolean>,
): Promise<Account | null> {
  const updated = { passwordHash: await hashPassword(password), passwordChangeRequired: change.temporary ?? false };
  const stored = await inTransaction(db, async (tx) => {
    if (dependsOn && !(await dependsOn(tx))) return false;
    await setPassword(tx, account.id, updated);
    if (change.endSessions !== 'NONE') await revokeOtherSessions(tx, account.id, change.endSessions === 'ALL' ? null : change.endSessions.keep, change.kind, now);
    await logSecurityEvent(tx, account.id, change.kind, device, now);
    return true;
  });
  return stored ? { ...account, ...updated } : null;
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
  if (!(await passwordConfirmed(db, account, input.oldPassword, device, now))) return [wrongPassword('oldPassword')];
  const errors = newPasswordProblems(account, input);
  if (errors.length) return errors;
  const endSessions = input.endOtherSessions ? { keep: input.currentSessionId } : 'NONE';
  await storePassword(db, account, input.newPassword, { kind: 'PASSWORD_CHANGED', endSessions }, device, now);
  return [];
}

export const noConfirmedContacts = () =>
  userError('NO_CONFIRMED_CONTACTS', 'Учётная запись с таким СНИЛС не имеет подтверждённых контактов. Для восстановления доступа обратитесь в центр обслуживания.', ['input', 'login']);

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
 * code to its phone). A phone or e-mail is answered the same whether an account has it confirmed or
 * not: the same statements (a code is stored and counted against the recipient's limits, cool-down
 * included), the same payload, and the message leaves after the answer, so neither the answer nor
 * its time tells; only an account's code is delivered. SNILS answers as the portal does, naming the
 * masked contact or saying there is no account, so that lookup is throttled per client address.
 */
export async function startPasswordRecovery(deps: RegistrationDeps, login: string, device: Device, now = new Date()): Promise<RecoveryStarted | { errors: UserError[] }> {
  const identifier = parseLogin(login);
  if (!identifier) return { errors: [unreadableLogin()] };
  if (identifier.kind === 'snils') await reserveLookup(deps.db, device.clientAddress, now);
  const account = await findAccountByLogin(deps.db, identifier);
  let channel: 'SMS' | 'EMAIL';
  let recipient: string;
  let owner: Account | null;
  if (identifier.kind === 'snils') {
    if (!account) return { errors: [userError('ACCOUNT_NOT_FOUND', 'Учётная запись с таким СНИЛС не найдена. Проверьте номер или зарегистрируйтесь.', ['input', 'login'])] };
    const byEmail = account.email && account.emailConfirmedAt;
    if (!byEmail && !(account.phone && account.phoneConfirmedAt)) return { errors: [noConfirmedContacts()] };
    [channel, recipient, owner] = byEmail ? ['EMAIL', account.email!, account] : ['SMS', account.phone!, account];
  } else {
    // The code goes to the login itself, and only if it is an account's confirmed contact.
    const confirmed = identifier.kind === 'phone' ? account?.phoneConfirmedAt : account?.emailConfirmedAt;
    [channel, recipient, owner] = [identifier.kind === 'phone' ? 'SMS' : 'EMAIL', identifier.value, confirmed ? account : null];
  }
  const issued = await issueCode(
    deps.db,
    deps.sender,
    {
      purpose: 'PASSWORD_RECOVERY',
      channel,
      recipient,
      accountId: owner?.id ?? null,
      delivery: owner ? 'background' : 'nowhere',
      message: (secret, requestId) =>
        channel === 'SMS'
          ? { subject: '', text: `Код для восстановления пароля на Госуслугах: ${secret}. Никому его не сообщайте.` }
          : {
              subject: 'Восстановление пароля на Госуслугах',
              text: `Чтобы задать новый пароль, перейдите по ссылке (она действует 1 час):\n${deps.portalUrl}/recovery/confirm?request=${requestId}&code=${secret}\n\nЕсли вы не восстанавливали пароль, ничего не делайте: пароль останется прежним.`,
            },
    },
    now,
  );
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
  // A code stored for a contact without an account (see startPasswordRecovery) recovers nothing.
  const account = checked.code.accountId ? await accountById(deps.db, checked.code.accountId) : null;
  if (!account) return { errors: [CODE_ERRORS.unknown()] };
  const errors = newPasswordProblems(account, input);
  if (errors.length) return { errors };
  // Used in the transaction that changes the password: the same request in parallel changes it once.
  const stored = await storePassword(deps.db, account, input.newPassword, { kind: 'PASSWORD_RECOVERED', endSessions: 'ALL' }, device, now, (tx) => consumeCode(tx, input.requestId, now));
  if (!stored) return { errors: [CODE_ERRORS.unknown()] };
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
  return { session: await openSession(deps.db, deps.tokens, stored!, 'PASSWORD', device, now) };
}
