/**
 * The production calendar of the Russian Federation (производственный календарь) as data: for each
 * year, the days that are not working beyond ordinary Saturdays and Sundays, and the Saturdays and
 * Sundays that are working days. Weekends themselves are not listed: the five-day week is the rule.
 *
 * Where the days come from:
 * - the non-working public holidays of the Labour Code, art. 112 part 1: 1–6 and 8 January (New Year
 *   holidays), 7 January, 23 February, 8 March, 1 May, 9 May, 12 June, 4 November. They are listed
 *   every year, even when they fall on a weekend;
 * - art. 112 part 2: a holiday on a Saturday or Sunday moves the day off to the next working day
 *   (not for the January holidays), unless the year's decree moves it elsewhere (as in 2025);
 * - art. 112 part 5: the Government's yearly decree «О переносе выходных дней», which moves the
 *   January holidays that fall on a weekend and may swap a Saturday for a weekday.
 *
 * To add a year, add its entry when the decree is published; nothing else changes. The same rows go
 * into the `calendar_days` table (`CALENDAR_DAYS`), where authorities may correct them without a
 * release. A year missing from the data is counted with the fixed holidays below and weekends only
 * (calendar.ts), which may be a day or two off: keep the next year here by December.
 */

/** A day off or a working weekend day, with what makes it one (shown to people, hence Russian). */
export type CalendarDays = Readonly<Record<string, string>>;

export interface CalendarYear {
  year: number;
  /** The decree that transfers the year's days off. */
  basis: string;
  /** Non-working days beyond weekends: holidays (even on a weekend) and days off moved onto weekdays. */
  holidays: CalendarDays;
  /** Saturdays and Sundays made working days by the decree. */
  workingWeekends: CalendarDays;
}

/**
 * Month and day of the Labour Code's non-working holidays (art. 112 part 1), for years the data does
 * not describe yet.
 */
export const LABOUR_CODE_HOLIDAYS: readonly string[] = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];

const NEW_YEAR = 'Новогодние каникулы';
const CHRISTMAS = 'Рождество Христово';
const DEFENDERS_DAY = 'День защитника Отечества';
const WOMENS_DAY = 'Международный женский день';
const MAY_DAY = 'Праздник Весны и Труда';
const VICTORY_DAY = 'День Победы';
const RUSSIA_DAY = 'День России';
const UNITY_DAY = 'День народного единства';

/** 1–8 January of a year: the New Year holidays and Christmas. */
const januaryHolidays = (year: number): Record<string, string> => Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((day) => [`${year}-01-0${day}`, day === 7 ? CHRISTMAS : NEW_YEAR]));

export const CALENDAR_YEARS: readonly CalendarYear[] = [
  {
    year: 2025,
    basis: 'Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»',
    holidays: {
      ...januaryHolidays(2025),
      '2025-02-23': DEFENDERS_DAY, // a Sunday; the decree moves its day off to 8 May, not to 24 February
      '2025-03-08': WOMENS_DAY, // a Saturday; moved to 13 June
      '2025-05-01': MAY_DAY,
      '2025-05-02': 'Выходной перенесён с субботы 4 января',
      '2025-05-08': 'Выходной перенесён с воскресенья 23 февраля',
      '2025-05-09': VICTORY_DAY,
      '2025-06-12': RUSSIA_DAY,
      '2025-06-13': 'Выходной перенесён с субботы 8 марта',
      '2025-11-03': 'Выходной перенесён с субботы 1 ноября',
      '2025-11-04': UNITY_DAY,
      '2025-12-31': 'Выходной перенесён с воскресенья 5 января',
    },
    workingWeekends: {
      '2025-11-01': 'Рабочая суббота: выходной перенесён на понедельник 3 ноября',
    },
  },
  {
    year: 2026,
    basis: 'Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в 2026 году»',
    holidays: {
      ...januaryHolidays(2026),
      '2026-01-09': 'Выходной перенесён с субботы 3 января',
      '2026-02-23': DEFENDERS_DAY,
      '2026-03-08': WOMENS_DAY, // a Sunday
      '2026-03-09': 'Выходной перенесён с воскресенья 8 марта (ст. 112 ТК РФ)',
      '2026-05-01': MAY_DAY,
      '2026-05-09': VICTORY_DAY, // a Saturday
      '2026-05-11': 'Выходной перенесён с субботы 9 мая (ст. 112 ТК РФ)',
      '2026-06-12': RUSSIA_DAY,
      '2026-11-04': UNITY_DAY,
      '2026-12-31': 'Выходной перенесён с воскресенья 4 января',
    },
    // The decree makes no Saturday a working day in 2026.
    workingWeekends: {},
  },
  {
    year: 2027,
    // Taken from secondary sources (published calendars and the decree's details as they quote them),
    // not from the official publication: check against pravo.gov.ru before relying on it in court.
    basis: 'Постановление Правительства РФ от 17.09.2026 № 1187 «О переносе выходных дней в 2027 году»',
    holidays: {
      ...januaryHolidays(2027), // 2 and 3 January are a Saturday and a Sunday: moved to 5 November and 31 December
      '2027-02-22': 'Выходной перенесён с субботы 20 февраля',
      '2027-02-23': DEFENDERS_DAY,
      '2027-03-08': WOMENS_DAY,
      '2027-05-01': MAY_DAY, // a Saturday
      '2027-05-03': 'Выходной перенесён с субботы 1 мая (ст. 112 ТК РФ)',
      '2027-05-09': VICTORY_DAY, // a Sunday
      '2027-05-10': 'Выходной перенесён с воскресенья 9 мая (ст. 112 ТК РФ)',
      '2027-06-12': RUSSIA_DAY, // a Saturday
      '2027-06-14': 'Выходной перенесён с субботы 12 июня (ст. 112 ТК РФ)',
      '2027-11-04': UNITY_DAY,
      '2027-11-05': 'Выходной перенесён с субботы 2 января',
      '2027-12-31': 'Выходной перенесён с воскресенья 3 января',
    },
    workingWeekends: {
      '2027-02-20': 'Рабочая суббота: выходной перенесён на понедельник 22 февраля',
    },
  },
];

/** The years above in the shape `calendarFrom` takes. */
export const RUSSIAN_CALENDAR = {
  holidays: CALENDAR_YEARS.flatMap((year) => Object.keys(year.holidays)),
  workingWeekends: CALENDAR_YEARS.flatMap((year) => Object.keys(year.workingWeekends)),
};

/** The years above as rows of the `calendar_days` table. */
export const CALENDAR_DAYS: readonly { day: string; working: boolean; note: string }[] = CALENDAR_YEARS.flatMap((year) => [
  ...Object.entries(year.holidays).map(([day, note]) => ({ day, working: false, note })),
  ...Object.entries(year.workingWeekends).map(([day, note]) => ({ day, working: true, note })),
]);
