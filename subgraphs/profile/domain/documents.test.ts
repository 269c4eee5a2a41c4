import { describe, expect, it } from 'vitest';
import { checkBirthCertificate, checkDocument, checkDriverLicence, checkForeignPassport, checkInn, checkMilitaryId, checkOmsPolicy, checkRussianPassport, checkSnils } from './documents.ts';

const TODAY = '2026-06-15';
const BORN = '1985-04-12';
const path = ['input', 'document'];
const context = { path, today: TODAY, birthDate: BORN };

const accepted = <T>(value: T, warnings: unknown[] = []) => ({ ok: true, value, warnings });
const refused = (...errors: unknown[]) => ({ ok: false, errors });
const error = (field: string, code: string, message: string) => ({ field: [...path, field], code, message });

const required = (field: string, label: string) => error(field, 'REQUIRED', `Заполните поле «${label}».`);
const format = (field: string, label: string, expected: string) => error(field, 'INVALID_FORMAT', `Неверный формат поля «${label}»: ${expected}.`);
const inFuture = (field: string, label: string) => error(field, 'DATE_IN_FUTURE', `Дата в поле «${label}» ещё не наступила.`);
const beforeBirth = error('issuedOn', 'DATE_TOO_EARLY', 'Документ не может быть выдан раньше дня рождения владельца: проверьте дату выдачи.');
const notADate = (field: string, label: string) => format(field, label, 'нужна дата в виде ГГГГ-ММ-ДД, например 2020-05-14');
const notInCalendar = (field: string, label: string) => format(field, label, 'такой даты нет в календаре');

// ---------------------------------------------------------------------------------------------------
// Check numbers computed independently of documents.ts, to make more valid numbers than the few known

/** SNILS check number of a 9-digit number, as the design notes (shared/design/reference.md) describe it. */
function snilsCheck(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (9 - i);
  let check = sum;
  if (sum === 100 || sum === 101) check = 0;
  else if (sum > 101) check = sum % 101 === 100 ? 0 : sum % 101;
  return String(check).padStart(2, '0');
}

