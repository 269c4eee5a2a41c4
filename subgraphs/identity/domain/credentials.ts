import { hash, verify } from '@node-rs/argon2';
import { userError, type UserError } from '../../../lib/errors.ts';

/** The rules of signing in, free of GraphQL and SQL so they can be tested on their own. */

export type LoginIdentifier = { kind: 'phone'; value: string } | { kind: 'email'; value: string } | { kind: 'snils'; value: string };

/**
 * Reads what a person types as a login: a Russian mobile number in any common format
 * (`+7 916 123-45-67`, `8 (916) 123 45 67`), an e-mail, or a SNILS (`112-233-445 95`).
 */
export function parseLogin(raw: string): LoginIdentifier | null {
  const text = raw.trim();
  if (text.includes('@')) {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? { kind: 'email', value: text.toLowerCase() } : null;
  }
  const digits = text.replace(/[\s()+-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  if (digits.length === 11 && /^[78]9/.test(digits) && !/^\d{3}-\d{3}-\d{3}/.test(text)) {
    return { kind: 'phone', value: `+7${digits.slice(1)}` };
  }
  if (digits.length === 10 && digits.startsWith('9')) return { kind: 'phone', value: `+7${digits}` };
  if (digits.length === 11) return { kind: 'snils', value: digits };
  return null;
}

/**
 * argon2id (the library's `Algorithm.Argon2id`, a const enum that ESM imports cannot reach) with
 * OWASP's minimum settings: 19 MiB, 2 passes, 1 lane.
 */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

/** A hash of nothing in particular: verified against when no account matches, so timing tells nothing. */
const decoyHash = hashPassword('decoy password that matches no account');

export async function passwordMatches(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}

/** One message for an unknown login and a wrong password: the answer must not reveal which. */
export const invalidCredentials = (): UserError => userError('INVALID_CREDENTIALS', 'Неверный логин или пароль. Проверьте данные или восстановите пароль.');

export const unreadableLogin = (): UserError => userError('INVALID_LOGIN_FORMAT', 'Введите мобильный телефон (+7…), адрес электронной почты или СНИЛС из 11 цифр.', ['input', 'login']);

/** `+7 916 ***-**-01`: enough for the person to recognise their number, not enough to learn it. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 2)} ${phone.slice(2, 5)} ***-**-${phone.slice(-2)}`;
}

/** `iv***@example.ru`. */
export function maskEmail(email: string): string {
  const [name = '', domain = ''] = email.split('@');
  return `${name.slice(0, Math.min(2, name.length - 1))}***@${domain}`;
}
