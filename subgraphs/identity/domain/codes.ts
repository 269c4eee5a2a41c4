import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { MessageSender } from '../../../lib/delivery.ts';
import { minutesPhrase, rateLimited, userError, type UserError } from '../../../lib/errors.ts';
import type { Queryable } from '../../../lib/db.ts';
import * as tables from '../db/schema.ts';
import { verificationCodes, type VerificationCode } from '../db/schema.ts';

/**
 * One-time codes and links for every flow. A code is single use, bound to the request it was
 * issued for, lives minutes (an e-mail link days), allows a few wrong attempts, and is stored as a
 * digest. Sends are limited per recipient, so nobody can flood a victim's phone.
 */

type Db = Queryable<typeof tables>;
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

/** A new code for the same purpose and recipient no sooner than this. */
export const RESEND_COOLDOWN_MS = MINUTE;
/** At most this many codes to one phone or e-mail per hour, whatever the purpose. */
export const SENDS_PER_RECIPIENT_PER_HOUR = 5;

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
}

export interface IssuedCode {
  requestId: string;
  expiresAt: Date;
  resendAvailableAt: Date;
}

/**
 * Refuses with RATE_LIMITED while the recipient is in its cool-down or over its hourly budget;
 * otherwise stores a new code (the previous one of the same purpose stops working) and sends it.
 */
export async function issueCode(db: Db, sender: MessageSender, request: IssueCode, now = new Date()): Promise<IssuedCode> {
  const rule = CODE_RULES[request.purpose][request.channel];
  if (!rule) throw new Error(`no ${request.channel} codes for ${request.purpose}`);
  await assertSendAllowed(db, request.purpose, request.recipient, now);
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
  await db.transaction(async (tx) => {
    await tx
      .update(verificationCodes)
      .set({ usedAt: now })
      .where(and(eq(verificationCodes.recipient, request.recipient), eq(verificationCodes.purpose, request.purpose), isNull(verificationCodes.usedAt)));
    await tx.insert(verificationCodes).values(code);
  });
  const { subject, text } = request.message(secret, code.id);
  await sender.send(request.channel === 'SMS' ? { channel: 'SMS', to: request.recipient, text } : { channel: 'EMAIL', to: request.recipient, subject, text });
  return { requestId: code.id, expiresAt: code.expiresAt, resendAvailableAt: new Date(now.getTime() + RESEND_COOLDOWN_MS) };
}

async function assertSendAllowed(db: Db, purpose: CodePurpose, recipient: string, now: Date): Promise<void> {
  const [latest] = await db
    .select({ createdAt: verificationCodes.createdAt })
    .from(verificationCodes)
    .where(and(eq(verificationCodes.recipient, recipient), eq(verificationCodes.purpose, purpose)))
    .orderBy(desc(verificationCodes.createdAt))
    .limit(1);
  const waitMs = latest ? latest.createdAt.getTime() + RESEND_COOLDOWN_MS - now.getTime() : 0;
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw rateLimited(`Новый код можно запросить через ${seconds} с.`, seconds);
  }
  const hourAgo = new Date(now.getTime() - 60 * MINUTE);
  const [sent] = await db
    .select({ n: count() })
    .from(verificationCodes)
    .where(and(eq(verificationCodes.recipient, recipient), gt(verificationCodes.createdAt, hourAgo)));
  if ((sent?.n ?? 0) >= SENDS_PER_RECIPIENT_PER_HOUR) {
    throw rateLimited(`Слишком много кодов отправлено на этот адрес. Попробуйте снова через ${minutesPhrase(3600)}.`, 3600);
  }
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
 * Checks the code (or link token) of request `requestId`. A right code is confirmed but not yet
 * used: `consumeCode` marks it used in the transaction that does what it allowed.
 */
export async function checkCode(db: Db, purpose: CodePurpose, requestId: string, secret: string, now = new Date()): Promise<CodeCheck> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return { ok: false, error: CODE_ERRORS.unknown() };
  const [code] = await db.select().from(verificationCodes).where(and(eq(verificationCodes.id, requestId), eq(verificationCodes.purpose, purpose)));
  if (!code || code.usedAt) return { ok: false, error: CODE_ERRORS.unknown() };
  if (code.expiresAt <= now) return { ok: false, error: CODE_ERRORS.expired() };
  if (code.attemptsLeft <= 0) return { ok: false, error: CODE_ERRORS.exhausted() };
  const expected = Buffer.from(code.codeHash, 'hex');
  const given = Buffer.from(digest(code.id, secret.trim()), 'hex');
  if (expected.length === given.length && timingSafeEqual(expected, given)) {
    if (!code.confirmedAt) await db.update(verificationCodes).set({ confirmedAt: now }).where(eq(verificationCodes.id, code.id));
    return { ok: true, code: { ...code, confirmedAt: code.confirmedAt ?? now } };
  }
  // Decremented in the database, so parallel guesses (aliases, batches) cannot share one attempt.
  const [left] = await db
    .update(verificationCodes)
    .set({ attemptsLeft: sql`${verificationCodes.attemptsLeft} - 1` })
    .where(and(eq(verificationCodes.id, code.id), gt(verificationCodes.attemptsLeft, 0)))
    .returning({ attemptsLeft: verificationCodes.attemptsLeft });
  return { ok: false, error: left && left.attemptsLeft > 0 ? CODE_ERRORS.invalid(left.attemptsLeft) : CODE_ERRORS.exhausted() };
}

export async function consumeCode(db: Db, requestId: string, now = new Date()): Promise<void> {
  await db.update(verificationCodes).set({ usedAt: now }).where(eq(verificationCodes.id, requestId));
}

/** A code already confirmed for `requestId` (e.g. the contact of a registration), not yet used. */
export async function confirmedCode(db: Db, purpose: CodePurpose, requestId: string, now = new Date()): Promise<VerificationCode | null> {
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) return null;
  const [code] = await db.select().from(verificationCodes).where(and(eq(verificationCodes.id, requestId), eq(verificationCodes.purpose, purpose)));
  // A confirmed registration stays valid for an hour to choose the password.
  return code && code.confirmedAt && !code.usedAt && code.confirmedAt.getTime() + 60 * MINUTE > now.getTime() ? code : null;
}
