import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MessageSender } from '../../../lib/delivery.ts';
import { minutesPhrase, rateLimited, userError, type UserError } from '../../../lib/errors.ts';
import { codeOfRequest, confirmCode, replaceCode, takeCodeAttempt } from '../db/codes.ts';
import type { VerificationCode } from '../db/schema.ts';
import type { Db } from '../db/store.ts';
import { reserveSend, type SendRule } from './sends.ts';
import { logger } from '../../../lib/log.ts';

/**
 * One-time codes and links for every flow. A code is single use, bound to the request it was
 * issued for, lives minutes (an e-mail link days), allows a few wrong attempts, and is stored as a
 * digest. Sends are limited per recipient, so nobody can flood a victim's phone.
 */

export type CodePurpose = VerificationCode['purpose'];
export type CodeChannel = VerificationCode['channel'];

const MINUTE = 60_000;

/** How long a code lives and how many wrong attempts it allows, by purpose and channel. */
export const CODE_RULES: Record<CodePurpose, Partial<Record<CodeChannel, { ttlMs: number; attempts: number; link: boolean }>>> = {
  REGISTRATION: { SMS: { ttlMs: 5 * MINUTE, attempts: 3, link: false }, EMAIL: { ttlMs: 3 * 24 * 60 * MINUTE, attempts: 3, link: true } },
  TWO_STEP_LOGIN: { SMS: { ttlMs: 5 * MINUTE, attempts: 3, link: false } },
  PASSWORD_RECOVERY: { SMS: { ttlMs: 5 * MINUTE, attempts: 3, link: false }, EMAIL: { ttlMs: 60 * MINUTE, attempts: 3, link: true } },
  CONTACT_CHANGE: { SMS: { ttlMs: 5 * MINUTE, attempts: 3, link: false }, EMAIL: { ttlMs: 10 * MINUTE, attempts: 3, link: false } },
};

/**
 * A new code for the same purpose and recipient no sooner than a minute after the previous one; at
 * most 5 codes an hour to one phone or e-mail, whatever the purpose.
 */
export const CODE_SEND_RULE: SendRule = { cooldownMs: MINUTE, budget: { count: 5, windowMs: 60 * MINUTE } };

const digest = (requestId: string, secret: string) => createHash('sha256').update(`${requestId}:${secret}`).digest('hex');

/** Six digits for a code typed by hand; 256 random bits for a link. */
const newSecret = (link: boolean) => (link ? randomBytes(32).toString('base64url') : String(randomInt(0, 1_000_000)).padStart(6, '0'));

export interface IssueCode {
  purpose: CodePurpose;
  channel: CodeChannel;
  recipient: string;
  accountId?: string | null;
  context?: Record<string, string>;
  /** The message carrying the code or link, in Russian. */
  message: (secret: string, requestId: string) => { subject: string; text: string };
  /**
   * `wait` (the default) answers once the provider took the message; `background` answers first and
   * sends after, and `nowhere` sends nothing: recovery answers a contact without an account with the
   * same work and in the same time as one with an account.
   */
  delivery?: 'wait' | 'background' | 'nowhere';
}

export interface IssuedCode {
  requestId: string;
  expiresAt: Date;
  resendAvailableAt: Date;
}

/**
 * Refuses with RATE_LIMITED while the recipient is in its cool-down or over its hourly budget (the
 * send is reserved first, in one statement, so parallel requests send exactly what the rule allows);
 * otherwise stores a new code (the previous one of the same purpose stops working) and sends it.
 */
