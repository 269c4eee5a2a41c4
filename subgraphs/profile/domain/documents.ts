import {
  addYears,
  compactCode,
  formatMessage,
  optionalCode,
  pastDate,
  requiredCode,
  requiredDate,
  requiredText,
  startCheck,
  textOf,
  toCyrillic,
  toLatin,
  type Check,
  type Checked,
  type Path,
  type Raw,
} from './fields.ts';

/**
 * The documents a profile holds: each kind's format, its check digits where it has them, and its
 * dates. A document is stored in the normalised shape below (digits without separators, series in
 * their printed form, ISO dates), whatever way the person typed it. The check algorithms come from
 * `../shared/design/reference.md` ("Document check algorithms").
 */

export type DocumentType = 'RUSSIAN_PASSPORT' | 'SNILS' | 'INN' | 'FOREIGN_PASSPORT' | 'DRIVER_LICENCE' | 'OMS_POLICY' | 'MILITARY_ID' | 'BIRTH_CERTIFICATE';

/** Passport of the Russian Federation. */
export type RussianPassport = {
  /** 4 digits: `4510`. */
  series: string;
  /** 6 digits. */
  number: string;
  issuedOn: string;
  issuedBy: string;
  /** `NNN-NNN`. */
  divisionCode: string;
};

/** SNILS: 11 digits, shown as `112-233-445 95` (lib/format.ts). */
export type Snils = {
  number: string;
};

/** A person's INN: 12 digits. */
export type Inn = {
  number: string;
};

/** Foreign passport (загранпаспорт). */
export type ForeignPassport = {
  /** 2 digits. */
  series: string;
  /** 7 digits. */
  number: string;
  issuedOn: string;
  expiresOn: string;
  issuedBy: string;
};

export const DRIVER_CATEGORIES = ['A', 'A1', 'B', 'B1', 'BE', 'C', 'C1', 'CE', 'C1E', 'D', 'D1', 'DE', 'D1E', 'M', 'Tm', 'Tb'] as const;
export type DriverCategory = (typeof DRIVER_CATEGORIES)[number];

/** Driver licence (водительское удостоверение). */
export type DriverLicence = {
  /** 4 digits (`9901`), or 2 digits and 2 Cyrillic letters on the old pink licences (`77ОА`). */
  series: string;
  /** 6 digits. */
  number: string;
  issuedOn: string;
  expiresOn: string;
  /** At least one, no repeats, in the order of `DRIVER_CATEGORIES`. */
  categories: DriverCategory[];
};

/** Compulsory medical insurance policy (полис ОМС) of the single format. */
export type OmsPolicy = {
  /** 16 digits. */
  number: string;
};

/** Military ID (военный билет). */
export type MilitaryId = {
  /** 2 Cyrillic capital letters: `АК`. */
  series: string;
  /** 7 digits. */
  number: string;
  issuedOn: string;
  issuedBy: string;
};

/** Birth certificate (свидетельство о рождении). */
export type BirthCertificate = {
  /** A Roman numeral, a hyphen and 2 Cyrillic capital letters: `IV-МЮ`. */
  series: string;
  /** 6 digits. */
  number: string;
  issuedOn: string;
  issuedBy: string;
};

export interface Documents {
  RUSSIAN_PASSPORT: RussianPassport;
  SNILS: Snils;
  INN: Inn;
  FOREIGN_PASSPORT: ForeignPassport;
  DRIVER_LICENCE: DriverLicence;
  OMS_POLICY: OmsPolicy;
  MILITARY_ID: MilitaryId;
  BIRTH_CERTIFICATE: BirthCertificate;
}

/**
 * What a form sends for a document: the kind's fields, each a string, null or left out (categories a
 * list of strings). Typed loosely on purpose: the rules are what makes it a document.
 */
export type DocumentInput<T> = { [K in keyof T]?: Raw };

export interface DocumentContext {
  /** Path of the document's input, e.g. `['input', 'russianPassport']`. */
  path: Path;
  /** The holder's birth date when the profile knows it: no document is issued before it. */
  birthDate?: string | null;
  /** `YYYY-MM-DD`, the portal's today (fields.ts `todayIn`). */
  today: string;
}