/** Both check digits of a person's INN from its first 10 digits. */
function innChecks(ten: string): string {
  const digit = (digits: string, weights: number[]) => String((weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0) % 11) % 10);
  const d11 = digit(ten, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
  return d11 + digit(ten + d11, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
}

/** OMS check digit by the unverified rule of the design notes. */
function omsCheck(fifteen: string): string {
  let odd = '';
  let even = '';
  for (let i = 0; i < 15; i++) (15 - i) % 2 === 1 ? (odd += fifteen[i]) : (even += fifteen[i]);
  const sum = [...`${even}${BigInt(odd) * 2n}`].reduce((total, digit) => total + Number(digit), 0);
  return String((10 - (sum % 10)) % 10);
}

/** The last digit changed: still digits, no longer the right check. */
const wrongLast = (number: string) => number.slice(0, -1) + String((Number(number.at(-1)) + 1) % 10);

// ---------------------------------------------------------------------------------------------------

describe('checkRussianPassport', () => {
  const passport = { series: '4510', number: '123456', issuedOn: '2020-05-14', issuedBy: 'ГУ МВД России по г. Москве', divisionCode: '770-001' };

  it('accepts the series, number and division code as people type them, and stores them in one form', () => {
    for (const typed of [
      { series: '45 10', number: '123456', divisionCode: '770-001' },
      { series: '4510', number: '123 456', divisionCode: '770001' },
      { series: ' 45-10 ', number: '12 34 56', divisionCode: '770 001' },
    ]) {
      expect(checkRussianPassport({ ...passport, ...typed }, context)).toEqual(accepted(passport));
    }
  });

  it('tidies the issuer: trimmed, one space between words', () => {
    expect(checkRussianPassport({ ...passport, issuedBy: '  ГУ МВД России\n по  г. Москве ' }, context)).toEqual(accepted(passport));
  });

  it('accepts a passport issued on the 14th birthday, and one issued today', () => {
    expect(checkRussianPassport({ ...passport, issuedOn: '1999-04-12' }, context)).toEqual(accepted({ ...passport, issuedOn: '1999-04-12' }));
    expect(checkRussianPassport({ ...passport, issuedOn: TODAY }, context)).toEqual(accepted({ ...passport, issuedOn: TODAY }));
  });

  it('refuses a passport issued before the 14th birthday', () => {
    expect(checkRussianPassport({ ...passport, issuedOn: '1999-04-11' }, context)).toEqual(
      refused(error('issuedOn', 'DATE_TOO_EARLY', 'Паспорт выдают с 14 лет, а в эту дату владельцу ещё не было 14: проверьте дату выдачи и дату рождения.')),
    );
  });

  it('counts the 14th birthday of someone born on 29 February as 28 February', () => {
    const leapling = { ...context, birthDate: '2008-02-29' };
    expect(checkRussianPassport({ ...passport, issuedOn: '2022-02-28' }, leapling).ok).toBe(true);
    expect(checkRussianPassport({ ...passport, issuedOn: '2022-02-27' }, leapling)).toEqual(
      refused(error('issuedOn', 'DATE_TOO_EARLY', 'Паспорт выдают с 14 лет, а в эту дату владельцу ещё не было 14: проверьте дату выдачи и дату рождения.')),
    );
  });

  it('cannot judge the age without a birth date, and does not', () => {
    expect(checkRussianPassport({ ...passport, issuedOn: '2000-01-01' }, { path, today: TODAY, birthDate: null })).toEqual(accepted({ ...passport, issuedOn: '2000-01-01' }));
  });

  it('refuses an issue date in the future', () => {
    expect(checkRussianPassport({ ...passport, issuedOn: '2026-06-16' }, context)).toEqual(refused(inFuture('issuedOn', 'Дата выдачи')));
  });

  it('refuses an issue date before these passports existed (1 October 1997)', () => {
    expect(checkRussianPassport({ ...passport, issuedOn: '1997-09-30' }, { ...context, birthDate: '1970-01-01' })).toEqual(
      refused(error('issuedOn', 'DATE_TOO_EARLY', 'Паспорта гражданина Российской Федерации выдают с 1 октября 1997 года: проверьте дату выдачи.')),
    );
  });

  it('refuses an issue date before the holder was born with its own message', () => {
    expect(checkRussianPassport({ ...passport, issuedOn: '2005-01-01' }, { ...context, birthDate: '2010-01-01' })).toEqual(refused(beforeBirth));
  });

  it('refuses dates that are not ISO dates or not in the calendar', () => {
    expect(checkRussianPassport({ ...passport, issuedOn: '14.05.2020' }, context)).toEqual(refused(notADate('issuedOn', 'Дата выдачи')));
    expect(checkRussianPassport({ ...passport, issuedOn: '2023-02-29' }, context)).toEqual(refused(notInCalendar('issuedOn', 'Дата выдачи')));
    expect(checkRussianPassport({ ...passport, issuedOn: '2020-13-01' }, context)).toEqual(refused(notInCalendar('issuedOn', 'Дата выдачи')));
  });

  it('reports every empty field at once', () => {
    expect(checkRussianPassport({}, context)).toEqual(
      refused(required('series', 'Серия паспорта'), required('number', 'Номер паспорта'), required('issuedOn', 'Дата выдачи'), required('issuedBy', 'Кем выдан'), required('divisionCode', 'Код подразделения')),
    );
    expect(checkRussianPassport({ series: '  ', number: null, issuedBy: ' \n ' }, context)).toEqual(checkRussianPassport({}, context));
  });

  it('reports every malformed field at once, naming the expected format', () => {
    expect(checkRussianPassport({ ...passport, series: '451', number: '12345A', divisionCode: '77-001' }, context)).toEqual(
      refused(
        format('series', 'Серия паспорта', 'нужно 4 цифры, например 45 10'),
        format('number', 'Номер паспорта', 'нужно 6 цифр, например 123456'),
        format('divisionCode', 'Код подразделения', 'нужно 6 цифр в виде 123-456'),
      ),
    );
  });

  it('refuses an issuer over 300 characters, and one with invisible characters', () => {
    expect(checkRussianPassport({ ...passport, issuedBy: 'О'.repeat(301) }, context)).toEqual(refused(error('issuedBy', 'TOO_LONG', 'Поле «Кем выдан» может содержать не более 300 символов.')));
    expect(checkRussianPassport({ ...passport, issuedBy: 'ОВД\u200b района' }, context)).toEqual(refused(format('issuedBy', 'Кем выдан', 'в тексте есть невидимые служебные символы, наберите его заново')));
  });
});

describe('checkSnils', () => {
  const checkNumber = (number: string) => checkSnils({ number }, context);
  const BAD_CHECKSUM = error('number', 'INVALID_CHECKSUM', 'Контрольное число СНИЛС (две последние цифры) не сходится с номером: проверьте, нет ли опечатки.');

  it('accepts 112-233-445 95 however it is written, and stores 11 digits', () => {
    for (const typed of ['112-233-445 95', '11223344595', '112 233 445 95', '112-233-445-95']) {
      expect(checkNumber(typed)).toEqual(accepted({ number: '11223344595' }));
    }
  });

  it.each(['148-481-255 85', '010-242-368 77', '112-233-446 96', '112-233-447 97'])('accepts the known valid number %s', (number) => {
    expect(checkNumber(number).ok).toBe(true);
  });

  it.each([
    ['001-326-678', '99', 'a sum under 100 is the check number itself'],
    ['001-508-815', '00', 'a sum of 100 gives 00'],
    ['001-437-544', '00', 'a sum of 101 gives 00'],
    ['002-569-961', '49', 'a sum over 101 gives its remainder modulo 101'],
    ['006-996-682', '00', 'a remainder of 100 gives 00'],
    ['198-889-890', '00', 'a remainder of 0 gives 00'],
  ])('accepts %s %s: %s', (nine, check) => {
    expect(snilsCheck(nine.replace(/-/g, ''))).toBe(check);
    expect(checkNumber(`${nine} ${check}`)).toEqual(accepted({ number: `${nine.replace(/-/g, '')}${check}` }));
    expect(checkNumber(wrongLast(`${nine} ${check}`))).toEqual(refused(BAD_CHECKSUM));
  });

  it('accepts numbers with the check number computed from many prefixes, and refuses them with another', () => {
    for (let prefix = 1_001_999; prefix < 999_999_999; prefix += 9_876_541) {
      const nine = String(prefix).padStart(9, '0');
      const number = nine + snilsCheck(nine);
      expect(checkNumber(number)).toEqual(accepted({ number }));
      expect(checkNumber(wrongLast(number))).toEqual(refused(BAD_CHECKSUM));
    }
  });

  it('does not check numbers up to 001-001-998, issued before the check number existed', () => {
    expect(checkNumber('001-001-998 42')).toEqual(accepted({ number: '00100199842' }));
    expect(checkNumber('001-001-999 42')).toEqual(refused(BAD_CHECKSUM));
  });

  it('refuses a wrong check number with its own code', () => {
    expect(checkNumber('112-233-445 96')).toEqual(refused(BAD_CHECKSUM));
  });

  it('refuses anything but 11 digits, and an empty number', () => {
    const malformed = format('number', 'СНИЛС', 'нужно 11 цифр, например 123-456-789 64');
    expect(checkNumber('112-233-445')).toEqual(refused(malformed));
    expect(checkNumber('112-233-445 955')).toEqual(refused(malformed));
    expect(checkNumber('112-233-445 9O')).toEqual(refused(malformed));
    expect(checkNumber('')).toEqual(refused(required('number', 'СНИЛС')));
  });
});

describe('checkInn', () => {
  const checkNumber = (number: string) => checkInn({ number }, context);
  const BAD_CHECKSUM = error('number', 'INVALID_CHECKSUM', 'Контрольные цифры ИНН (две последние) не сходятся с номером: проверьте, нет ли опечатки.');

  it.each(['500100732259', '005826107187', '123456789047'])('accepts the known valid number %s', (number) => {
    expect(checkNumber(number)).toEqual(accepted({ number }));
  });

  it('accepts spaces between the groups', () => {
    expect(checkNumber('5001 007322 59')).toEqual(accepted({ number: '500100732259' }));
  });

  it('accepts numbers with both check digits computed, and refuses a wrong 11th or 12th digit', () => {
    for (let prefix = 100_000_000; prefix < 9_999_999_999; prefix += 987_654_321) {
      const ten = String(prefix).padStart(10, '0');
      const number = ten + innChecks(ten);
      const wrong11 = ten + String((Number(number[10]) + 1) % 10) + number[11];
      expect(checkNumber(number)).toEqual(accepted({ number }));
      expect(checkNumber(wrong11)).toEqual(refused(BAD_CHECKSUM));
      expect(checkNumber(wrongLast(number))).toEqual(refused(BAD_CHECKSUM));
    }
  });

  it('refuses a known invalid number', () => {
    expect(checkNumber('123456789037')).toEqual(refused(BAD_CHECKSUM));
  });

  it("refuses an organisation's 10-digit INN and says what it is", () => {
    expect(checkNumber('7707083893')).toEqual(refused(error('number', 'INVALID_FORMAT', 'Это ИНН организации: в нём 10 цифр. Укажите свой личный ИНН из 12 цифр.')));
  });

  it('refuses other lengths and letters', () => {
    const malformed = format('number', 'ИНН', 'нужно 12 цифр личного ИНН, например 500100732259');
    expect(checkNumber('50010073225')).toEqual(refused(malformed));
    expect(checkNumber('50010073225A')).toEqual(refused(malformed));
  });
});

describe('checkForeignPassport', () => {
  const passport = { series: '75', number: '1234567', issuedOn: '2019-03-01', expiresOn: '2029-03-01', issuedBy: 'МВД 77810' };

  it('accepts the series and number with spaces, and stores them without', () => {
    expect(checkForeignPassport({ ...passport, series: ' 75 ', number: '123 45 67' }, context)).toEqual(accepted(passport));
  });

  it('accepts an expired passport: it is still the person’s document', () => {
    const expired = { ...passport, issuedOn: '2010-03-01', expiresOn: '2020-03-01' };
    expect(checkForeignPassport(expired, context)).toEqual(accepted(expired));
  });

  it('accepts a passport issued to a baby', () => {
    const babys = { ...passport, issuedOn: '2026-02-01' };
    expect(checkForeignPassport(babys, { ...context, birthDate: '2026-01-01' })).toEqual(accepted(babys));
  });

  it('refuses an expiry date on or before the issue date', () => {
    const expiry = error('expiresOn', 'EXPIRY_BEFORE_ISSUE', 'Дата в поле «Действителен до» должна быть позже даты выдачи.');
    expect(checkForeignPassport({ ...passport, expiresOn: '2019-03-01' }, context)).toEqual(refused(expiry));
    expect(checkForeignPassport({ ...passport, expiresOn: '2018-03-01' }, context)).toEqual(refused(expiry));
  });

  it('refuses an issue date in the future or before birth', () => {
    expect(checkForeignPassport({ ...passport, issuedOn: '2027-01-01', expiresOn: '2037-01-01' }, context)).toEqual(refused(inFuture('issuedOn', 'Дата выдачи')));
    expect(checkForeignPassport({ ...passport, issuedOn: '1980-01-01' }, context)).toEqual(refused(beforeBirth));
  });

  it('reports every mistake at once', () => {
    expect(checkForeignPassport({ series: '7', number: '12345678', issuedOn: '2019-03-01', expiresOn: '2019-02-30' }, context)).toEqual(
      refused(
        format('series', 'Серия загранпаспорта', 'нужно 2 цифры, например 75'),
        format('number', 'Номер загранпаспорта', 'нужно 7 цифр, например 1234567'),
        notInCalendar('expiresOn', 'Действителен до'),
        required('issuedBy', 'Кем выдан'),
      ),
    );
  });
});

describe('checkDriverLicence', () => {
  const licence = { series: '9901', number: '123456', issuedOn: '2020-01-15', expiresOn: '2030-01-15', categories: ['B'] };
  const categories = (...given: unknown[]) => checkDriverLicence({ ...licence, categories: given }, context);
  const withCategories = (...stored: string[]) => accepted({ ...licence, categories: stored });

  it('accepts a series of 4 digits typed with a space', () => {
    expect(checkDriverLicence({ ...licence, series: '99 01' }, context)).toEqual(accepted(licence));
  });

  it('accepts the old format, 2 digits and 2 Cyrillic letters, typed in any case or with Latin look-alikes', () => {
    for (const series of ['77 ОА', '77 оа', '77 OA', '77oa']) {
      expect(checkDriverLicence({ ...licence, series }, context)).toEqual(accepted({ ...licence, series: '77ОА' }));
    }
  });

  it('stores categories once each, in the order of the licence, with Tm and Tb in their printed case', () => {
    expect(categories('tb', 'b', 'B', 'c1e', 'TM', 'a1')).toEqual(withCategories('A1', 'B', 'C1E', 'Tm', 'Tb'));
  });

  it('reads categories typed with the Russian layout, and several in one line', () => {
    expect(categories('В', 'С1Е', 'Тм', 'Тб')).toEqual(withCategories('B', 'C1E', 'Tm', 'Tb'));
    expect(categories('B, C; D1E')).toEqual(withCategories('B', 'C', 'D1E'));
  });

  it('refuses an empty list of categories', () => {
    const none = refused(error('categories', 'REQUIRED', 'Укажите хотя бы одну категорию, например B.'));
    expect(categories()).toEqual(none);
    expect(categories(' ', null)).toEqual(none);
    expect(checkDriverLicence({ ...licence, categories: null }, context)).toEqual(none);
  });

  it('refuses unknown categories, naming each once', () => {
    expect(categories('B', 'F')).toEqual(refused(format('categories', 'Категории', 'категории «F» нет, бывают A, A1, B, B1, BE, C, C1, CE, C1E, D, D1, DE, D1E, M, Tm, Tb')));
    expect(categories('BB', 'Z', 'z')).toEqual(refused(format('categories', 'Категории', 'категорий «BB», «Z» нет, бывают A, A1, B, B1, BE, C, C1, CE, C1E, D, D1, DE, D1E, M, Tm, Tb')));
  });

  it('refuses an expiry date before the issue date', () => {
    expect(checkDriverLicence({ ...licence, expiresOn: '2019-01-15' }, context)).toEqual(refused(error('expiresOn', 'EXPIRY_BEFORE_ISSUE', 'Дата в поле «Действительно до» должна быть позже даты выдачи.')));
  });

  it('refuses other series and numbers', () => {
    const series = format('series', 'Серия удостоверения', 'нужно 4 цифры, например 99 01, а на удостоверениях старого образца — 2 цифры и 2 русские буквы, например 77 ОА');
    for (const typed of ['990', 'ОА77', '77 ОАБ', '77 Q1']) {
      expect(checkDriverLicence({ ...licence, series: typed }, context)).toEqual(refused(series));
    }
    expect(checkDriverLicence({ ...licence, number: '12345' }, context)).toEqual(refused(format('number', 'Номер удостоверения', 'нужно 6 цифр, например 123456')));
  });
});

describe('checkOmsPolicy', () => {
  const WARNING = {
    field: [...path, 'number'],
    code: 'CHECKSUM_WARNING',
    message: 'Контрольная цифра полиса ОМС не сходится с номером. Проверьте номер; если он переписан с полиса верно, оставьте как есть.',
  };

  it('accepts 16 digits in groups of four, without a warning when the check digit fits', () => {
    expect(checkOmsPolicy({ number: '7700 0000 0000 0016' }, context)).toEqual(accepted({ number: '7700000000000016' }));
  });

  it('accepts numbers with the check digit computed from many prefixes', () => {
    for (let prefix = 100_000_000_000_000n; prefix < 999_999_999_999_999n; prefix += 98_765_432_109_876n) {
      const number = String(prefix) + omsCheck(String(prefix));
      expect(checkOmsPolicy({ number }, context)).toEqual(accepted({ number }));
    }
  });

  it('accepts a number whose check digit does not fit, with a warning: the rule is not confirmed', () => {
    expect(checkOmsPolicy({ number: '7700 0000 0000 0017' }, context)).toEqual(accepted({ number: '7700000000000017' }, [WARNING]));
  });

  it('refuses anything but 16 digits', () => {
    const malformed = format('number', 'Номер полиса ОМС', 'нужно 16 цифр, например 7700 0000 0000 0016');
    expect(checkOmsPolicy({ number: '7700 0000 0000 001' }, context)).toEqual(refused(malformed));
    expect(checkOmsPolicy({ number: '7700 0000 0000 00161' }, context)).toEqual(refused(malformed));
    expect(checkOmsPolicy({}, context)).toEqual(refused(required('number', 'Номер полиса ОМС')));
  });
});

describe('checkMilitaryId', () => {
  const militaryId = { series: 'АК', number: '1234567', issuedOn: '2004-06-01', issuedBy: 'Военный комиссариат Тверского района г. Москвы' };

  it('accepts the series in lower case or with Latin look-alikes, and stores Cyrillic capitals', () => {
    for (const series of ['АК', 'ак', 'AK', 'a k']) {
      expect(checkMilitaryId({ ...militaryId, series }, context)).toEqual(accepted(militaryId));
    }
  });

  it('refuses other series and numbers', () => {
    expect(checkMilitaryId({ ...militaryId, series: 'А1', number: '123456' }, context)).toEqual(
      refused(format('series', 'Серия военного билета', 'нужно 2 русские буквы, например АК'), format('number', 'Номер военного билета', 'нужно 7 цифр, например 1234567')),
    );
    expect(checkMilitaryId({ ...militaryId, series: 'АКБ' }, context).ok).toBe(false);
  });

  it('refuses an issue date before birth', () => {
    expect(checkMilitaryId({ ...militaryId, issuedOn: '1980-01-01' }, context)).toEqual(refused(beforeBirth));
  });
});

describe('checkBirthCertificate', () => {
  const certificate = { series: 'IV-МЮ', number: '123456', issuedOn: '1985-04-20', issuedBy: 'Отдел ЗАГС Тверского района г. Москвы' };
  const series = (typed: string) => checkBirthCertificate({ ...certificate, series: typed }, context);
  const withSeries = (stored: string) => accepted({ ...certificate, series: stored });
  const SERIES = format('series', 'Серия свидетельства', 'нужно римское число из букв I, V, X, L, C, дефис и 2 русские буквы, например IV-МЮ');

  it.each(['IV-МЮ', 'iv-мю', 'IV МЮ', 'IVМЮ', ' IV – МЮ '])('accepts %j as IV-МЮ', (typed) => {
    expect(series(typed)).toEqual(withSeries('IV-МЮ'));
  });

  it('puts look-alikes right: Latin letters after the numeral become Cyrillic, Cyrillic Х, С, І in the numeral Latin', () => {
    expect(series('II-MK')).toEqual(withSeries('II-МК'));
    expect(series('ХС-АБ')).toEqual(withSeries('XC-АБ'));
    expect(series('ІІІ-ЖА')).toEqual(withSeries('III-ЖА'));
  });

  it.each(['I-АА', 'XIV-ЖА', 'XL-ББ', 'LXXXIX-ОК', 'CCCXCIX-ЯЯ'])('accepts the numeral of %s', (typed) => {
    expect(series(typed)).toEqual(withSeries(typed));
  });

  it.each(['IIII-МЮ', 'VV-МЮ', 'IC-МЮ', 'MC-МЮ', 'IV-М', 'IV-МЮЯ', 'IV-12', '-МЮ', 'МЮ'])('refuses %j', (typed) => {
    expect(series(typed)).toEqual(refused(SERIES));
  });

  it('refuses an issue date before the child was born', () => {
    expect(checkBirthCertificate({ ...certificate, issuedOn: '1985-04-11' }, context)).toEqual(refused(beforeBirth));
  });

  it('refuses a number of other than 6 digits', () => {
    expect(checkBirthCertificate({ ...certificate, number: '1234567' }, context)).toEqual(refused(format('number', 'Номер свидетельства', 'нужно 6 цифр, например 123456')));
  });
});

describe('checkDocument', () => {
  it('gives the same answer as the kind’s own check', () => {
    const passport = { series: '45 10', number: '123456', issuedOn: '2020-05-14', issuedBy: 'ОВД', divisionCode: '770001' };
    expect(checkDocument('RUSSIAN_PASSPORT', passport, context)).toEqual(checkRussianPassport(passport, context));
    expect(checkDocument('SNILS', { number: '112-233-445 96' }, context)).toEqual(checkSnils({ number: '112-233-445 96' }, context));
    expect(checkDocument('OMS_POLICY', { number: '7700000000000017' }, context)).toEqual(checkOmsPolicy({ number: '7700000000000017' }, context));
  });

  it('takes a whole input object as GraphQL hands it over, unknown fields ignored', () => {
    const input: Record<string, unknown> = { number: '11223344595', comment: 'лишнее' };
    expect(checkDocument('SNILS', input, context)).toEqual(accepted({ number: '11223344595' }));
  });
});
