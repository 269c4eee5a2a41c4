import { describe, expect, it } from 'vitest';
import { generatePassword, passwordConfirmationProblems, passwordProblems } from './passwords.ts';

const field = ['input', 'password'];
const error = (code: string, message: string) => ({ field, code, message });

const TOO_SHORT = error('PASSWORD_TOO_SHORT', 'Пароль должен содержать не менее 8 символов.');
const TOO_LONG = error('PASSWORD_TOO_LONG', 'Пароль должен содержать не более 128 символов.');
const NO_LOWERCASE = error('PASSWORD_MISSING_LOWERCASE', 'Пароль должен содержать хотя бы одну строчную латинскую букву (a–z).');
const NO_UPPERCASE = error('PASSWORD_MISSING_UPPERCASE', 'Пароль должен содержать хотя бы одну заглавную латинскую букву (A–Z).');
const NO_DIGIT = error('PASSWORD_MISSING_DIGIT', 'Пароль должен содержать хотя бы одну цифру.');
const TOO_COMMON = error('PASSWORD_TOO_COMMON', 'Этот пароль слишком распространён: такие пароли подбирают первыми. Придумайте другой.');
const invalid = (found: string, hint = '') => error('PASSWORD_INVALID_CHARACTERS', `Пароль может содержать только латинские буквы, цифры и знаки препинания, а в нём есть ${found}.${hint}`);
const personal = (found: string) => error('PASSWORD_CONTAINS_PERSONAL_DATA', `Пароль не должен содержать ${found}: их легко узнать.`);

/** 'Xq7…' of the given length: passes every other rule. */
const ofLength = (n: number) => 'Xq7' + 'vKw3#mTz9!pRb5'.repeat(10).slice(0, n - 3);

describe('passwordProblems: the portal accepts', () => {
  it.each(['Correct2026horse', 'Demo2026pass', 'x9#Lmq!zTr', 'Tr0ub4dor&3-staple', generatePassword()])('%j', (password) => {
    expect(passwordProblems(password)).toEqual([]);
  });

  it('64 and 128 characters, untruncated', () => {
    expect(passwordProblems(ofLength(64))).toEqual([]);
    expect(passwordProblems(ofLength(128))).toEqual([]);
  });

  it('every ASCII punctuation character', () => {
    expect(passwordProblems('Aa1!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')).toEqual([]);
  });
});

