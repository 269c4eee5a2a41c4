import { userError, type UserError } from '../../../lib/errors.ts';

/**
 * What every input rule of the profile shares: the result type, the list of codes, and the checks of
 * single fields (text, dates, codes typed in groups). A rule reports every mistake it finds at once,
 * each on the path of its field, so a form can mark all of them in one go.
 */

/** The normalised value, with warnings to show but not to stop on; or every error found. */
export type Checked<T> = { ok: true; value: T; warnings: UserError[] } | { ok: false; errors: UserError[] };

/** The codes of the profile's input errors; the message says the rest. */
export type InputCode =
  /** Empty where a value is needed. */
  | 'REQUIRED'
  /** Does not look like what the field holds; the message names the expected format. */
  | 'INVALID_FORMAT'
  | 'TOO_LONG'
  /** SNILS or INN whose check digits do not match: almost always a typo. */
  | 'INVALID_CHECKSUM'
  /** A warning only: the OMS policy's check digit rule is not confirmed by an official source. */
  | 'CHECKSUM_WARNING'
  | 'DATE_IN_FUTURE'
  /** Before the owner could have had it: a passport before 14, a birth date over 130 years ago. */
  | 'DATE_TOO_EARLY'
  | 'EXPIRY_BEFORE_ISSUE'
  /** A registration plate whose region code is not issued. */
  | 'INVALID_REGION'
  /** One of two fields is needed, not none and not both (a VIN or a body number). */
  | 'ONE_OF_REQUIRED'
  /** A child who is 18 or older. */
  | 'CHILD_TOO_OLD';

/** Where the input sits in the request, e.g. `['input', 'russianPassport']`. */
export type Path = readonly string[];

/**
 * A field as it comes in: from GraphQL a string, null or nothing, but the rules take anything, so a
 * caller can hand over a whole input object.
 */
export type Raw = unknown;

/** The text of a field: other types than string and number count as empty. */
export const textOf = (raw: Raw): string => (typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '');

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/**
 * Collects the errors and warnings of one input. The field checks below return `undefined` only
 * after reporting an error, so when no error was reported every `undefined` is gone.
 */
export interface Check {
  /** The path of a field of this input. */
  at(...names: string[]): string[];
  error(field: string[], code: InputCode, message: string): undefined;
  warn(field: string[], code: InputCode, message: string): void;
  /** Takes in a nested input's result (an address, a child's certificate): its value, or undefined if it failed. */
  nested<T>(checked: Checked<T>): T | undefined;
  result<T extends object>(value: T): Checked<Defined<T>>;
}

