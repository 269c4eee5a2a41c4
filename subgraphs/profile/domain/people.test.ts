import { describe, expect, it } from 'vitest';
import { checkAddress, checkChild, checkPersonalData } from './people.ts';

const TODAY = '2026-06-15';
const path = ['input'];
const context = { path, today: TODAY };
const accepted = <T>(value: T, warnings: unknown[] = []) => ({ ok: true, value, warnings });
const refused = (...errors: unknown[]) => ({ ok: false, errors });
const error = (field: string | string[], code: string, message: string) => ({ field: [...path, ...[field].flat()], code, message });
const format = (field: string | string[], label: string, expected: string) => error(field, 'INVALID_FORMAT', `Неверный формат поля «${label}»: ${expected}.`);
const required = (field: string | string[], label: string) => error(field, 'REQUIRED', `Заполните поле «${label}».`);

const address = { postcode: '101000', region: 'г. Москва', municipality: null, street: 'ул. Мясницкая', house: '12', building: 'стр. 1', flat: '34' };

const person = {
  lastName: 'Иванов',
  firstName: 'Иван',
  middleName: 'Иванович',
  sex: 'MALE',
  birthDate: '1985-04-12',
  birthPlace: 'гор. Москва',
  citizenship: 'RUS',
  registrationAddress: address,
  actualAddress: null,
};

describe('checkPersonalData: the portal accepts', () => {
  it('complete personal data as it is stored', () => {
    expect(checkPersonalData(person, context)).toEqual(accepted(person));
  });

  it('only the names: the rest is filled in later', () => {
    expect(checkPersonalData({ lastName: 'Иванов', firstName: 'Иван' }, context)).toEqual(
      accepted({
        lastName: 'Иванов',
        firstName: 'Иван',
        middleName: null,
        sex: null,
        birthDate: null,
        birthPlace: null,
        citizenship: null,
        registrationAddress: null,
        actualAddress: null,
      }),
    );
  });

  it('names tidied: spaces trimmed, spaces around hyphens dropped, typographic apostrophes and dashes made plain', () => {
    const checked = checkPersonalData({ ...person, lastName: '  Салтыков – Щедрин ', firstName: 'Д’Артаньян', middleName: 'Мамед  оглы' }, context);
    expect(checked).toEqual(accepted({ ...person, lastName: 'Салтыков-Щедрин', firstName: "Д'Артаньян", middleName: 'Мамед оглы' }));
  });

  it('names in Latin letters, with diacritics too', () => {
    const checked = checkPersonalData({ ...person, lastName: "O'Brien", firstName: 'José', middleName: null }, context);
    expect(checked).toEqual(accepted({ ...person, lastName: "O'Brien", firstName: 'José', middleName: null }));
  });

  it('a й pasted as и with a combining breve, as one letter', () => {
    expect(checkPersonalData({ ...person, firstName: 'Андреи\u0306' }, context)).toEqual(accepted({ ...person, firstName: 'Андрей' }));
  });

  it('citizenship in lower case, stored in upper case', () => {
    expect(checkPersonalData({ ...person, citizenship: ' kaz ' }, context)).toEqual(accepted({ ...person, citizenship: 'KAZ' }));
  });

  it('a birth date exactly 130 years ago', () => {
    expect(checkPersonalData({ ...person, birthDate: '1896-06-15' }, context)).toEqual(accepted({ ...person, birthDate: '1896-06-15' }));
  });

  it('an address section sent with every part empty, as no address', () => {
    const blank = { postcode: '', region: ' ', municipality: null, house: '' };
    expect(checkPersonalData({ ...person, actualAddress: blank }, context)).toEqual(accepted(person));
  });
});

describe('checkPersonalData: names', () => {
  it('refuses missing last and first names, each on its field', () => {
    expect(checkPersonalData({ ...person, lastName: ' ', firstName: null }, context)).toEqual(refused(required('lastName', 'Фамилия'), required('firstName', 'Имя')));
  });

  it.each(['Иван2', '-Иван', 'Иван-', 'Иван--Петров', 'Ив@н', "'Иван"])('refuses %j', (name) => {
    expect(checkPersonalData({ ...person, firstName: name }, context)).toEqual(refused(format('firstName', 'Имя', 'допустимы русские или латинские буквы, пробел, дефис и апостроф')));
  });

  it('refuses a name with a Latin look-alike among Cyrillic letters, pointing at the keyboard layout', () => {
    expect(checkPersonalData({ ...person, lastName: 'Ивaнов' }, context)).toEqual(refused(format('lastName', 'Фамилия', 'в нём смешаны русские и латинские буквы, проверьте раскладку клавиатуры')));
  });

  it('refuses a name over 100 characters, and says what else is wrong with it', () => {
    expect(checkPersonalData({ ...person, middleName: 'И'.repeat(101) }, context)).toEqual(refused(error('middleName', 'TOO_LONG', 'Поле «Отчество» может содержать не более 100 символов.')));
    expect(checkPersonalData({ ...person, middleName: `${'И'.repeat(100)}1` }, context)).toEqual(
      refused(error('middleName', 'TOO_LONG', 'Поле «Отчество» может содержать не более 100 символов.'), format('middleName', 'Отчество', 'допустимы русские или латинские буквы, пробел, дефис и апостроф')),
    );
  });
});