describe('passwordProblems: every rule broken is reported, in the order of the checklist', () => {
  it('a short password of small letters breaks three rules and gets exactly those three errors', () => {
    expect(passwordProblems('kxwqz')).toEqual([TOO_SHORT, NO_UPPERCASE, NO_DIGIT]);
  });

  it('an empty password misses everything', () => {
    expect(passwordProblems('')).toEqual([TOO_SHORT, NO_LOWERCASE, NO_UPPERCASE, NO_DIGIT]);
  });

  it('129 characters are too many', () => {
    expect(passwordProblems(ofLength(129))).toEqual([TOO_LONG]);
  });

  it('answers at once for input as long as a request allows, digits between letters included', () => {
    const started = performance.now();
    expect(passwordProblems(`A${'1'.repeat(1_000_000)}a`)).toEqual([TOO_LONG]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('counts characters as a person sees them, not UTF-16 units', () => {
    expect(passwordProblems('Xq7vKw😀')).toEqual([TOO_SHORT, invalid('другие символы (например, «№», буквы с диакритикой или эмодзи)')]);
  });
});

describe('passwordProblems: characters', () => {
  it('refuses Cyrillic and suggests checking the keyboard layout', () => {
    expect(passwordProblems('Пароль2026Xq')).toEqual([invalid('русские буквы', ' Проверьте раскладку клавиатуры.')]);
  });

  it('refuses spaces, tabs and non-breaking spaces', () => {
    for (const password of ['Correct 2026horse', 'Correct\t2026horse', 'Correct\u00a02026horse']) {
      expect(passwordProblems(password)).toEqual([invalid('пробелы')]);
    }
  });

  it('refuses other characters: «№», letters with diacritics, control characters', () => {
    for (const password of ['Correct№2026horse', 'Corréct2026horse', 'Correct2026horse\u0000']) {
      expect(passwordProblems(password)).toEqual([invalid('другие символы (например, «№», буквы с диакритикой или эмодзи)')]);
    }
  });

  it('names every kind of wrong character in one error', () => {
    expect(passwordProblems('Пароль 2026 Xq№')).toEqual([invalid('пробелы, русские буквы и другие символы (например, «№», буквы с диакритикой или эмодзи)', ' Проверьте раскладку клавиатуры.')]);
  });

  it('does not count Cyrillic letters as the lower- or upper-case letter required', () => {
    expect(passwordProblems('ПАРОЛЬпароль2026')).toEqual([invalid('русские буквы', ' Проверьте раскладку клавиатуры.'), NO_LOWERCASE, NO_UPPERCASE]);
  });
});

describe('passwordProblems: common passwords', () => {
  it('refuses Qwerty123 as common, whatever the case', () => {
    expect(passwordProblems('Qwerty123')).toEqual([TOO_COMMON]);
    expect(passwordProblems('qWERTY123')).toEqual([TOO_COMMON]);
  });

  it('refuses a common password that is also too short with both errors', () => {
    expect(passwordProblems('Abc123')).toEqual([TOO_SHORT, TOO_COMMON]);
  });

  it.each(['Password2026!', 'Sunshine#1', 'Dragon_1985', '2026Summer', '!!Football99'])('refuses %j: a common word with digits and symbols around it', (password) => {
    expect(passwordProblems(password)).toEqual([TOO_COMMON]);
  });

  it('judges only whole words, not a short common word at the start', () => {
    expect(passwordProblems('Cat83920174')).toEqual([]);
  });
});

describe('passwordProblems: personal data', () => {
  const person = { phone: '+79161234567', email: 'a.belousova85@mail.ru', names: ['Зайцева', 'Юлия', 'Сергеевна'] };

  it.each([
    ['the phone, whole', 'Xq+79161234567'],
    ['the phone without the country code', 'Xq9161234567z'],
    ['the phone as 8 9…', 'Xq89161234567'],
    ['six digits of the phone', 'Home161234!x'],
  ])('refuses %s', (_, password) => {
    expect(passwordProblems(password, person)).toEqual([personal('номер телефона')]);
  });

  it.each([
    ['the mailbox name', 'A.belousova85!x'],
    ['a word of the mailbox name', 'Belousova!2x9q'],
  ])('refuses %s', (_, password) => {
    expect(passwordProblems(password, { email: person.email })).toEqual([personal('адрес электронной почты')]);
  });

  it.each([
    ['a name in passport transliteration', 'Iuliia2026xq'],
    ['a name in popular transliteration', 'Yuliya2026xq'],
    ['a patronymic', 'Xq7Sergeevna'],
    ['a last name in popular transliteration', 'Zaytseva2026'],
    ['a last name typed with the Russian layout on', 'Pfqwtdf2026'],
  ])('refuses %s', (_, password) => {
    expect(passwordProblems(password, { names: person.names })).toEqual([personal('фамилию, имя или отчество')]);
  });

  it('names every kind of personal data found in one error', () => {
    expect(passwordProblems('Zaitseva+79161234567Belousova', person)).toEqual([personal('номер телефона, адрес электронной почты и фамилию, имя или отчество')]);
  });

  it('accepts a password that shares only short pieces with the person', () => {
    expect(passwordProblems('Yul4567#Kqz', person)).toEqual([]);
    expect(passwordProblems('Correct2026horse', { phone: null, email: null, names: [] })).toEqual([]);
  });
});

describe('passwordConfirmationProblems', () => {
  it('accepts the same password entered twice', () => {
    expect(passwordConfirmationProblems('Correct2026horse', 'Correct2026horse')).toEqual([]);
  });

  it.each(['correct2026horse', 'Correct2026horse ', ''])('refuses %j as a different password', (confirmation) => {
    expect(passwordConfirmationProblems('Correct2026horse', confirmation)).toEqual([{ field: ['input', 'passwordConfirmation'], code: 'PASSWORD_MISMATCH', message: 'Пароли не совпадают. Введите пароль ещё раз.' }]);
  });
});

describe('generatePassword', () => {
  const passwords = Array.from({ length: 2000 }, generatePassword);

  it('always suggests 16 characters the rules accept', () => {
    expect(passwords.filter((password) => password.length !== 16 || passwordProblems(password).length > 0)).toEqual([]);
  });

  it('never uses look-alike characters', () => {
    expect(passwords.filter((password) => /[0Oo1lI]/.test(password))).toEqual([]);
  });

  it('does not repeat itself and uses the whole alphabet', () => {
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(new Set(passwords.join('')).size).toBe(56);
  });
});
