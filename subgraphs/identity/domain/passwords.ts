import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { userError, type UserError, type UserErrorCode } from '../../../lib/errors.ts';

/**
 * The portal's password rules (OWASP ASVS 5.0): long enough, nothing a person cannot type on any
 * keyboard, not on a list of common passwords, not made of what an attacker already knows about the
 * person. Every broken rule is reported at once, so a form can show the whole checklist.
 */

export const PASSWORD_MIN_LENGTH = 8;
/** ASVS: at least 64 allowed, never truncated; the upper bound only keeps hashing cheap. */
export const PASSWORD_MAX_LENGTH = 128;

const PASSWORD_FIELD = ['input', 'password'];
const CONFIRMATION_FIELD = ['input', 'passwordConfirmation'];

/** What the portal knows about the person: a password built from it is guessed first. */
export interface PasswordContext {
  phone?: string | null;
  email?: string | null;
  /** Last name, first name, patronymic, in Cyrillic or Latin; a full name in one string works too. */
  names?: string[];
}

export function passwordProblems(password: string, context: PasswordContext = {}, field: string[] = PASSWORD_FIELD): UserError[] {
  const problems: UserError[] = [];
  const problem = (code: UserErrorCode, message: string) => problems.push(userError(code, message, [...field]));
  const length = characterCount(password, PASSWORD_MAX_LENGTH + 1);

  if (length < PASSWORD_MIN_LENGTH) problem('PASSWORD_TOO_SHORT', `Пароль должен содержать не менее ${PASSWORD_MIN_LENGTH} символов.`);
  if (length > PASSWORD_MAX_LENGTH) problem('PASSWORD_TOO_LONG', `Пароль должен содержать не более ${PASSWORD_MAX_LENGTH} символов.`);

  const wrongCharacters = invalidCharacterKinds(password);
  if (wrongCharacters.length) {
    problem(
      'PASSWORD_INVALID_CHARACTERS',
      `Пароль может содержать только латинские буквы, цифры и знаки препинания, а в нём есть ${listRu(wrongCharacters)}.` +
        // Cyrillic in a password is nearly always the keyboard layout, not a choice.
        (wrongCharacters.includes('русские буквы') ? ' Проверьте раскладку клавиатуры.' : ''),
    );
  }

  if (!/[a-z]/.test(password)) problem('PASSWORD_MISSING_LOWERCASE', 'Пароль должен содержать хотя бы одну строчную латинскую букву (a–z).');
  if (!/[A-Z]/.test(password)) problem('PASSWORD_MISSING_UPPERCASE', 'Пароль должен содержать хотя бы одну заглавную латинскую букву (A–Z).');
  if (!/[0-9]/.test(password)) problem('PASSWORD_MISSING_DIGIT', 'Пароль должен содержать хотя бы одну цифру.');

  if (isCommonPassword(password)) {
    problem('PASSWORD_TOO_COMMON', 'Этот пароль слишком распространён: такие пароли подбирают первыми. Придумайте другой.');
  }

  const personal = personalDataIn(password, context);
  if (personal.length) {
    problem('PASSWORD_CONTAINS_PERSONAL_DATA', `Пароль не должен содержать ${listRu(personal)}: их легко узнать.`);
  }
  return problems;
}

/**
 * Code points, not UTF-16 units: an emoji is one character to the person typing it. Counting stops
 * at `upTo`, since the input can be as long as a request allows.
 */
function characterCount(text: string, upTo: number): number {
  let count = 0;
  for (const _ of text) if (++count >= upTo) break;
  return count;
}

/** The password entered twice must match exactly: no trimming, no case folding. */
export function passwordConfirmationProblems(password: string, confirmation: string, field: string[] = CONFIRMATION_FIELD): UserError[] {
  return password === confirmation ? [] : [userError('PASSWORD_MISMATCH', 'Пароли не совпадают. Введите пароль ещё раз.', [...field])];
}

/** Allowed: printable ASCII except the space, i.e. Latin letters, digits and ASCII punctuation. */
function invalidCharacterKinds(password: string): string[] {
  // Whole-string scans, not a loop over characters: the input can be as long as a request allows.
  return [
    ...(/\s/u.test(password) ? ['пробелы'] : []),
    ...(/\p{Script=Cyrillic}/u.test(password) ? ['русские буквы'] : []),
    ...(/[^\x21-\x7e\s\p{Script=Cyrillic}]/u.test(password) ? ['другие символы (например, «№», буквы с диакритикой или эмодзи)'] : []),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Common passwords

type LanguageCommon = typeof import('@zxcvbn-ts/language-common');
let commonPasswords: Set<string> | undefined;

/**
 * zxcvbn-ts's list of about 49,000 common passwords (all lower case). Loaded on first use: the
 * package decompresses its dictionaries when it is loaded, which services that never check a
 * password should not pay for.
 */
function common(): Set<string> {
  if (!commonPasswords) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as LanguageCommon;
    commonPasswords = new Set(dictionary['passwords-common']);
  }
  return commonPasswords;
}

/**
 * Case-insensitive, and also with the digits and symbols people put around a common word to pass
 * the rules stripped off (`Password1!`, `2024Summer`). A word shorter than 4 letters is not judged
 * that way: it is the rest of the password that carries the strength then.
 */
function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (common().has(lower)) return true;
  // Index scans, not `/[^a-z]+$/`: that regex backtracks quadratically over a long run of digits.
  let end = lower.length;
  while (end > 0 && !isLatinLetter(lower.charCodeAt(end - 1))) end--;
  let start = 0;
  while (start < end && !isLatinLetter(lower.charCodeAt(start))) start++;
  const withoutSuffix = lower.slice(0, end);
  const core = lower.slice(start, end);
  return [withoutSuffix, core].some((word) => word !== lower && word.length >= 4 && common().has(word));
}

