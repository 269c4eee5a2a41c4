import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { AccountLevel } from '../../../lib/auth.ts';
import { DeliveryError, type MessageSender } from '../../../lib/delivery.ts';
import type { EventCatalogue } from '../../../lib/events/catalogue.ts';
import { userError, type UserError } from '../../../lib/errors.ts';
import { lockAccount, setCheckedDocuments, updateLevel, snilsTakenByAnother } from '../db/accounts.ts';
import { deleteLetter, hasUnusedLetter, insertChallenge, insertLetter, takeChallenge, takeLetterAttempt, useLetter } from '../db/confirmations.ts';
import type { Account } from '../db/schema.ts';
import { releaseSend } from '../db/sends.ts';
import { inTransaction, recordEvent, type Db } from '../db/store.ts';
import { logger } from '../../../lib/log.ts';
import { reserveSend } from './sends.ts';
import { createSignatureChallenge, verifySignedChallenge } from './signature.ts';
import { logSecurityEvent, type Device } from './security-log.ts';

/**
 * Account levels (уровни учётной записи). SIMPLIFIED at registration; STANDARD when the state
 * registers confirm the profile's SNILS and passport (an event from profile); CONFIRMED in person
 * at a service centre, with a code from a registered letter, or with a qualified electronic signature.
 */

type ConfirmationMethod = NonNullable<Account['confirmationMethod']>;

const DAY = 24 * 60 * 60 * 1000;
/** Another letter no sooner than this after the previous one. */
export const LETTER_INTERVAL_MS = 30 * DAY;
export const LETTER_CODE_ATTEMPTS = 5;

/** The checked passport as identity keeps it: only a digest, enough to compare. */
export const passportDigest = (series: string, number: string) =>
  createHash('sha256')
    .update(`${series.replace(/\D/g, '')}:${number.replace(/\D/g, '')}`)
    .digest('hex');

async function setLevel(tx: Db, account: Account, level: AccountLevel, method: ConfirmationMethod | null, device: Device, now: Date): Promise<void> {
  await updateLevel(tx, account.id, level, method);
  await recordEvent(tx, 'identity.level-changed', { userId: account.id, level, previousLevel: account.level, confirmationMethod: method });
  await logSecurityEvent(tx, account.id, 'LEVEL_CHANGED', device, now);
}

const SYSTEM: Device = { clientAddress: null, userAgent: null };

/**
 * The outcome of the profile's data check. Success raises a SIMPLIFIED account to STANDARD, makes the
 * SNILS a login and keeps the passport's digest; a SNILS already on another account raises nothing
 * (one account per person) and tells the person through the feed.
 */
export async function applyDataCheck(db: Db, event: EventCatalogue['profile.data-check-completed'], now = new Date()): Promise<void> {
  if (event.outcome !== 'SUCCEEDED' || !event.snils || !event.passport) return;
  const { snils, passport } = event;
  await inTransaction(db, async (tx) => {
    const account = await lockAccount(tx, event.userId);
    if (!account) return;
    if (await snilsTakenByAnother(tx, snils, account.id)) {
      await recordEvent(tx, 'identity.security-event', {
        userId: account.id,
        eventId: randomUUID(),
        kind: 'SNILS_TAKEN',
        title: 'СНИЛС уже привязан к другой учётной записи',
        body: 'Проверка данных прошла, но этот СНИЛС уже используется в другой учётной записи. У человека может быть только одна учётная запись: восстановите доступ к ней или обратитесь в центр обслуживания.',
        occurredAt: now.toISOString(),
      });
      return;
    }
    await setCheckedDocuments(tx, account.id, { snils, checkedPassportDigest: passportDigest(passport.series, passport.number) });
    if (account.level === 'SIMPLIFIED') await setLevel(tx, account, 'STANDARD', null, SYSTEM, now);
  });
}

function needsStandard(account: Account): UserError | null {
  if (account.level === 'CONFIRMED') return userError('ALREADY_CONFIRMED', 'Учётная запись уже подтверждена.', null);
  if (account.level !== 'STANDARD') {
    return userError('STANDARD_LEVEL_REQUIRED', 'Сначала заполните профиль, СНИЛС и паспорт и дождитесь успешной проверки данных.', null);
  }
  return null;
}