/** Checks any kind of document; the same as calling the kind's own function. */
export function checkDocument<T extends DocumentType>(type: T, input: DocumentInput<Documents[T]>, context: DocumentContext): Checked<Documents[T]> {
  const check = CHECKS[type] as (input: DocumentInput<Documents[T]>, context: DocumentContext) => Checked<Documents[T]>;
  return check(input, context);
}

const CHECKS: { [T in DocumentType]: (input: DocumentInput<Documents[T]>, context: DocumentContext) => Checked<Documents[T]> } = {
  RUSSIAN_PASSPORT: checkRussianPassport,
  SNILS: checkSnils,
  INN: checkInn,
  FOREIGN_PASSPORT: checkForeignPassport,
  DRIVER_LICENCE: checkDriverLicence,
  OMS_POLICY: checkOmsPolicy,
  MILITARY_ID: checkMilitaryId,
  BIRTH_CERTIFICATE: checkBirthCertificate,
};

// ---------------------------------------------------------------------------------------------------
// Passport of the Russian Federation

/** Passports of this kind have been issued since 1 October 1997 (Government decree No. 828 of 8 July 1997). */
export const RUSSIAN_PASSPORT_SINCE = '1997-10-01';
/** A passport is first issued at 14. */
export const PASSPORT_AGE = 14;

export function checkRussianPassport(input: DocumentInput<RussianPassport>, context: DocumentContext): Checked<RussianPassport> {
  const check = startCheck(context.path);
  const series = requiredCode(check, check.at('series'), input.series, {
    label: 'Серия паспорта',
    pattern: /^\d{4}$/,
    expected: 'нужно 4 цифры, например 45 10',
  });
  const number = requiredCode(check, check.at('number'), input.number, {
    label: 'Номер паспорта',
    pattern: /^\d{6}$/,
    expected: 'нужно 6 цифр, например 123456',
  });
  const issuedOn = issueDate(check, input.issuedOn, context, {
    minAge: PASSPORT_AGE,
    tooYoung: `Паспорт выдают с ${PASSPORT_AGE} лет, а в эту дату владельцу ещё не было ${PASSPORT_AGE}: проверьте дату выдачи и дату рождения.`,
    since: RUSSIAN_PASSPORT_SINCE,
    tooOld: 'Паспорта гражданина Российской Федерации выдают с 1 октября 1997 года: проверьте дату выдачи.',
  });
  const issuedBy = requiredText(check, check.at('issuedBy'), input.issuedBy, { label: 'Кем выдан', max: ISSUER_MAX });
  const divisionCode = requiredCode(check, check.at('divisionCode'), input.divisionCode, {
    label: 'Код подразделения',
    pattern: /^\d{3}-\d{3}$/,
    expected: 'нужно 6 цифр в виде 123-456',
    normalise: (code) => (/^\d{6}$/.test(code) ? `${code.slice(0, 3)}-${code.slice(3)}` : code),
  });
  return check.result({ series, number, issuedOn, issuedBy, divisionCode });
}

/** Issuers are written out in full on a passport: «ОТДЕЛОМ УФМС РОССИИ ПО Г. МОСКВЕ ПО РАЙОНУ …». */
const ISSUER_MAX = 300;

// ---------------------------------------------------------------------------------------------------
// SNILS

export function checkSnils(input: DocumentInput<Snils>, context: DocumentContext): Checked<Snils> {
  const check = startCheck(context.path);
  const number = snilsNumber(check, check.at('number'), input.number, true);
  return check.result({ number });
}

/** A SNILS number of any form: the document's, a child's. Null when left empty and not required. */
export function snilsNumber(check: Check, field: string[], raw: Raw, required: true): string | undefined;
export function snilsNumber(check: Check, field: string[], raw: Raw, required: boolean): string | null | undefined;
export function snilsNumber(check: Check, field: string[], raw: Raw, required: boolean): string | null | undefined {
  const rule = { label: 'СНИЛС', pattern: /^\d{11}$/, expected: 'нужно 11 цифр, например 123-456-789 64' };
  const number = required ? requiredCode(check, field, raw, rule) : optionalCode(check, field, raw, rule);
  if (number && !snilsCheckMatches(number)) {
    return check.error(field, 'INVALID_CHECKSUM', 'Контрольное число СНИЛС (две последние цифры) не сходится с номером: проверьте, нет ли опечатки.');
  }
  return number;
}

