import { userError, type UserError } from '../../../lib/errors.ts';
import { accountById, findAccountByLogin, removeAccount, setConfirmedContact, switchTwoStepLogin } from '../db/accounts.ts';
import { consumeCode } from '../db/codes.ts';
import { bindPinWithinLimit, isDeviceBound, resetPinAttempts, takePinAttempt, unbindDevice } from '../db/devices.ts';
import type { Account } from '../db/schema.ts';
import { inTransaction, recordEvent } from '../db/store.ts';
import { checkCode, CODE_ERRORS, issueCode, type IssuedCode } from './codes.ts';
import { hashPassword, parseLogin, passwordMatches } from './credentials.ts';
import { passwordConfirmed, type SignInDeps } from './login.ts';
import { wrongPassword } from './password.ts';
import { contactTaken } from './registration.ts';
import { logSecurityEvent, type Device } from './security-log.ts';
import { openSession, type SessionTokens } from './sessions.ts';
import { reserveLookup } from './throttle.ts';

/** Security settings of an account: two-step login, contacts, the mobile PIN, deletion. */

export async function setTwoStepLogin({ db }: SignInDeps, account: Account, enabled: boolean, password: string, device: Device, now = new Date()): Promise<UserError[]> {
  if (!(await passwordConfirmed(db, account, password, device, now))) return [wrongPassword()];
  if (enabled && !(account.phone && account.phoneConfirmedAt)) {
    return [userError('PHONE_REQUIRED', 'Чтобы включить вход с кодом по СМС, добавьте и подтвердите номер мобильного телефона.', ['input', 'enabled'])];
  }
  await inTransaction(db, async (tx) => {
    await switchTwoStepLogin(tx, account.id, enabled);
    await logSecurityEvent(tx, account.id, enabled ? 'TWO_STEP_LOGIN_ENABLED' : 'TWO_STEP_LOGIN_DISABLED', device, now);
  });
  return [];
}

/**
 * A new phone or e-mail is taken only after the password and a code sent to the new contact. A
 * contact on another account is answered as taken: that lookup is throttled per client address.
 */
export async function startContactChange(
  deps: SignInDeps,
  account: Account,
  input: { phone?: string | null; email?: string | null; password: string },
  device: Device,
  now = new Date(),
): Promise<IssuedCode | { errors: UserError[] }> {
  if (!(await passwordConfirmed(deps.db, account, input.password, device, now))) return { errors: [wrongPassword()] };
  const raw = input.phone ?? input.email;
  const parsed = raw ? parseLogin(raw) : null;
  const kind = input.phone ? 'phone' : 'email';
  if (!parsed || parsed.kind !== kind) {
    return {
      errors: [
        kind === 'phone' ? userError('PHONE_INVALID', 'Введите мобильный номер в формате +7 XXX XXX-XX-XX.', ['input', 'phone']) : userError('EMAIL_INVALID', 'Проверьте адрес электронной почты.', ['input', 'email']),
      ],
    };
  }
  await reserveLookup(deps.db, device.clientAddress, now);
  const owner = await findAccountByLogin(deps.db, parsed);
  if (owner && owner.id !== account.id) return { errors: [contactTaken(kind === 'phone' ? 'PHONE' : 'EMAIL')] };
  return issueCode(
    deps.db,
    deps.sender,
    {
      purpose: 'CONTACT_CHANGE',
      channel: kind === 'phone' ? 'SMS' : 'EMAIL',
      recipient: parsed.value,
      accountId: account.id,
      context: { kind },
      message: (code) => ({ subject: 'Код подтверждения', text: `Код для подтверждения ${kind === 'phone' ? 'номера телефона' : 'электронной почты'} на Госуслугах: ${code}.` }),
    },
    now,
  );
}

export async function confirmContactChange({ db }: SignInDeps, account: Account, requestId: string, code: string, device: Device, now = new Date()): Promise<UserError[]> {
  const checked = await checkCode(db, 'CONTACT_CHANGE', requestId, code, now);
  if (!checked.ok) return [checked.error];
  if (checked.code.accountId !== account.id) return [userError('CODE_INVALID', 'Код недействителен. Запросите новый код.', ['input', 'code'])];
  const isPhone = checked.code.context.kind === 'phone';
  const value = checked.code.recipient;
  const changed = await inTransaction(db, async (tx) => {
    // Used first: the same request confirmed in parallel changes the contact once.
    if (!(await consumeCode(tx, requestId, now))) return 'USED';
    const set = isPhone ? { phone: value, phoneConfirmedAt: now } : { email: value, emailConfirmedAt: now };
    const updated = await setConfirmedContact(tx, account.id, set);
    if (!updated) return 'TAKEN';
    // Notifications sends to the confirmed contacts: it hears of both as they are now.
    const { phone, phoneConfirmedAt, email, emailConfirmedAt } = updated;
    await recordEvent(tx, 'identity.contacts-changed', { userId: account.id, phone: phoneConfirmedAt ? phone : null, email: emailConfirmedAt ? email : null });
    await logSecurityEvent(tx, account.id, isPhone ? 'PHONE_CHANGED' : 'EMAIL_CHANGED', device, now);
    return 'CHANGED';
  });
  if (changed === 'USED') return [CODE_ERRORS.unknown()];
  return changed === 'CHANGED' ? [] : [contactTaken(isPhone ? 'PHONE' : 'EMAIL')];
}