/** A service-centre operator compares the passport in hand with the one the registers checked. */
export async function confirmInPerson(db: Db, account: Account, passport: { series: string; number: string }, operator: Device, now = new Date()): Promise<UserError[]> {
  const refusal = needsStandard(account);
  if (refusal) return [refusal];
  if (!account.checkedPassportDigest || account.checkedPassportDigest !== passportDigest(passport.series, passport.number)) {
    return [userError('DOCUMENT_MISMATCH', 'Паспорт не совпадает с проверенным паспортом в профиле. Новый документ сначала должен пройти проверку данных.', ['input', 'passportNumber'])];
  }
  await inTransaction(db, (tx) => setLevel(tx, account, 'CONFIRMED', 'IN_PERSON', operator, now));
  return [];
}

/** Letters are short codes read from paper: no look-alike characters. */
const LETTER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const letterCode = () => Array.from({ length: 8 }, () => LETTER_ALPHABET[randomInt(LETTER_ALPHABET.length)]).join('');
const letterDigest = (letterId: string, code: string) =>
  createHash('sha256')
    .update(`${letterId}:${code.toUpperCase().replace(/[\s-]/g, '')}`)
    .digest('hex');

export interface LetterOrder {
  letterId: string;
  expectedDeliveryAt: Date;
  nextOrderAvailableAt: Date;
}

/**
 * Orders a registered letter with a confirmation code to a postal address (заказное письмо). The
 * code is stored as a digest; another letter only after 30 days.
 */
export async function orderConfirmationLetter(
  db: Db,
  sender: MessageSender,
  account: Account,
  input: { postalAddress: string; recipientName: string },
  deliveryMs: number,
  now = new Date(),
): Promise<LetterOrder | { errors: UserError[] }> {
  const refusal = needsStandard(account);
  if (refusal) return { errors: [refusal] };
  // CHANNELS_OFF=POST: no letter provider here; said before anything is reserved or stored.
  if (sender.available?.('POST') === false) {
    return { errors: [userError('LETTERS_UNAVAILABLE', 'Подтверждение заказным письмом сейчас недоступно. Подтвердите учётную запись в центре обслуживания или электронной подписью.', null)] };
  }
  const postalAddress = input.postalAddress.trim();
  if (postalAddress.length < 10 || postalAddress.length > 300 || !/\d{6}/.test(postalAddress)) {
    return { errors: [userError('POSTAL_ADDRESS_INVALID', 'Укажите полный почтовый адрес с индексом (6 цифр).', ['input', 'postalAddress'])] };
  }
  // Reserved in one statement on the account's row of sends, so parallel orders post one letter.
  const wait = await reserveSend(db, `letters:${account.id}`, 'LETTER', { cooldownMs: LETTER_INTERVAL_MS }, now);
  if (wait) {
    const day = (date: Date) => date.toLocaleDateString('ru-RU', { timeZone: 'Europe/Moscow' });
    const next = new Date(now.getTime() + wait.ms);
    return { errors: [userError('LETTER_TOO_SOON', `Письмо уже заказано ${day(new Date(next.getTime() - LETTER_INTERVAL_MS))}. Повторно заказать письмо можно с ${day(next)}.`, null)] };
  }
  const id = randomUUID();
  const code = letterCode();
  const expectedDeliveryAt = new Date(now.getTime() + deliveryMs);
  await insertLetter(db, { id, accountId: account.id, postalAddress, codeHash: letterDigest(id, code), attemptsLeft: LETTER_CODE_ATTEMPTS, orderedAt: now, expectedDeliveryAt });
  try {
    await sender.send({
      channel: 'POST',
      to: postalAddress,
      recipientName: input.recipientName,
      text: `Код подтверждения личности для портала госуслуг: ${code}. Введите его в личном кабинете в разделе «Подтверждение учётной записи».`,
    });
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    // The provider did not take the letter: no letter stands, and the 30 days do not start.
    logger('identity').error({ err: error }, 'a confirmation letter was not sent');
    await deleteLetter(db, id);
    await releaseSend(db, `letters:${account.id}`, 'LETTER', now);
    return { errors: [userError('LETTER_NOT_SENT', 'Не удалось отправить письмо. Попробуйте заказать его позже.', null)] };
  }
  return { letterId: id, expectedDeliveryAt, nextOrderAvailableAt: new Date(now.getTime() + LETTER_INTERVAL_MS) };
}