describe('checkPersonalData: other fields', () => {
  it('refuses a sex other than MALE or FEMALE', () => {
    expect(checkPersonalData({ ...person, sex: 'M' }, context)).toEqual(refused(format('sex', 'Пол', 'укажите MALE (мужской) или FEMALE (женский)')));
  });

  it('refuses a birth date in the future', () => {
    expect(checkPersonalData({ ...person, birthDate: '2026-06-16' }, context)).toEqual(refused(error('birthDate', 'DATE_IN_FUTURE', 'Дата в поле «Дата рождения» ещё не наступила.')));
  });

  it('refuses a birth date more than 130 years ago', () => {
    expect(checkPersonalData({ ...person, birthDate: '1896-06-14' }, context)).toEqual(refused(error('birthDate', 'DATE_TOO_EARLY', 'Проверьте год в поле «Дата рождения»: получается, что человеку больше 130 лет.')));
  });

  it('refuses a birth date that is not a date', () => {
    expect(checkPersonalData({ ...person, birthDate: '1985-02-29' }, context)).toEqual(refused(format('birthDate', 'Дата рождения', 'такой даты нет в календаре')));
  });

  it('refuses a birth place over 300 characters', () => {
    expect(checkPersonalData({ ...person, birthPlace: 'М'.repeat(301) }, context)).toEqual(refused(error('birthPlace', 'TOO_LONG', 'Поле «Место рождения» может содержать не более 300 символов.')));
  });

  it('refuses a citizenship that is not a 3-letter code, and a code no country has', () => {
    expect(checkPersonalData({ ...person, citizenship: 'RU' }, context)).toEqual(refused(format('citizenship', 'Гражданство', 'нужен трёхбуквенный латинский код страны по ISO 3166-1, например RUS')));
    expect(checkPersonalData({ ...person, citizenship: 'Россия' }, context)).toEqual(refused(format('citizenship', 'Гражданство', 'нужен трёхбуквенный латинский код страны по ISO 3166-1, например RUS')));
    expect(checkPersonalData({ ...person, citizenship: 'ABC' }, context)).toEqual(refused(format('citizenship', 'Гражданство', 'кода страны ABC нет в ISO 3166-1, нужен трёхбуквенный код, например RUS')));
  });

  it('reports mistakes in both addresses at once, each on its path', () => {
    const checked = checkPersonalData({ ...person, registrationAddress: { ...address, postcode: '1010' }, actualAddress: { postcode: '190000', region: 'Санкт-Петербург' } }, context);
    expect(checked).toEqual(refused(format(['registrationAddress', 'postcode'], 'Индекс', 'нужно 6 цифр, например 101000'), required(['actualAddress', 'house'], 'Дом')));
  });
});

describe('checkAddress', () => {
  const at = { path: ['input', 'registrationAddress'] };
  const field = (name: string) => ['input', 'registrationAddress', name];

  it('accepts an address with only the postcode, region and house, and tidies the parts', () => {
    expect(checkAddress({ postcode: '101 000', region: ' г. Москва ', house: ' 12 ' }, at)).toEqual(
      accepted({ postcode: '101000', region: 'г. Москва', municipality: null, street: null, house: '12', building: null, flat: null }),
    );
  });

  it('reports every missing required part', () => {
    expect(checkAddress({ street: 'ул. Ленина' }, at)).toEqual(
      refused(
        { field: field('postcode'), code: 'REQUIRED', message: 'Заполните поле «Индекс».' },
        { field: field('region'), code: 'REQUIRED', message: 'Заполните поле «Регион».' },
        { field: field('house'), code: 'REQUIRED', message: 'Заполните поле «Дом».' },
      ),
    );
  });

  it('refuses parts over their limits', () => {
    expect(checkAddress({ ...address, flat: '1'.repeat(21), street: 'у'.repeat(201) }, at)).toEqual(
      refused(
        { field: field('street'), code: 'TOO_LONG', message: 'Поле «Улица» может содержать не более 200 символов.' },
        { field: field('flat'), code: 'TOO_LONG', message: 'Поле «Квартира» может содержать не более 20 символов.' },
      ),
    );
  });
});

