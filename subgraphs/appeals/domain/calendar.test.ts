import { describe, expect, it } from 'vitest';
import { CALENDAR_DAYS, CALENDAR_YEARS, LABOUR_CODE_HOLIDAYS, RUSSIAN_CALENDAR } from './calendar-data.ts';
import {
  addCalendarDays,
  addWorkingDays,
  calendarCovers,
  calendarDataProblems,
  calendarFrom,
  dateIn,
  dueDate,
  dueSoonBy,
  endOfDayIn,
  extendedDueDate,
  isWorkingDay,
  redirectDueDate,
  registrationDueDate,
  startOfDayIn,
} from './calendar.ts';

const calendar = calendarFrom(RUSSIAN_CALENDAR);

/** Each day from `from`, `days` of them, with whether it is a working day. */
const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => addCalendarDays(from, i)).map((day) => [day, isWorkingDay(day, calendar)]);

describe('isWorkingDay', () => {
  it('takes Monday to Friday as working days and Saturday and Sunday as days off', () => {
    expect(days('2026-11-23', 7)).toEqual([
      ['2026-11-23', true],
      ['2026-11-24', true],
      ['2026-11-25', true],
      ['2026-11-26', true],
      ['2026-11-27', true],
      ['2026-11-28', false],
      ['2026-11-29', false],
    ]);
  });

  it('keeps the New Year holidays and the days off moved next to them', () => {
    expect(days('2025-12-29', 15)).toEqual([
      ['2025-12-29', true],
      ['2025-12-30', true],
      ['2025-12-31', false],
      ['2026-01-01', false],
      ['2026-01-02', false],
      ['2026-01-03', false],
      ['2026-01-04', false],
      ['2026-01-05', false],
      ['2026-01-06', false],
      ['2026-01-07', false],
      ['2026-01-08', false],
      ['2026-01-09', false],
      ['2026-01-10', false],
      ['2026-01-11', false],
      ['2026-01-12', true],
    ]);
  });

  it('works the Saturday a decree makes a working day, and rests on the weekday it moved the day off to', () => {
    expect(days('2025-10-27', 10)).toEqual([
      ['2025-10-27', true],
      ['2025-10-28', true],
      ['2025-10-29', true],
      ['2025-10-30', true],
      ['2025-10-31', true],
      ['2025-11-01', true],
      ['2025-11-02', false],
      ['2025-11-03', false],
      ['2025-11-04', false],
      ['2025-11-05', true],
    ]);
    expect(days('2027-02-19', 6)).toEqual([
      ['2027-02-19', true],
      ['2027-02-20', true],
      ['2027-02-21', false],
      ['2027-02-22', false],
      ['2027-02-23', false],
      ['2027-02-24', true],
    ]);
  });

  it('rests on the weekday a holiday falling on a weekend moves to', () => {
    expect([isWorkingDay('2026-03-09', calendar), isWorkingDay('2026-05-11', calendar), isWorkingDay('2027-06-14', calendar)]).toEqual([false, false, false]);
  });

  it('counts 247 working days in 2025 and in 2026, as the published calendars do', () => {
    const workingDaysOf = (year: number) => days(`${year}-01-01`, 365).filter(([, working]) => working).length;
    expect([workingDaysOf(2025), workingDaysOf(2026)]).toEqual([247, 247]);
  });

  it('falls back to weekends and the Labour Code holidays for a year the data does not describe', () => {
    expect(days('2028-01-01', 11)).toEqual([
      ['2028-01-01', false],
      ['2028-01-02', false],
      ['2028-01-03', false],
      ['2028-01-04', false],
      ['2028-01-05', false],
      ['2028-01-06', false],
      ['2028-01-07', false],
      ['2028-01-08', false],
      ['2028-01-09', false],
      ['2028-01-10', true],
      ['2028-01-11', true],
    ]);
    expect([calendarCovers('2027-12-31', calendar), calendarCovers('2028-01-10', calendar)]).toEqual([true, false]);
  });

  it('refuses a string that is not a date', () => {
    expect(() => isWorkingDay('2026-02-30', calendar)).toThrow(RangeError);
    expect(() => isWorkingDay('25.11.2026', calendar)).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('starts counting the day after and skips the weekend', () => {
    expect([addWorkingDays('2026-11-27', 1, calendar), addWorkingDays('2026-11-27', 5, calendar), addWorkingDays('2026-11-28', 1, calendar)]).toEqual(['2026-11-30', '2026-12-04', '2026-11-30']);
  });

  it('with no days gives the date itself, or the next working day when it is a day off', () => {
    expect([addWorkingDays('2026-11-25', 0, calendar), addWorkingDays('2026-11-28', 0, calendar)]).toEqual(['2026-11-25', '2026-11-30']);
  });

  it('steps over the New Year holidays', () => {
    expect([addWorkingDays('2025-12-30', 1, calendar), addWorkingDays('2026-12-30', 1, calendar)]).toEqual(['2026-01-12', '2027-01-11']);
  });

  it('counts a working Saturday and skips the weekday off it paid for', () => {
    expect([addWorkingDays('2025-10-31', 1, calendar), addWorkingDays('2025-10-31', 2, calendar), addWorkingDays('2027-02-19', 2, calendar)]).toEqual(['2025-11-01', '2025-11-05', '2027-02-24']);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-11-25', -1, calendar)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-25', 1.5, calendar)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it('crosses months, years and 29 February', () => {
    expect([addCalendarDays('2026-11-25', 30), addCalendarDays('2026-12-31', 1), addCalendarDays('2028-02-28', 1), addCalendarDays('2026-03-01', -1)]).toEqual(['2026-12-25', '2027-01-01', '2028-02-29', '2026-02-28']);
  });
});

describe('dueDate', () => {
  const appeal = (registeredOn: string, reviewDays: number | null = null) => dueDate({ kind: 'APPEAL', registeredOn, reviewDays }, calendar);
  const complaint = (registeredOn: string, complaintGround?: 'REFUSAL_TO_ACCEPT_DOCUMENTS' | 'UNCORRECTED_ERRORS' | 'OTHER') => dueDate({ kind: 'COMPLAINT', registeredOn, reviewDays: null, complaintGround }, calendar);

  it('gives an appeal 30 days after the day of registration', () => {
    expect(appeal('2026-11-02')).toBe('2026-12-02');
  });

  it('moves a 30th day that falls on a Sunday to Monday', () => {
    expect(appeal('2026-10-30')).toBe('2026-11-30');
  });

  it('moves a 30th day inside the New Year holidays to the first working day after them', () => {
    expect(appeal('2025-12-02')).toBe('2026-01-12');
  });

  it("uses the topic's shorter platform deadline in working days", () => {
    expect(appeal('2026-11-25', 10)).toBe('2026-12-09');
  });

  it('never lets a platform deadline run past the legal 30 days', () => {
    expect(appeal('2026-11-25', 25)).toBe('2026-12-25');
  });

  it('gives a pre-trial complaint 15 working days', () => {
    expect([complaint('2026-11-25'), complaint('2026-11-25', 'OTHER')]).toEqual(['2026-12-16', '2026-12-16']);
  });

  it('gives 5 working days to a complaint about refused documents or uncorrected mistakes', () => {
    expect([complaint('2026-11-25', 'REFUSAL_TO_ACCEPT_DOCUMENTS'), complaint('2026-11-25', 'UNCORRECTED_ERRORS')]).toEqual(['2026-12-02', '2026-12-02']);
  });

  it('counts a complaint across the New Year holidays in working days only', () => {
    expect([complaint('2025-12-29'), complaint('2025-12-29', 'REFUSAL_TO_ACCEPT_DOCUMENTS')]).toEqual(['2026-01-29', '2026-01-15']);
  });

  it('refuses a platform deadline that is not a whole number of days', () => {
    expect(() => appeal('2026-11-25', 0)).toThrow(RangeError);
  });
});

describe('extendedDueDate', () => {
  it('adds up to 30 days and lands on a working day', () => {
    expect([extendedDueDate('2026-12-02', 10, calendar), extendedDueDate('2026-12-02', 30, calendar)]).toEqual([
      { ok: true, dueOn: '2026-12-14' },
      { ok: true, dueOn: '2027-01-11' },
    ]);
  });

  it('refuses more than 30 days', () => {
    expect(extendedDueDate('2026-12-02', 31, calendar)).toEqual({
      ok: false,
      error: { field: ['input', 'days'], code: 'EXTENSION_TOO_LONG', message: 'Срок рассмотрения можно продлить не более чем на 30 дней (ч. 2 ст. 12 59-ФЗ).' },
    });
  });

  it('refuses no days, negative or fractional days', () => {
    const invalid = { ok: false, error: { field: ['input', 'days'], code: 'EXTENSION_DAYS_INVALID', message: 'Укажите, на сколько дней продлить срок: от 1 до 30.' } };
    expect([0, -5, 1.5].map((n) => extendedDueDate('2026-12-02', n, calendar))).toEqual([invalid, invalid, invalid]);
  });
});

describe('registrationDueDate and redirectDueDate', () => {
  it('registers an appeal within 3 days of receipt, moved onto a working day', () => {
    expect([registrationDueDate('APPEAL', '2026-11-27', calendar), registrationDueDate('APPEAL', '2026-11-25', calendar), registrationDueDate('APPEAL', '2026-12-28', calendar)]).toEqual([
      '2026-11-30',
      '2026-11-30',
      '2027-01-11',
    ]);
  });

  it('registers a complaint no later than the next working day', () => {
    expect([registrationDueDate('COMPLAINT', '2026-11-25', calendar), registrationDueDate('COMPLAINT', '2026-11-27', calendar), registrationDueDate('COMPLAINT', '2026-11-28', calendar)]).toEqual([
      '2026-11-26',
      '2026-11-30',
      '2026-11-30',
    ]);
  });

  it('sends an appeal on to the competent body within 7 days of registration', () => {
    expect([redirectDueDate('2026-11-25', calendar), redirectDueDate('2026-11-21', calendar)]).toEqual(['2026-12-02', '2026-11-30']);
  });
});

describe('dueSoonBy', () => {
  it('is the end of the third working day after today in Moscow, weekends skipped', () => {
    // Friday noon in Moscow: Monday, Tuesday, Wednesday.
    expect(dueSoonBy(new Date('2026-11-27T09:00:00Z'), calendar)).toEqual(new Date('2026-12-02T20:59:59.999Z'));
    // Half past midnight on Monday in Moscow, still Sunday in UTC: today is Monday, so Tuesday to Thursday.
    expect(dueSoonBy(new Date('2026-11-29T21:30:00Z'), calendar)).toEqual(new Date('2026-12-03T20:59:59.999Z'));
  });
});

describe('dateIn, startOfDayIn and endOfDayIn', () => {
  it("reads an instant's date in Moscow unless given the region's zone", () => {
    const lateEvening = new Date('2026-11-25T21:30:00Z');
    expect([dateIn(lateEvening), dateIn(lateEvening, 'Europe/Kaliningrad'), dateIn(lateEvening, 'Asia/Yekaterinburg')]).toEqual(['2026-11-26', '2026-11-25', '2026-11-26']);
  });

  it("ends a due date at the region's midnight", () => {
    expect([endOfDayIn('2026-11-26'), endOfDayIn('2026-11-26', 'Asia/Yekaterinburg'), endOfDayIn('2026-11-26', 'Asia/Vladivostok')]).toEqual([
      new Date('2026-11-26T20:59:59.999Z'),
      new Date('2026-11-26T18:59:59.999Z'),
      new Date('2026-11-26T13:59:59.999Z'),
    ]);
  });

  it('keeps to the wall clock across a change of the zone offset', () => {
    expect([startOfDayIn('2026-03-29', 'Europe/Berlin'), endOfDayIn('2026-03-29', 'Europe/Berlin')]).toEqual([new Date('2026-03-28T23:00:00.000Z'), new Date('2026-03-29T21:59:59.999Z')]);
  });
});

describe('the calendar data', () => {
  it('is sound: real dates, working days only on weekends, no day both off and working', () => {
    expect(calendarDataProblems(RUSSIAN_CALENDAR)).toEqual([]);
  });

  it('lists every Labour Code holiday in every year it describes, and only dates of that year', () => {
    for (const year of CALENDAR_YEARS) {
      const listed = [...Object.keys(year.holidays), ...Object.keys(year.workingWeekends)];
      expect(LABOUR_CODE_HOLIDAYS.filter((monthDay) => !(`${year.year}-${monthDay}` in year.holidays))).toEqual([]);
      expect(listed.filter((date) => !date.startsWith(`${year.year}-`))).toEqual([]);
    }
  });

  it('names a decree for every year and a reason for every day', () => {
    expect(CALENDAR_YEARS.filter((year) => !/^Постановление Правительства РФ от \d\d\.\d\d\.\d{4} № \d+/.test(year.basis))).toEqual([]);
    expect(CALENDAR_DAYS.filter((row) => !row.note)).toEqual([]);
  });

  it('gives the calendar_days table one row per listed day', () => {
    expect(CALENDAR_DAYS.filter((row) => row.working)).toEqual([
      { day: '2025-11-01', working: true, note: 'Рабочая суббота: выходной перенесён на понедельник 3 ноября' },
      { day: '2027-02-20', working: true, note: 'Рабочая суббота: выходной перенесён на понедельник 22 февраля' },
    ]);
    expect(new Set(CALENDAR_DAYS.map((row) => row.day)).size).toBe(CALENDAR_DAYS.length);
  });

  it('names what is wrong with bad data, and calendarFrom refuses it', () => {
    const bad = { holidays: ['2026-02-30', '2026-11-28'], workingWeekends: ['2026-11-28', '2026-11-25'] };
    expect(calendarDataProblems(bad)).toEqual([
      'Даты «2026-02-30» нет в календаре: нужен вид ГГГГ-ММ-ДД.',
      '2026-11-28 указан и нерабочим, и рабочим днём.',
      '2026-11-25 — не суббота и не воскресенье: рабочим выходным этот день быть не может.',
    ]);
    expect(() => calendarFrom(bad)).toThrow('Производственный календарь не загружен: Даты «2026-02-30» нет в календаре');
  });
});