export async function issueCode(db: Db, sender: MessageSender, request: IssueCode, now = new Date()): Promise<IssuedCode> {
  const rule = CODE_RULES[request.purpose][request.channel];
  if (!rule) throw new Error(`no ${request.channel} codes for ${request.purpose}`);
  const wait = await reserveSend(db, request.recipient, request.purpose, CODE_SEND_RULE, now);
  if (wait) {
    const seconds = Math.ceil(wait.ms / 1000);
    throw rateLimited(wait.rule === 'cooldown' ? `Новый код можно запросить через ${seconds} с.` : `Слишком много кодов отправлено на этот адрес. Попробуйте снова через ${minutesPhrase(seconds)}.`, seconds);
  }
  const secret = newSecret(rule.link);
  const id = randomUUID();
  const code = {
    id,
    purpose: request.purpose,
    channel: request.channel,
    recipient: request.recipient,
    accountId: request.accountId ?? null,
    context: request.context ?? {},
    codeHash: digest(id, secret),
    attemptsLeft: rule.attempts,
    expiresAt: new Date(now.getTime() + rule.ttlMs),
    createdAt: now,
  };
  await replaceCode(db, code);
  const { subject, text } = request.message(secret, code.id);
  const sent = request.delivery === 'nowhere' ? Promise.resolve() : sender.send(request.channel === 'SMS' ? { channel: 'SMS', to: request.recipient, text } : { channel: 'EMAIL', to: request.recipient, subject, text });
  if (request.delivery === 'background') sent.catch((error: unknown) => logger('identity').error({ err: error, purpose: request.purpose, channel: request.channel }, 'a code was not sent'));
  else await sent;
  return { requestId: code.id, expiresAt: code.expiresAt, resendAvailableAt: new Date(now.getTime() + CODE_SEND_RULE.cooldownMs) };
}

export type CodeCheck = { ok: true; code: VerificationCode } | { ok: false; error: UserError };

const codeField = ['input', 'code'];
export const CODE_ERRORS = {
  invalid: (attemptsLeft: number) => userError('CODE_INVALID', `Неверный код. Осталось попыток: ${attemptsLeft}.`, codeField),
  exhausted: () => userError('CODE_ATTEMPTS_EXHAUSTED', 'Код введён неверно слишком много раз. Запросите новый код.', codeField),
  expired: () => userError('CODE_EXPIRED', 'Срок действия кода истёк. Запросите новый код.', codeField),
  unknown: () => userError('CODE_INVALID', 'Код недействителен. Запросите новый код.', codeField),
};

/**
 * Checks the code (or link token) of request `requestId`. One attempt is reserved first, in one
 * statement, and only for a live code of that purpose, so parallel guesses cannot all be compared:
 * exactly `attempts` of them are. A right code gives its attempt back and is confirmed but not yet
 * used: `consumeCode` marks it used in the transaction that does what it allowed.
 */
export async function checkCode(db: Db, purpose: CodePurpose, requestId: string, secret: string, now = new Date()): Promise<CodeCheck> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return { ok: false, error: CODE_ERRORS.unknown() };
  const code = await takeCodeAttempt(db, purpose, requestId, now);
  if (!code) return { ok: false, error: await refusalOf(db, purpose, requestId, now) };
  const expected = Buffer.from(code.codeHash, 'hex');
  const given = Buffer.from(digest(code.id, secret.trim()), 'hex');
  if (expected.length === given.length && timingSafeEqual(expected, given)) {
    return { ok: true, code: (await confirmCode(db, code.id, now)) ?? code };
  }
  return { ok: false, error: code.attemptsLeft > 0 ? CODE_ERRORS.invalid(code.attemptsLeft) : CODE_ERRORS.exhausted() };
}

/** Why no attempt could be reserved: read after the refusal, for its message only. */
async function refusalOf(db: Db, purpose: CodePurpose, requestId: string, now: Date): Promise<UserError> {
  const code = await codeOfRequest(db, purpose, requestId);
  if (!code || code.usedAt) return CODE_ERRORS.unknown();
  return code.expiresAt <= now ? CODE_ERRORS.expired() : CODE_ERRORS.exhausted();
}

/** A code already confirmed for `requestId` (e.g. the contact of a registration), not yet used. */
export async function confirmedCode(db: Db, purpose: CodePurpose, requestId: string, now = new Date()): Promise<VerificationCode | null> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return null;
  const code = await codeOfRequest(db, purpose, requestId);
  // A confirmed registration stays valid for an hour to choose the password.
  return code && code.confirmedAt && !code.usedAt && code.confirmedAt.getTime() + 60 * MINUTE > now.getTime() ? code : null;
}