export function startCheck(path: Path): Check {
  const errors: UserError[] = [];
  const warnings: UserError[] = [];
  return {
    at: (...names) => [...path, ...names],
    error(field, code, message) {
      errors.push(userError(code, message, field));
      return undefined;
    },
    warn(field, code, message) {
      warnings.push(userError(code, message, field));
    },
    nested(checked) {
      if (!checked.ok) {
        errors.push(...checked.errors);
        return undefined;
      }
      warnings.push(...checked.warnings);
      return checked.value;
    },
    result: <T extends object>(value: T): Checked<Defined<T>> => (errors.length ? { ok: false, errors } : { ok: true, value: value as Defined<T>, warnings }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Messages

export const requiredMessage = (label: string) => `Заполните поле «${label}».`;
export const formatMessage = (label: string, expected: string) => `Неверный формат поля «${label}»: ${expected}.`;

/** "не более N символов" with the genitive Russian needs after "более": 1 символа, 5 символов, 21 символа. */
const tooLongMessage = (label: string, max: number) => `Поле «${label}» может содержать не более ${max} ${max % 10 === 1 && max % 100 !== 11 ? 'символа' : 'символов'}.`;

// ---------------------------------------------------------------------------------------------------
// Text

export interface TextRule {
  /** The field's name on the form, for messages: «Кем выдан». */
  label: string;
  max: number;
}

/**
 * Free text as it is stored: NFC (a `й` pasted as `и` plus a combining breve becomes one letter),
 * trimmed, every run of spaces, tabs or line breaks made one space.
 */
export const cleanText = (raw: string) => raw.normalize('NFC').replace(/\s+/gu, ' ').trim();

/** Control, format (zero-width, bidi overrides) and unassigned characters: invisible, and never on a document. */
const INVISIBLE = /\p{C}/u;

export function requiredText(check: Check, field: string[], raw: Raw, rule: TextRule): string | undefined {
  const value = optionalText(check, field, raw, rule);
  return value === null ? check.error(field, 'REQUIRED', requiredMessage(rule.label)) : value;
}

/** Null when left empty. */
export function optionalText(check: Check, field: string[], raw: Raw, rule: TextRule): string | null | undefined {
  const value = cleanText(textOf(raw));
  if (!value) return null;
  return report(check, field, value, [
    longerThan(value, rule.max) && ['TOO_LONG', tooLongMessage(rule.label, rule.max)],
    INVISIBLE.test(value) && ['INVALID_FORMAT', formatMessage(rule.label, 'в тексте есть невидимые служебные символы, наберите его заново')],
  ]);
}

/** A problem of a field as a code and a message, or false when the rule holds. */
export type Problem = readonly [InputCode, string] | false;

/** Reports every problem found in one field: the value when there is none, undefined otherwise. */
export function report(check: Check, field: string[], value: string, problems: Problem[]): string | undefined {
  const found = problems.filter((problem) => problem !== false);
  for (const [code, message] of found) check.error(field, code, message);
  return found.length ? undefined : value;
}

/** Code points, not UTF-16 units, as a person counts them; the scan stops past `max`. */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

/** A letter of the Cyrillic or Latin alphabet (the scripts also hold marks and signs that are not letters). */
const LETTER = String.raw`(?:(?=\p{L})[\p{Script=Cyrillic}\p{Script=Latin}])`;
/** Letters with single spaces, hyphens or apostrophes between them; unambiguous, so it runs in linear time. */
const NAME = new RegExp(`^${LETTER}+(?:[ '-]${LETTER}+)*$`, 'u');

/**
 * A name: Cyrillic or Latin letters, with single spaces, hyphens or apostrophes between them
 * (Анна-Мария, Д'Артаньян, Мамед оглы). Typographic apostrophes and dashes become ASCII ones.
 */
export function personName(check: Check, field: string[], raw: Raw, label: string, required: true): string | undefined;
export function personName(check: Check, field: string[], raw: Raw, label: string, required: boolean): string | null | undefined;
export function personName(check: Check, field: string[], raw: Raw, label: string, required: boolean): string | null | undefined {
  const value = cleanText(textOf(raw))
    .replace(/[’ʼ`´‘]/gu, "'")
    .replace(/[‐‑‒–—−]/gu, '-')
    .replace(/ ?([-']) ?/gu, '$1');
  if (!value) return required ? check.error(field, 'REQUIRED', requiredMessage(label)) : null;
  const wellFormed = NAME.test(value);
  return report(check, field, value, [
    longerThan(value, NAME_MAX) && ['TOO_LONG', tooLongMessage(label, NAME_MAX)],
    !wellFormed && ['INVALID_FORMAT', formatMessage(label, 'допустимы русские или латинские буквы, пробел, дефис и апостроф')],
    // An "о" or "с" typed with the Latin layout looks the same but fails every register check.
    wellFormed && /\p{Script=Cyrillic}/u.test(value) && /\p{Script=Latin}/u.test(value) && ['INVALID_FORMAT', formatMessage(label, 'в нём смешаны русские и латинские буквы, проверьте раскладку клавиатуры')],
  ]);
}

export const NAME_MAX = 100;

// ---------------------------------------------------------------------------------------------------
// Codes typed in groups

/** Spaces and hyphens (and their typographic cousins) people put between groups: `112-233-445 95`. */
export const withoutSeparators = (raw: string) => raw.normalize('NFC').replace(/[\s\-‐‑‒–—−]/gu, '');

/** A code in upper case without separators, or null when left empty. */
export function compactCode(raw: Raw): string | null {
  const value = withoutSeparators(textOf(raw)).toUpperCase();
  return value || null;
}

export interface CodeRule {
  label: string;
  /** What the normalised code must look like. */
  pattern: RegExp;
  /** The expected format in words, with an example: "нужно 4 цифры, например 45 10". */
  expected: string;
  /** From the compact upper-case text to the stored form (look-alikes mapped, a hyphen put back). */
  normalise?: (compact: string) => string;
}

export function requiredCode(check: Check, field: string[], raw: Raw, rule: CodeRule): string | undefined {
  const value = optionalCode(check, field, raw, rule);
  return value === null ? check.error(field, 'REQUIRED', requiredMessage(rule.label)) : value;
}

/** Null when left empty. */
export function optionalCode(check: Check, field: string[], raw: Raw, rule: CodeRule): string | null | undefined {
  const compact = compactCode(raw);
  if (compact === null) return null;
  const value = rule.normalise ? rule.normalise(compact) : compact;
  return rule.pattern.test(value) ? value : check.error(field, 'INVALID_FORMAT', formatMessage(rule.label, rule.expected));
}

/** Letters that look the same in both alphabets: on Russian plates and document series only these. */
const LOOK_ALIKES: readonly (readonly [latin: string, cyrillic: string])[] = [
  ['A', 'А'],
  ['B', 'В'],
  ['E', 'Е'],
  ['K', 'К'],
  ['M', 'М'],
  ['H', 'Н'],
  ['O', 'О'],
  ['P', 'Р'],
  ['C', 'С'],
  ['T', 'Т'],
  ['Y', 'У'],
  ['X', 'Х'],
];
const TO_CYRILLIC = new Map(LOOK_ALIKES.map(([latin, cyrillic]) => [latin, cyrillic]));
const TO_LATIN = new Map(LOOK_ALIKES.map(([latin, cyrillic]) => [cyrillic, latin]));

/** Upper-case Latin look-alikes to Cyrillic: `A123BC77` typed in Latin becomes `А123ВС77`. */
export const toCyrillic = (upper: string) => upper.replace(/[ABEKMHOPCTYX]/g, (letter) => TO_CYRILLIC.get(letter)!);
/** Upper-case Cyrillic look-alikes to Latin: a VIN typed with the Russian layout on (`ХТА…`). */
export const toLatin = (upper: string) => upper.replace(/[АВЕКМНОРСТУХ]/g, (letter) => TO_LATIN.get(letter)!);

// ---------------------------------------------------------------------------------------------------
// Dates

/**
 * A calendar date as the GraphQL `Date` scalar gives it, `YYYY-MM-DD`, or null when left empty.
 * ISO dates compare correctly as strings, so the rules below compare them with `<` and `>`.
 */
export function optionalDate(check: Check, field: string[], raw: Raw, label: string): string | null | undefined {
  const value = textOf(raw).trim();
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return check.error(field, 'INVALID_FORMAT', formatMessage(label, 'нужна дата в виде ГГГГ-ММ-ДД, например 2020-05-14'));
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return check.error(field, 'INVALID_FORMAT', formatMessage(label, 'такой даты нет в календаре'));
  }
  return value;
}

export function requiredDate(check: Check, field: string[], raw: Raw, label: string): string | undefined {
  const value = optionalDate(check, field, raw, label);
  return value === null ? check.error(field, 'REQUIRED', requiredMessage(label)) : value;
}

/** A date that has happened: an issue date or a birth date. */
export function pastDate(check: Check, field: string[], raw: Raw, label: string, today: string): string | undefined {
  const value = requiredDate(check, field, raw, label);
  if (value !== undefined && value > today) return check.error(field, 'DATE_IN_FUTURE', `Дата в поле «${label}» ещё не наступила.`);
  return value;
}

/** Gregorian, by hand: `Date` reads the years 0–99 as 1900–1999. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The date `years` later (earlier when negative): a birthday, an age limit. A 29 February moves to
 * 28 February in other years, as the Civil Code counts a term that ends in a month without that day
 * (art. 192: the last day of the month).
 */
export function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = year + years;
  const clamped = Math.min(day, daysInMonth(target, month));
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}

/** Today's date in Moscow, the portal's time zone, as `YYYY-MM-DD`: what the rules take as `today`. */
export function todayIn(timeZone = 'Europe/Moscow', now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
