import { COUNTRY_CODES } from './countries.ts';
import { checkBirthCertificate, omsNumber, snilsNumber, type BirthCertificate } from './documents.ts';
import { addYears, formatMessage, optionalDate, optionalText, pastDate, personName, requiredCode, requiredMessage, requiredText, startCheck, textOf, type Check, type Checked, type Path, type Raw } from './fields.ts';

/**
 * People in a profile: the person's own personal data and their children. Only the names are
 * required of the person (they come with the account); the rest is filled in over time and checked
 * whenever it is given.
 */

export type Sex = 'MALE' | 'FEMALE';

/** A postal address as the person writes it, in parts. */
export type Address = {
  /** 6 digits. */
  postcode: string;
  region: string;
  municipality: string | null;
  street: string | null;
  house: string;
  building: string | null;
  flat: string | null;
};

export type PersonalData = {
  lastName: string;
  firstName: string;
  middleName: string | null;
  sex: Sex | null;
  /** `YYYY-MM-DD`. */
  birthDate: string | null;
  birthPlace: string | null;
  /** ISO 3166-1 alpha-3, upper case: `RUS`. */
  citizenship: string | null;
  /** Where the person is registered (прописка). */
  registrationAddress: Address | null;
  /** Where the person actually lives. */
  actualAddress: Address | null;
};

export type Child = {
  lastName: string;
  firstName: string;
  middleName: string | null;
  sex: Sex;
  birthDate: string;
  birthCertificate: BirthCertificate | null;
  /** 11 digits. */
  snils: string | null;
  /** 16 digits. */
  omsPolicy: string | null;
};

/** What a form sends: each field a string, null or left out; addresses and the certificate as objects. */
export type PersonalDataInput = { [K in keyof PersonalData]?: Raw };
export type ChildInput = { [K in keyof Child]?: Raw };

export interface PeopleContext {
  /** Path of the input, e.g. `['input']`. */
  path: Path;
  /** `YYYY-MM-DD`, the portal's today (fields.ts `todayIn`). */
  today: string;
}

/** Nobody on record is older. */
export const MAX_AGE = 130;
/** From 18 a person is an adult, no longer a child in a parent's profile. */
export const ADULT_AGE = 18;

export function checkPersonalData(input: PersonalDataInput, context: PeopleContext): Checked<PersonalData> {
  const check = startCheck(context.path);
  return check.result({
    ...names(check, input),
    sex: sex(check, check.at('sex'), input.sex, false),
    birthDate: birthDate(check, check.at('birthDate'), input.birthDate, context.today),
    birthPlace: optionalText(check, check.at('birthPlace'), input.birthPlace, { label: 'Место рождения', max: 300 }),
    citizenship: citizenship(check, check.at('citizenship'), input.citizenship),
    registrationAddress: address(check, input.registrationAddress, context.path, 'registrationAddress'),
    actualAddress: address(check, input.actualAddress, context.path, 'actualAddress'),
  });
}

export function checkChild(input: ChildInput, context: PeopleContext): Checked<Child> {
  const check = startCheck(context.path);
  const { lastName, firstName, middleName } = names(check, input);
  const childSex = sex(check, check.at('sex'), input.sex, true);
  const childBirthDate = birthDateOfChild(check, check.at('birthDate'), input.birthDate, context.today);
  const birthCertificate = isBlank(input.birthCertificate)
    ? null
    : check.nested(
        checkBirthCertificate(objectOf(input.birthCertificate), {
          path: check.at('birthCertificate'),
          birthDate: childBirthDate ?? null,
          today: context.today,
        }),
      );
  return check.result({
    lastName,
    firstName,
    middleName,
    sex: childSex,
    birthDate: childBirthDate,
    birthCertificate,
    snils: snilsNumber(check, check.at('snils'), input.snils, false),
    omsPolicy: omsNumber(check, check.at('omsPolicy'), input.omsPolicy, false),
  });
}

// ---------------------------------------------------------------------------------------------------
// Fields

function names(check: Check, input: { lastName?: Raw; firstName?: Raw; middleName?: Raw }) {
  return {
    lastName: personName(check, check.at('lastName'), input.lastName, 'Фамилия', true),
    firstName: personName(check, check.at('firstName'), input.firstName, 'Имя', true),
    middleName: personName(check, check.at('middleName'), input.middleName, 'Отчество', false),
  };
}