/** The person deletes the account; every subgraph erases its data on the event. */
export async function deleteAccount({ db }: SignInDeps, account: Account, password: string, device: Device, now = new Date()): Promise<UserError[]> {
  if (!(await passwordConfirmed(db, account, password, device, now))) return [wrongPassword()];
  await inTransaction(db, async (tx) => {
    await removeAccount(tx, account.id);
    await recordEvent(tx, 'identity.account-deleted', { userId: account.id });
  });
  return [];
}

/** A PIN may be set or replaced this many times in 30 days. */
export const PIN_CHANGES_PER_MONTH = 3;
/** Wrong PINs before the device has to sign in with the password again. */
export const PIN_ATTEMPTS = 5;

/**
 * Binds a 4-digit PIN to a device, after a full sign-in (the caller's session must come from a
 * password). A device that belongs to another account must be bound anew with a new PIN.
 */
export async function setMobilePin({ db }: SignInDeps, account: Account, input: { deviceId: string; deviceName?: string | null; pin: string }, device: Device, now = new Date()): Promise<UserError[]> {
  if (!/^\d{4}$/.test(input.pin)) return [userError('PIN_INVALID', 'ПИН-код — это 4 цифры.', ['input', 'pin'])];
  if (/^(\d)\1{3}$/.test(input.pin) || '0123456789'.includes(input.pin) || '9876543210'.includes(input.pin)) {
    return [userError('PIN_TOO_SIMPLE', 'Слишком простой ПИН-код: не используйте одинаковые цифры или цифры подряд.', ['input', 'pin'])];
  }
  if (!/^[\w.:-]{8,128}$/.test(input.deviceId)) return [userError('DEVICE_ID_INVALID', 'Некорректный идентификатор устройства.', ['input', 'deviceId'])];
  const pinHash = await hashPassword(input.pin);
  // One statement decides and binds, so parallel requests get exactly PIN_CHANGES_PER_MONTH.
  const bound = await inTransaction(db, async (tx) => {
    const limit = { since: new Date(now.getTime() - 30 * 24 * 60 * 60_000), maxChanges: PIN_CHANGES_PER_MONTH };
    const set = await bindPinWithinLimit(tx, { deviceId: input.deviceId, accountId: account.id, deviceName: input.deviceName ?? null, pinHash }, now, limit);
    if (set) await logSecurityEvent(tx, account.id, 'PIN_SET', { ...device, deviceName: input.deviceName ?? null }, now);
    return set;
  });
  if (!bound) return [userError('PIN_CHANGE_LIMIT', `ПИН-код можно менять не чаще ${PIN_CHANGES_PER_MONTH} раз в месяц. Входите по паролю.`, ['input', 'pin'])];
  return [];
}

/**
 * Quick sign-in on a bound device. An attempt is reserved before the PIN is compared, in one
 * statement, so parallel guesses get exactly PIN_ATTEMPTS comparisons; the last wrong one unbinds
 * the device, and the password is needed again.
 */
export async function signInWithPin(deps: SignInDeps, deviceId: string, pin: string, device: Device, now = new Date()): Promise<{ session: SessionTokens } | { errors: UserError[] }> {
  const refused = userError('PIN_WRONG', 'Неверный ПИН-код.', ['input', 'pin']);
  const exhausted = userError('PIN_ATTEMPTS_EXHAUSTED', 'ПИН-код введён неверно слишком много раз. Войдите по паролю и задайте новый ПИН-код.', ['input', 'pin']);
  const bound = await takePinAttempt(deps.db, deviceId, PIN_ATTEMPTS);
  if (!bound) {
    // No attempt left (the device is being unbound) or none bound: read for the answer only.
    const spent = await isDeviceBound(deps.db, deviceId);
    return { errors: [spent ? exhausted : userError('DEVICE_NOT_BOUND', 'На этом устройстве вход по ПИН-коду не настроен. Войдите по паролю.', ['input', 'deviceId'])] };
  }
  if (!(await passwordMatches(bound.pinHash, pin))) {
    if (bound.wrongPinAttempts < PIN_ATTEMPTS) return { errors: [refused] };
    await unbindDevice(deps.db, bound.id);
    return { errors: [exhausted] };
  }
  await resetPinAttempts(deps.db, bound.id);
  const account = await accountById(deps.db, bound.accountId);
  if (!account) return { errors: [refused] };
  return { session: await openSession(deps.db, deps.tokens, account, 'PIN', { ...device, deviceName: bound.deviceName }, now) };
}