/** Numbers up to 001-001-998 were issued before the check number was introduced. */
const SNILS_CHECKED_FROM = 1_001_999;

function snilsCheckMatches(digits: string): boolean {
  if (Number(digits.slice(0, 9)) < SNILS_CHECKED_FROM) return true;
  // Weights 9, 8, …, 1 from the left; 100 and 101 become 00, above that the remainder modulo 101.
  const sum = [...digits.slice(0, 9)].reduce((total, digit, i) => total + Number(digit) * (9 - i), 0);
  const check = sum < 100 ? sum : sum % 101 === 100 ? 0 : sum % 101;
  return check === Number(digits.slice(9));
}

// ---------------------------------------------------------------------------------------------------
// INN

export function checkInn(input: DocumentInput<Inn>, context: DocumentContext): Checked<Inn> {
  const check = startCheck(context.path);
  const number = innNumber(check, check.at('number'), input.number);
  return check.result({ number });
}

function innNumber(check: Check, field: string[], raw: Raw): string | undefined {
  // An organisation's INN has 10 digits: say so, rather than "wrong format".
  if (/^\d{10}$/.test(compactCode(raw) ?? '')) {
    return check.error(field, 'INVALID_FORMAT', 'Это ИНН организации: в нём 10 цифр. Укажите свой личный ИНН из 12 цифр.');
  }
  const number = requiredCode(check, field, raw, {
    label: 'ИНН',
    pattern: /^\d{12}$/,
    expected: 'нужно 12 цифр личного ИНН, например 500100732259',
  });
  if (number && !innCheckMatches(number)) {
    return check.error(field, 'INVALID_CHECKSUM', 'Контрольные цифры ИНН (две последние) не сходятся с номером: проверьте, нет ли опечатки.');
  }
  return number;
}

const INN_WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/** Each check digit is the weighted sum of the digits before it, modulo 11, modulo 10. */
function innCheckMatches(digits: string): boolean {
  const checkDigit = (weights: number[]) => (weights.reduce((sum, weight, i) => sum + weight * Number(digits[i]), 0) % 11) % 10;
  return checkDigit(INN_WEIGHTS_11) === Number(digits[10]) && checkDigit(INN_WEIGHTS_12) === Number(digits[11]);
}

// ---------------------------------------------------------------------------------------------------
// Foreign passport

export function checkForeignPassport(input: DocumentInput<ForeignPassport>, context: DocumentContext): Checked<ForeignPassport> {
  const check = startCheck(context.path);
  const series = requiredCode(check, check.at('series'), input.series, {
    label: 'Серия загранпаспорта',
    pattern: /^\d{2}$/,
    expected: 'нужно 2 цифры, например 75',
  });
  const number = requiredCode(check, check.at('number'), input.number, {
    label: 'Номер загранпаспорта',
    pattern: /^\d{7}$/,
    expected: 'нужно 7 цифр, например 1234567',
  });
  const issuedOn = issueDate(check, input.issuedOn, context);
  const expiresOn = expiryDate(check, input.expiresOn, issuedOn, 'Действителен до');
  const issuedBy = requiredText(check, check.at('issuedBy'), input.issuedBy, { label: 'Кем выдан', max: ISSUER_MAX });
  return check.result({ series, number, issuedOn, expiresOn, issuedBy });
}

// ---------------------------------------------------------------------------------------------------
// Driver licence

export function checkDriverLicence(input: DocumentInput<DriverLicence>, context: DocumentContext): Checked<DriverLicence> {
  const check = startCheck(context.path);
  const series = requiredCode(check, check.at('series'), input.series, {
    label: 'Серия удостоверения',
    pattern: /^\d{2}(?:\d{2}|[А-ЯЁ]{2})$/,
    expected: 'нужно 4 цифры, например 99 01, а на удостоверениях старого образца — 2 цифры и 2 русские буквы, например 77 ОА',
    normalise: toCyrillic,
  });
  const number = requiredCode(check, check.at('number'), input.number, {
    label: 'Номер удостоверения',
    pattern: /^\d{6}$/,
    expected: 'нужно 6 цифр, например 123456',
  });
  const issuedOn = issueDate(check, input.issuedOn, context);
  const expiresOn = expiryDate(check, input.expiresOn, issuedOn, 'Действительно до');
  const categories = driverCategories(check, check.at('categories'), input.categories);
  return check.result({ series, number, issuedOn, expiresOn, categories });
}

