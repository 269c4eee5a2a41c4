import { describe, expect, it } from 'vitest';
import { addYears, cleanText, longerThan, optionalDate, startCheck, todayIn } from './fields.ts';

describe('addYears', () => {
  it('moves the date by whole years, back and forth', () => {
    expect(addYears('1985-04-12', 14)).toBe('1999-04-12');
    expect(addYears('2026-06-15', -130)).toBe('1896-06-15');
  });

  it('moves 29 February to 28 February in a year without it, and keeps it in a leap year', () => {
    expect(addYears('2008-02-29', 14)).toBe('2022-02-28');
    expect(addYears('2008-02-29', 16)).toBe('2024-02-29');
  });
});

describe('todayIn', () => {
  it('gives the date in Moscow, which is already the next day late in the evening UTC', () => {
    expect(todayIn('Europe/Moscow', new Date('2026-06-14T21:30:00Z'))).toBe('2026-06-15');
    expect(todayIn('Europe/Moscow', new Date('2026-06-14T20:59:00Z'))).toBe('2026-06-14');
  });
});

describe('cleanText', () => {
  it('trims and makes every run of whitespace one space', () => {
    expect(cleanText('  ГУ МВД\tРоссии\n\n по\u00a0г. Москве ')).toBe('ГУ МВД России по г. Москве');
  });
});

describe('longerThan', () => {
  it('counts characters as a person sees them, not UTF-16 units', () => {
    expect(longerThan('😀'.repeat(3), 3)).toBe(false);
    expect(longerThan('😀'.repeat(4), 3)).toBe(true);
  });
});

describe('optionalDate', () => {
  const read = (raw: unknown) => {
    const check = startCheck(['input']);
    return check.result({ date: optionalDate(check, ['input', 'date'], raw, 'Дата') });
  };
  const notInCalendar = { ok: false, errors: [{ field: ['input', 'date'], code: 'INVALID_FORMAT', message: 'Неверный формат поля «Дата»: такой даты нет в календаре.' }] };

  it('knows the Gregorian leap years', () => {
    expect(read('2000-02-29')).toEqual({ ok: true, value: { date: '2000-02-29' }, warnings: [] });
    expect(read('2024-02-29')).toEqual({ ok: true, value: { date: '2024-02-29' }, warnings: [] });
    expect(read('1900-02-29')).toEqual(notInCalendar);
    expect(read('2023-02-29')).toEqual(notInCalendar);
    expect(read('2023-04-31')).toEqual(notInCalendar);
  });

  it('takes an empty field as no date', () => {
    expect(read('  ')).toEqual({ ok: true, value: { date: null }, warnings: [] });
    expect(read(null)).toEqual({ ok: true, value: { date: null }, warnings: [] });
  });
});