const isLatinLetter = (code: number) => code >= 0x61 && code <= 0x7a;

// ---------------------------------------------------------------------------------------------------
// Personal data

/** Shorter pieces of a name or an e-mail turn up inside unrelated passwords too often. */
const MIN_PERSONAL_PIECE = 4;
/** Six digits in a row from the person's phone are no coincidence. */
const PHONE_RUN = 6;

function personalDataIn(password: string, context: PasswordContext): string[] {
  const lower = password.toLowerCase();
  const found: string[] = [];
  if (context.phone && phoneRuns(context.phone).some((run) => password.includes(run))) found.push('номер телефона');
  if (context.email && emailPieces(context.email).some((piece) => lower.includes(piece))) found.push('адрес электронной почты');
  if (context.names?.length && context.names.flatMap(namePieces).some((piece) => lower.includes(piece))) {
    found.push('фамилию, имя или отчество');
  }
  return found;
}

/** Every run of six digits of the number as people write it: `+7 916…`, `8 916…`, `916…`. */
function phoneRuns(phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  const national = digits.length === 11 && /^[78]/.test(digits) ? digits.slice(1) : digits;
  const runs = new Set<string>();
  for (const written of new Set([digits, national, `7${national}`, `8${national}`])) {
    for (let i = 0; i + PHONE_RUN <= written.length; i++) runs.add(written.slice(i, i + PHONE_RUN));
  }
  return national.length >= PHONE_RUN ? [...runs] : [];
}

/** The mailbox name, whole and by its words: `ivan.petrov85@…` gives `ivan.petrov85`, `ivan`, `petrov`. */
function emailPieces(email: string): string[] {
  const local = email.trim().toLowerCase().split('@')[0] ?? '';
  return [local, ...(local.match(/[a-z]+/g) ?? [])].filter((piece) => piece.length >= MIN_PERSONAL_PIECE);
}

/**
 * Names are in Cyrillic and passwords cannot be: a name turns up in a password transliterated (the
 * passport way, ICAO, and the popular way) or typed with the Russian layout left on (`Bdfyjd`).
 */
function namePieces(name: string): string[] {
  const pieces = new Set<string>();
  for (const word of name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[\s-]+/)) {
    for (const variant of [word, transliterate(word, ICAO), transliterate(word, POPULAR), transliterate(word, LAYOUT)]) {
      if (variant.length >= MIN_PERSONAL_PIECE) pieces.add(variant);
    }
  }
  return [...pieces];
}

const transliterate = (word: string, table: Record<string, string>) => [...word].map((letter) => table[letter] ?? letter).join('');

const BASE: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  ч: 'ch',
  ш: 'sh',
  ы: 'y',
  ь: '',
  э: 'e',
};
/** As in Russian passports (ICAO Doc 9303): Юлия → iuliia, Андрей → andrei. */
const ICAO: Record<string, string> = { ...BASE, й: 'i', х: 'kh', ц: 'ts', щ: 'shch', ъ: 'ie', ю: 'iu', я: 'ia' };
/** As people spell themselves: Юлия → yuliya, Андрей → andrey. */
const POPULAR: Record<string, string> = { ...BASE, й: 'y', х: 'h', ц: 'ts', щ: 'sch', ъ: '', ю: 'yu', я: 'ya' };
/** The same keys on a ЙЦУКЕН keyboard switched to Latin. */
const LAYOUT: Record<string, string> = Object.fromEntries([...'йцукенгшщзхъфывапролджэячсмитьбю'].map((letter, i) => [letter, "qwertyuiop[]asdfghjkl;'zxcvbnm,."[i]!]));

/** `a`, `a и b`, `a, b и c`. */
function listRu(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} и ${items.at(-1)}`;
}

// ---------------------------------------------------------------------------------------------------
// Suggested passwords

/** No 0/O/o and no 1/l/I: a suggested password is often copied by hand. */
const GENERATED_ALPHABET = 'abcdefghijkmnpqrstuvwxyz' + 'ABCDEFGHJKLMNPQRSTUVWXYZ' + '23456789';
const GENERATED_LENGTH = 16;

/**
 * A password the portal suggests: 16 characters from 56 (about 93 bits), drawn with `randomInt`,
 * which has no modulo bias. A draw that breaks a rule (no digit, say) is thrown away and drawn
 * again, which keeps the result uniform over the passwords that pass.
 */
export function generatePassword(): string {
  for (;;) {
    let password = '';
    for (let i = 0; i < GENERATED_LENGTH; i++) password += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
    if (passwordProblems(password).length === 0) return password;
  }
}