/** Upper-case spellings to the printed form: `TM` and `tm` are the tram category `Tm`. */
const CATEGORY_BY_SPELLING = new Map<string, DriverCategory>(DRIVER_CATEGORIES.map((category) => [category.toUpperCase(), category]));

/**
 * Categories in any case, in Latin or typed with the Russian layout (`В`, `С`, `Тб` — the licence
 * prints them in Latin). A category given twice counts once.
 */
function driverCategories(check: Check, field: string[], raw: Raw): DriverCategory[] | undefined {
  const spellings = (Array.isArray(raw) ? raw : [raw])
    .flatMap((entry) => textOf(entry).split(/[\s,;]+/))
    .filter(Boolean)
    .map((entry) => toLatin(entry.normalize('NFC').toUpperCase()).replace(/Б/g, 'B'));
  if (!spellings.length) return check.error(field, 'REQUIRED', 'Укажите хотя бы одну категорию, например B.');
  const unknown = [...new Set(spellings.filter((spelling) => !CATEGORY_BY_SPELLING.has(spelling)))];
  if (unknown.length) {
    const named = unknown.map((spelling) => `«${spelling}»`).join(', ');
    return check.error(field, 'INVALID_FORMAT', formatMessage('Категории', `${unknown.length === 1 ? 'категории' : 'категорий'} ${named} нет, бывают ${DRIVER_CATEGORIES.join(', ')}`));
  }
  const given = new Set(spellings.map((spelling) => CATEGORY_BY_SPELLING.get(spelling)!));
  return DRIVER_CATEGORIES.filter((category) => given.has(category));
}

// ---------------------------------------------------------------------------------------------------
// OMS policy

export function checkOmsPolicy(input: DocumentInput<OmsPolicy>, context: DocumentContext): Checked<OmsPolicy> {
  const check = startCheck(context.path);
  const number = omsNumber(check, check.at('number'), input.number, true);
  return check.result({ number });
}

/** An OMS policy number of any form: the document's, a child's. Null when left empty and not required. */
export function omsNumber(check: Check, field: string[], raw: Raw, required: true): string | undefined;
export function omsNumber(check: Check, field: string[], raw: Raw, required: boolean): string | null | undefined;
export function omsNumber(check: Check, field: string[], raw: Raw, required: boolean): string | null | undefined {
  const rule = { label: 'Номер полиса ОМС', pattern: /^\d{16}$/, expected: 'нужно 16 цифр, например 7700 0000 0000 0016' };
  const number = required ? requiredCode(check, field, raw, rule) : optionalCode(check, field, raw, rule);
  // The check digit rule comes from secondary sources only: a mismatch may be our mistake, not the person's.
  if (number && omsCheckDigit(number) !== Number(number[15])) {
    check.warn(field, 'CHECKSUM_WARNING', 'Контрольная цифра полиса ОМС не сходится с номером. Проверьте номер; если он переписан с полиса верно, оставьте как есть.');
  }
  return number;
}

/**
 * The unconfirmed rule from the design notes: of the first 15 digits, those in odd places counting from the
 * right, read as a number and doubled; the digits in even places written in front; the check digit
 * tops the sum of all those digits up to a multiple of 10.
 */
function omsCheckDigit(digits: string): number {
  const first = [...digits.slice(0, 15)].reverse();
  const odd = first
    .filter((_, i) => i % 2 === 0)
    .reverse()
    .join('');
  const even = first.filter((_, i) => i % 2 === 1).join('');
  const sum = [...`${even}${BigInt(odd) * 2n}`].reduce((total, digit) => total + Number(digit), 0);
  return (10 - (sum % 10)) % 10;
}

// ---------------------------------------------------------------------------------------------------
// Military ID