function sex(check: Check, field: string[], raw: Raw, required: true): Sex | undefined;
function sex(check: Check, field: string[], raw: Raw, required: boolean): Sex | null | undefined;
function sex(check: Check, field: string[], raw: Raw, required: boolean): Sex | null | undefined {
  const value = textOf(raw).trim().toUpperCase();
  if (!value) return required ? check.error(field, 'REQUIRED', requiredMessage('Пол')) : null;
  if (value === 'MALE' || value === 'FEMALE') return value;
  return check.error(field, 'INVALID_FORMAT', formatMessage('Пол', 'укажите MALE (мужской) или FEMALE (женский)'));
}

/** Not in the future and not longer ago than anyone lives. */
function birthDate(check: Check, field: string[], raw: Raw, today: string): string | null | undefined {
  const value = optionalDate(check, field, raw, 'Дата рождения');
  if (!value) return value;
  if (value > today) return check.error(field, 'DATE_IN_FUTURE', 'Дата в поле «Дата рождения» ещё не наступила.');
  if (value < addYears(today, -MAX_AGE)) {
    return check.error(field, 'DATE_TOO_EARLY', `Проверьте год в поле «Дата рождения»: получается, что человеку больше ${MAX_AGE} лет.`);
  }
  return value;
}

/** Required, and under 18 today: on the 18th birthday a child is an adult. */
function birthDateOfChild(check: Check, field: string[], raw: Raw, today: string): string | undefined {
  const value = pastDate(check, field, raw, 'Дата рождения', today);
  if (value !== undefined && today >= addYears(value, ADULT_AGE)) {
    return check.error(field, 'CHILD_TOO_OLD', `По этой дате рождения ребёнку уже исполнилось ${ADULT_AGE} лет: в профиле указывают только несовершеннолетних детей.`);
  }
  return value;
}

function citizenship(check: Check, field: string[], raw: Raw): string | null | undefined {
  const value = textOf(raw).trim().toUpperCase();
  if (!value) return null;
  if (!/^[A-Z]{3}$/.test(value)) {
    return check.error(field, 'INVALID_FORMAT', formatMessage('Гражданство', 'нужен трёхбуквенный латинский код страны по ISO 3166-1, например RUS'));
  }
  if (!COUNTRY_CODES.has(value)) {
    return check.error(field, 'INVALID_FORMAT', formatMessage('Гражданство', `кода страны ${value} нет в ISO 3166-1, нужен трёхбуквенный код, например RUS`));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Addresses

const ADDRESS_TEXT = {
  region: { label: 'Регион', max: 100 },
  municipality: { label: 'Город или населённый пункт', max: 200 },
  street: { label: 'Улица', max: 200 },
  house: { label: 'Дом', max: 20 },
  building: { label: 'Корпус, строение', max: 20 },
  flat: { label: 'Квартира', max: 20 },
};

/** An address left out, or sent with every part empty, is no address. */
function address(check: Check, raw: Raw, path: Path, name: string): Address | null | undefined {
  if (isBlank(raw)) return null;
  return check.nested(checkAddress(objectOf(raw), { path: [...path, name] }));
}

export function checkAddress(input: { [K in keyof Address]?: Raw }, context: { path: Path }): Checked<Address> {
  const check = startCheck(context.path);
  return check.result({
    postcode: requiredCode(check, check.at('postcode'), input.postcode, { label: 'Индекс', pattern: /^\d{6}$/, expected: 'нужно 6 цифр, например 101000' }),
    region: requiredText(check, check.at('region'), input.region, ADDRESS_TEXT.region),
    municipality: optionalText(check, check.at('municipality'), input.municipality, ADDRESS_TEXT.municipality),
    street: optionalText(check, check.at('street'), input.street, ADDRESS_TEXT.street),
    house: requiredText(check, check.at('house'), input.house, ADDRESS_TEXT.house),
    building: optionalText(check, check.at('building'), input.building, ADDRESS_TEXT.building),
    flat: optionalText(check, check.at('flat'), input.flat, ADDRESS_TEXT.flat),
  });
}

// ---------------------------------------------------------------------------------------------------
// Nested inputs

const objectOf = (raw: Raw): Record<string, unknown> => (typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {});

/** Null, left out, or an object whose every field is empty: a form's untouched section. */
const isBlank = (raw: Raw) => raw == null || (typeof raw === 'object' && Object.values(raw).every((value) => !textOf(value).trim()));
