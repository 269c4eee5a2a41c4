import { userError, type UserError } from '../../../lib/errors.ts';
import { createAccount, findAccountByLogin } from '../db/accounts.ts';
import { codeById, consumeCode } from '../db/codes.ts';
import { inTransaction, recordEvent } from '../db/store.ts';
import { passwordConfirmationProblems, passwordProblems } from './passwords.ts';
import { checkCode, confirmedCode, issueCode, type IssuedCode } from './codes.ts';
import { hashPassword, parseLogin } from './credentials.ts';
import type { SignInDeps } from './login.ts';
import { logSecurityEvent, type Device } from './security-log.ts';
import { openSession, type SessionTokens } from './sessions.ts';
import { reserveLookup } from './throttle.ts';

/**
 * Registration (регистрация) of a SIMPLIFIED account in three steps: names and a phone or e-mail;
 * the SMS code or the e-mail link that proves the contact; the password, entered twice.
 */

export interface RegistrationDeps extends SignInDeps {
  /** Where the portal's front end opens e-mail links. */
  portalUrl: string;
}

export interface RegistrationStart {
  lastName: string;
  firstName: string;
  phone?: string | null;
  email?: string | null;
}

const NAME = /^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё' .-]{0,99}$/;

export const contactTaken = (kind: 'PHONE' | 'EMAIL') =>
  kind === 'PHONE'
    ? userError('PHONE_TAKEN', 'Этот номер телефона уже используется в другой учётной записи. Если это ваша учётная запись, восстановите пароль.', ['input', 'phone'])
    : userError('EMAIL_TAKEN', 'Эта электронная почта уже используется в другой учётной записи. Если это ваша учётная запись, восстановите пароль.', ['input', 'email']);

function nameProblems(input: RegistrationStart): UserError[] {
  return (['lastName', 'firstName'] as const).flatMap((field) => {
    const value = input[field].trim();
    if (!value) return [userError('NAME_REQUIRED', field === 'lastName' ? 'Укажите фамилию.' : 'Укажите имя.', ['input', field])];
    return NAME.test(value) ? [] : [userError('NAME_INVALID', 'Допустимы буквы, пробел, дефис и апостроф, до 100 символов.', ['input', field])];
  });
}

/** Which contact the person gave, normalised, or the errors to show. */
function contactOf(input: RegistrationStart): { kind: 'PHONE' | 'EMAIL'; value: string } | UserError[] {
  const phone = input.phone?.trim();
  const email = input.email?.trim();
  if (!phone && !email) return [userError('CONTACT_REQUIRED', 'Укажите мобильный телефон или электронную почту.', ['input', 'phone'])];
  if (phone && email) return [userError('ONE_CONTACT_ONLY', 'Укажите что-то одно: телефон или электронную почту. Второй контакт можно добавить позже.', ['input', 'email'])];
  const parsed = parseLogin((phone ?? email)!);
  if (phone) {
    return parsed?.kind === 'phone' ? { kind: 'PHONE', value: parsed.value } : [userError('PHONE_INVALID', 'Введите мобильный номер в формате +7 XXX XXX-XX-XX.', ['input', 'phone'])];
  }
  return parsed?.kind === 'email' ? { kind: 'EMAIL', value: parsed.value } : [userError('EMAIL_INVALID', 'Проверьте адрес электронной почты.', ['input', 'email'])];
}

/**
 * The first step. A taken contact is answered as taken (the person must be pointed to recovery), so
 * the answer tells whether an account has it: the lookup is throttled per client address.
 */
export async function startRegistration(deps: RegistrationDeps, input: RegistrationStart, device: Device, now = new Date()): Promise<IssuedCode | { errors: UserError[] }> {
  const names = nameProblems(input);
  const contact = contactOf(input);
  const errors = [...names, ...(Array.isArray(contact) ? contact : [])];
  if (errors.length || Array.isArray(contact)) return { errors };
  await reserveLookup(deps.db, device.clientAddress, now);
  if (await findAccountByLogin(deps.db, { kind: contact.kind === 'PHONE' ? 'phone' : 'email', value: contact.value })) {
    return { errors: [contactTaken(contact.kind)] };
  }
  return sendRegistrationCode(deps, contact, { lastName: input.lastName.trim(), firstName: input.firstName.trim() }, now);
}