export function checkMilitaryId(input: DocumentInput<MilitaryId>, context: DocumentContext): Checked<MilitaryId> {
  const check = startCheck(context.path);
  const series = requiredCode(check, check.at('series'), input.series, {
    label: 'Серия военного билета',
    pattern: /^[А-ЯЁ]{2}$/,
    expected: 'нужно 2 русские буквы, например АК',
    normalise: toCyrillic,
  });
  const number = requiredCode(check, check.at('number'), input.number, {
    label: 'Номер военного билета',
    pattern: /^\d{7}$/,
    expected: 'нужно 7 цифр, например 1234567',
  });
  const issuedOn = issueDate(check, input.issuedOn, context);
  const issuedBy = requiredText(check, check.at('issuedBy'), input.issuedBy, { label: 'Кем выдан', max: ISSUER_MAX });
  return check.result({ series, number, issuedOn, issuedBy });
}

// ---------------------------------------------------------------------------------------------------
// Birth certificate

export function checkBirthCertificate(input: DocumentInput<BirthCertificate>, context: DocumentContext): Checked<BirthCertificate> {
  const check = startCheck(context.path);
  const series = requiredCode(check, check.at('series'), input.series, {
    label: 'Серия свидетельства',
    pattern: BIRTH_CERTIFICATE_SERIES,
    expected: 'нужно римское число из букв I, V, X, L, C, дефис и 2 русские буквы, например IV-МЮ',
    normalise: birthCertificateSeries,
  });
  const number = requiredCode(check, check.at('number'), input.number, {
    label: 'Номер свидетельства',
    pattern: /^\d{6}$/,
    expected: 'нужно 6 цифр, например 123456',
  });
  const issuedOn = issueDate(check, input.issuedOn, context);
  const issuedBy = requiredText(check, check.at('issuedBy'), input.issuedBy, { label: 'Кем выдано', max: ISSUER_MAX });
  return check.result({ series, number, issuedOn, issuedBy });
}

/** A Roman numeral written the standard way (IV, not IIII), 1 to 399, then 2 Cyrillic letters. */
const BIRTH_CERTIFICATE_SERIES = /^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})-[А-ЯЁ]{2}$/;

/**
 * `iv-мю`, `IV МЮ`, `IVМЮ` → `IV-МЮ`. The last two characters are the letters, the rest the numeral;
 * look-alikes typed in the other alphabet are put right on each side (a Cyrillic `Х` or `С` in the
 * numeral, a Latin `M` among the letters).
 */
function birthCertificateSeries(compact: string): string {
  if (compact.length < 3) return compact;
  const numeral = compact.slice(0, -2).replace(/[ХСІ]/g, (letter) => ({ Х: 'X', С: 'C', І: 'I' })[letter]!);
  return `${numeral}-${toCyrillic(compact.slice(-2))}`;
}

// ---------------------------------------------------------------------------------------------------
// Dates every document has

interface IssueRule {
  /** The age the holder must have reached, with the message when they had not. */
  minAge?: number;
  tooYoung?: string;
  /** The first day this kind of document was issued, with the message for an earlier date. */
  since?: string;
  tooOld?: string;
}

/** An issue date: in the past, not before the holder was born (or old enough), not before the kind existed. */
function issueDate(check: Check, raw: Raw, context: DocumentContext, rule: IssueRule = {}): string | undefined {
  const field = check.at('issuedOn');
  const issuedOn = pastDate(check, field, raw, 'Дата выдачи', context.today);
  if (issuedOn === undefined) return undefined;
  if (rule.since && issuedOn < rule.since) return check.error(field, 'DATE_TOO_EARLY', rule.tooOld!);
  const birthDate = context.birthDate;
  if (!birthDate) return issuedOn;
  if (issuedOn < birthDate) {
    return check.error(field, 'DATE_TOO_EARLY', 'Документ не может быть выдан раньше дня рождения владельца: проверьте дату выдачи.');
  }
  if (rule.minAge && issuedOn < addYears(birthDate, rule.minAge)) return check.error(field, 'DATE_TOO_EARLY', rule.tooYoung!);
  return issuedOn;
}

/** An expiry date: may be past (an expired document is still the person's) but comes after the issue. */
function expiryDate(check: Check, raw: Raw, issuedOn: string | undefined, label: string): string | undefined {
  const field = check.at('expiresOn');
  const expiresOn = requiredDate(check, field, raw, label);
  if (expiresOn !== undefined && issuedOn !== undefined && expiresOn <= issuedOn) {
    return check.error(field, 'EXPIRY_BEFORE_ISSUE', `Дата в поле «${label}» должна быть позже даты выдачи.`);
  }
  return expiresOn;
}