const noLetter = () => userError('NO_LETTER_ORDERED', 'Сначала закажите письмо с кодом подтверждения.', ['input', 'code']);

/**
 * The code from the letter. An attempt is reserved on the account's latest unused letter before the
 * comparison, in one statement, so parallel guesses get exactly LETTER_CODE_ATTEMPTS comparisons.
 */
export async function confirmWithLetterCode(db: Db, account: Account, code: string, device: Device, now = new Date()): Promise<UserError[]> {
  const refusal = needsStandard(account);
  if (refusal) return [refusal];
  const letter = await takeLetterAttempt(db, account.id);
  if (!letter) {
    return [
      (await hasUnusedLetter(db, account.id))
        ? userError('CODE_ATTEMPTS_EXHAUSTED', 'Код введён неверно слишком много раз. Подтвердите личность другим способом или закажите новое письмо через 30 дней после предыдущего.', ['input', 'code'])
        : noLetter(),
    ];
  }
  if (letter.codeHash !== letterDigest(letter.id, code)) return [userError('CODE_INVALID', `Неверный код. Осталось попыток: ${letter.attemptsLeft}.`, ['input', 'code'])];
  const confirmed = await inTransaction(db, async (tx) => {
    // Used first: the right code sent twice in parallel raises the level once.
    const used = await useLetter(tx, letter.id, now);
    if (used) await setLevel(tx, account, 'CONFIRMED', 'POSTAL_CODE', device, now);
    return used;
  });
  return confirmed ? [] : [noLetter()];
}

/** A challenge for the person's signing software, bound to the account and valid 10 minutes. */
export async function startSignatureConfirmation(db: Db, account: Account, now = new Date()) {
  const refusal = needsStandard(account);
  if (refusal) return { errors: [refusal] };
  const { challenge, expiresAt } = createSignatureChallenge(now);
  const challengeId = await insertChallenge(db, { accountId: account.id, challenge, expiresAt });
  return { challengeId, challenge, expiresAt };
}

export async function confirmWithSignature(
  db: Db,
  account: Account,
  input: { challengeId: string; signature: string; certificate: string; intermediates?: string[] | null },
  trustedRoots: string[],
  device: Device,
  now = new Date(),
): Promise<UserError[]> {
  const refusal = needsStandard(account);
  if (refusal) return [refusal];
  // Single use, whatever the outcome (a failed signature needs a fresh challenge), and taken in one
  // statement: the same challenge sent in parallel is verified once.
  const challenge = /^[0-9a-f-]{36}$/i.test(input.challengeId) ? await takeChallenge(db, input.challengeId, account.id, now) : null;
  if (!challenge) return [userError('CHALLENGE_EXPIRED', 'Запрос на подпись устарел или уже использован. Начните подтверждение заново.', ['input', 'challengeId'])];
  const check = await verifySignedChallenge({ ...input, intermediates: input.intermediates ?? [], challenge: challenge.challenge, trustedRoots, now });
  if (!check.ok) return [userError(check.code, check.message, ['input', 'certificate'])];
  if (!account.snils || check.holder.snils !== account.snils) {
    return [userError('SIGNATURE_SNILS_MISMATCH', 'СНИЛС в сертификате подписи не совпадает со СНИЛС в учётной записи.', ['input', 'certificate'])];
  }
  await inTransaction(db, (tx) => setLevel(tx, account, 'CONFIRMED', 'ELECTRONIC_SIGNATURE', device, now));
  return [];
}