function sendRegistrationCode(deps: RegistrationDeps, contact: { kind: 'PHONE' | 'EMAIL'; value: string }, names: Record<string, string>, now: Date) {
  return issueCode(
    deps.db,
    deps.sender,
    {
      purpose: 'REGISTRATION',
      channel: contact.kind === 'PHONE' ? 'SMS' : 'EMAIL',
      recipient: contact.value,
      context: { ...names, contactKind: contact.kind },
      message: (secret, requestId) =>
        contact.kind === 'PHONE'
          ? { subject: '', text: `Код подтверждения регистрации на Госуслугах: ${secret}. Никому его не сообщайте.` }
          : {
              subject: 'Подтверждение регистрации на Госуслугах',
              text: `Здравствуйте, ${names.firstName}!\n\nЧтобы завершить регистрацию, перейдите по ссылке (она действует 3 дня):\n${deps.portalUrl}/registration/confirm?request=${requestId}&code=${secret}\n\nЕсли вы не регистрировались, просто удалите это письмо.`,
            },
    },
    now,
  );
}

/** A new code for the same registration, once the cool-down has passed; the old one stops working. */
export async function resendRegistrationCode(deps: RegistrationDeps, requestId: string, now = new Date()): Promise<IssuedCode | { errors: UserError[] }> {
  const previous = /^[0-9a-f-]{36}$/i.test(requestId) ? await codeById(deps.db, requestId) : null;
  if (!previous || previous.purpose !== 'REGISTRATION') return { errors: [userError('REGISTRATION_NOT_FOUND', 'Регистрация не найдена. Начните её заново.', ['input', 'requestId'])] };
  const { lastName = '', firstName = '', contactKind } = previous.context;
  return sendRegistrationCode(deps, { kind: contactKind === 'EMAIL' ? 'EMAIL' : 'PHONE', value: previous.recipient }, { lastName, firstName }, now);
}

/** The SMS code or the token of the e-mail link. */
export async function confirmRegistrationContact(deps: RegistrationDeps, requestId: string, code: string, now = new Date()): Promise<{ errors: UserError[] }> {
  const checked = await checkCode(deps.db, 'REGISTRATION', requestId, code, now);
  return { errors: checked.ok ? [] : [checked.error] };
}

export interface RegistrationCompletion {
  requestId: string;
  password: string;
  passwordConfirmation: string;
}

const notConfirmed = () => userError('CONTACT_NOT_CONFIRMED', 'Сначала подтвердите телефон или почту кодом из сообщения. Если код устарел, запросите новый.', ['input', 'requestId']);

/** Sets the password of a confirmed registration, creates the account and signs the person in. */
export async function completeRegistration(deps: RegistrationDeps, input: RegistrationCompletion, device: Device, now = new Date()): Promise<{ session: SessionTokens } | { errors: UserError[] }> {
  const code = await confirmedCode(deps.db, 'REGISTRATION', input.requestId, now);
  if (!code) return { errors: [notConfirmed()] };
  const { lastName = '', firstName = '', contactKind } = code.context;
  const phone = contactKind === 'PHONE' ? code.recipient : null;
  const email = contactKind === 'EMAIL' ? code.recipient : null;
  const errors = [...passwordProblems(input.password, { phone, email, names: [lastName, firstName] }), ...passwordConfirmationProblems(input.password, input.passwordConfirmation)];
  if (errors.length) return { errors };
  const passwordHash = await hashPassword(input.password);
  const account = await inTransaction(deps.db, async (tx) => {
    // Used first: the same request completed in parallel creates one account.
    if (!(await consumeCode(tx, code.id, now))) return undefined;
    const created = await createAccount(tx, { phone, phoneConfirmedAt: phone ? now : null, email, emailConfirmedAt: email ? now : null, passwordHash, createdAt: now });
    if (!created) return null;
    await recordEvent(tx, 'identity.account-registered', { userId: created.id, lastName, firstName, phone, email });
    await logSecurityEvent(tx, created.id, 'REGISTERED', device, now);
    return created;
  });
  if (account === undefined) return { errors: [notConfirmed()] };
  // Someone registered the same contact meanwhile.
  if (!account) return { errors: [contactTaken(phone ? 'PHONE' : 'EMAIL')] };
  return { session: await openSession(deps.db, deps.tokens, account, 'PASSWORD', device, now) };
}