describe('checkChild', () => {
  const child = {
    lastName: 'Иванова',
    firstName: 'Мария',
    middleName: 'Ивановна',
    sex: 'FEMALE',
    birthDate: '2015-03-02',
    birthCertificate: { series: 'IV-МЮ', number: '654321', issuedOn: '2015-03-10', issuedBy: 'Отдел ЗАГС Тверского района г. Москвы' },
    snils: '11223344595',
    omsPolicy: '7700000000000016',
  };
  const OMS_WARNING = {
    field: ['input', 'omsPolicy'],
    code: 'CHECKSUM_WARNING',
    message: 'Контрольная цифра полиса ОМС не сходится с номером. Проверьте номер; если он переписан с полиса верно, оставьте как есть.',
  };
  const TOO_OLD = error('birthDate', 'CHILD_TOO_OLD', 'По этой дате рождения ребёнку уже исполнилось 18 лет: в профиле указывают только несовершеннолетних детей.');

  it('accepts a child with documents typed the way people type them, and stores them normalised', () => {
    const typed = { ...child, birthCertificate: { ...child.birthCertificate, series: 'iv мю' }, snils: '112-233-445 95', omsPolicy: '7700 0000 0000 0016' };
    expect(checkChild(typed, context)).toEqual(accepted(child));
  });

  it('accepts a child without documents', () => {
    const checked = checkChild({ ...child, middleName: '', birthCertificate: null, snils: null, omsPolicy: '' }, context);
    expect(checked).toEqual(accepted({ ...child, middleName: null, birthCertificate: null, snils: null, omsPolicy: null }));
  });

  it('passes on the ОМС warning', () => {
    expect(checkChild({ ...child, omsPolicy: '7700000000000017' }, context)).toEqual(accepted({ ...child, omsPolicy: '7700000000000017' }, [OMS_WARNING]));
  });

  it('accepts a child the day before the 18th birthday, and a child born today', () => {
    expect(checkChild({ ...child, birthDate: '2008-06-16', birthCertificate: null }, context).ok).toBe(true);
    expect(checkChild({ ...child, birthDate: TODAY, birthCertificate: null }, context).ok).toBe(true);
  });

  it('refuses a child who is 18 today or older', () => {
    expect(checkChild({ ...child, birthDate: '2008-06-15', birthCertificate: null }, context)).toEqual(refused(TOO_OLD));
    expect(checkChild({ ...child, birthDate: '1990-01-01', birthCertificate: null }, context)).toEqual(refused(TOO_OLD));
  });

  it('refuses a birth date in the future', () => {
    expect(checkChild({ ...child, birthDate: '2026-07-01', birthCertificate: null }, context)).toEqual(refused(error('birthDate', 'DATE_IN_FUTURE', 'Дата в поле «Дата рождения» ещё не наступила.')));
  });

  it('checks the documents with the same rules as the parent’s, on the child’s paths', () => {
    const checked = checkChild({ ...child, birthCertificate: { ...child.birthCertificate, series: 'IIII-МЮ', issuedOn: '2015-03-01' }, snils: '112-233-445 96', omsPolicy: '7700' }, context);
    expect(checked).toEqual(
      refused(
        format(['birthCertificate', 'series'], 'Серия свидетельства', 'нужно римское число из букв I, V, X, L, C, дефис и 2 русские буквы, например IV-МЮ'),
        error(['birthCertificate', 'issuedOn'], 'DATE_TOO_EARLY', 'Документ не может быть выдан раньше дня рождения владельца: проверьте дату выдачи.'),
        error('snils', 'INVALID_CHECKSUM', 'Контрольное число СНИЛС (две последние цифры) не сходится с номером: проверьте, нет ли опечатки.'),
        format('omsPolicy', 'Номер полиса ОМС', 'нужно 16 цифр, например 7700 0000 0000 0016'),
      ),
    );
  });

  it('requires the names, sex and birth date', () => {
    expect(checkChild({}, context)).toEqual(refused(required('lastName', 'Фамилия'), required('firstName', 'Имя'), required('sex', 'Пол'), required('birthDate', 'Дата рождения')));
  });
});
