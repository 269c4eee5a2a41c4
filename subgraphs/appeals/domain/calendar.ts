import { userError, type UserError } from '../../../lib/errors.ts';
import { zoneOffsetMs } from '../../../lib/time-zone.ts';
import type { AppealRow, Complaint } from '../db/schema.ts';
import { LABOUR_CODE_HOLIDAYS } from './calendar-data.ts';

/**
 * Working days and the legal deadlines of appeals.
 *
 * Dates are calendar dates, `YYYY-MM-DD` strings: a deadline is a day, not an instant, and a day means
 * the day in the authority's region. Turn an instant into such a date with `dateIn` and a due date
 * into the instant it ends with `endOfDayIn`; both count in Europe/Moscow unless given the region's
 * zone. Everything between works on dates alone, so no server time zone can shift a deadline.
 *
 * Periods follow the Civil Code (ст. 191, 193 ГК РФ), the usual reading of 59-FZ and 210-FZ, which
 * say nothing of their own: a period starts the day after the date that begins it, and a period in
 * calendar days that ends on a non-working day ends on the next working day (some authorities'
 * regulations answer by the working day before instead; that is stricter, never later). Periods in
 * working days count working days only, so they always end on one.
 */

/** `YYYY-MM-DD`. */
export type IsoDate = string;

/** The platform counts in Moscow time unless told the region's zone. */
export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

/** What a calendar is made of: the data file (calendar-data.ts) or the `calendar_days` table. */
export interface CalendarData {
  /** Non-working days beyond weekends: holidays and days off moved onto weekdays. */
  holidays: readonly IsoDate[];
  /** Saturdays and Sundays that are working days. */
  workingWeekends: readonly IsoDate[];
}

export interface Calendar {
  readonly holidays: ReadonlySet<IsoDate>;
  readonly workingWeekends: ReadonlySet<IsoDate>;
  /** Years the data describes; any other year falls back to weekends and the Labour Code's holidays. */
  readonly years: ReadonlySet<number>;
}

/** Builds a calendar from its data, refusing data that contradicts itself (see `calendarDataProblems`). */
export function calendarFrom(data: CalendarData): Calendar {
  const problems = calendarDataProblems(data);
  if (problems.length) throw new Error(`Производственный календарь не загружен: ${problems.join(' ')}`);
  return {
    holidays: new Set(data.holidays),
    workingWeekends: new Set(data.workingWeekends),
    years: new Set([...data.holidays, ...data.workingWeekends].map(yearOf)),
  };
}

/**
 * What is wrong with calendar data, in Russian for whoever edits it: a date that does not exist, a
 * "working weekend" that is a weekday, a day both off and working. Empty when the data is sound.
 */
export function calendarDataProblems(data: CalendarData): string[] {
  const problems: string[] = [];
  const valid = (date: string) => {
    if (isIsoDate(date)) return true;
    problems.push(`Даты «${date}» нет в календаре: нужен вид ГГГГ-ММ-ДД.`);
    return false;
  };
  const holidays = new Set(data.holidays.filter(valid));
  for (const date of data.workingWeekends.filter(valid)) {
    if (!isWeekend(date)) problems.push(`${date} — не суббота и не воскресенье: рабочим выходным этот день быть не может.`);
    if (holidays.has(date)) problems.push(`${date} указан и нерабочим, и рабочим днём.`);
  }
  return problems;
}

/** Whether the calendar's data describes the date's year (otherwise only the Labour Code's holidays are known). */
export const calendarCovers = (date: IsoDate, calendar: Calendar): boolean => calendar.years.has(yearOf(checked(date)));

export function isWorkingDay(date: IsoDate, calendar: Calendar): boolean {
  checked(date);
  if (calendar.holidays.has(date)) return false;
  if (calendar.workingWeekends.has(date)) return true;
  if (isWeekend(date)) return false;
  return calendar.years.has(yearOf(date)) || !LABOUR_CODE_HOLIDAYS.includes(date.slice(5));
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Whole days expected, got ${days}`);
  return fromEpochDay(epochDay(checked(date)) + days);
}

/** The date itself when it is a working day, otherwise the next working day (ст. 193 ГК РФ). */
export function onWorkingDay(date: IsoDate, calendar: Calendar): IsoDate {
  let day = checked(date);
  while (!isWorkingDay(day, calendar)) day = addCalendarDays(day, 1);
  return day;
}

/**
 * The `days`-th working day after `date`: the count starts the day after, so 1 is the next working
 * day whatever `date` is. With 0, `date` itself moved onto a working day.
 */
export function addWorkingDays(date: IsoDate, days: number, calendar: Calendar): IsoDate {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`A whole number of working days from 0 expected, got ${days}`);
  let day = checked(date);
  for (let left = days; left > 0;) {
    day = addCalendarDays(day, 1);
    if (isWorkingDay(day, calendar)) left--;
  }
  return onWorkingDay(day, calendar);
}

/** A period of calendar days from `date` (not counting it), ending on a working day (ст. 191, 193 ГК РФ). */
export const addDaysToWorkingDay = (date: IsoDate, days: number, calendar: Calendar): IsoDate => onWorkingDay(addCalendarDays(date, days), calendar);

// ---------------------------------------------------------------------------------------------------
// The legal deadlines

export type AppealKind = AppealRow['kind'];
export type ComplaintGround = Complaint['ground'];

/** 59-FZ art. 12 part 1: an appeal is answered within 30 days of its registration. */
export const APPEAL_REVIEW_DAYS = 30;
/** 59-FZ art. 12 part 2: the head of the body may extend the review by up to 30 days, once. */
export const MAX_EXTENSION_DAYS = 30;
/** 210-FZ art. 11.2 part 7: a pre-trial complaint is reviewed within 15 working days of its registration… */
export const COMPLAINT_REVIEW_WORKING_DAYS = 15;
/** …and within 5 about a refusal to accept documents or mistakes in issued documents left uncorrected. */
export const URGENT_COMPLAINT_REVIEW_WORKING_DAYS = 5;
/** 59-FZ art. 8 part 2: a written appeal is registered within 3 days of receipt. */
export const APPEAL_REGISTRATION_DAYS = 3;
/** 59-FZ art. 8 part 3: an appeal outside the body's competence goes to the competent one within 7 days of registration. */
export const APPEAL_REDIRECT_DAYS = 7;

/** The complaint grounds that 210-FZ art. 11.2 part 7 gives 5 working days; UNCORRECTED_ERRORS includes corrections made late. */
const URGENT_COMPLAINT_GROUNDS: readonly ComplaintGround[] = ['REFUSAL_TO_ACCEPT_DOCUMENTS', 'UNCORRECTED_ERRORS'];

export interface DueDateInput {
  kind: AppealKind;
  /** The day of registration in the authority's region. */
  registeredOn: IsoDate;
  /**
   * The topic's platform deadline in working days (messages of ПОС on, say, potholes: 10), or null
   * for the legal one. It can only shorten the legal deadline, never lengthen it.
   */
  reviewDays: number | null;
  /** Of a complaint; OTHER (or none) gives the general 15 working days. */
  complaintGround?: ComplaintGround | null;
}

/**
 * The day by which the authority must answer:
 * - an appeal (59-FZ art. 12 part 1): 30 calendar days after the day of registration, moved to the next
 *   working day when the 30th is not one (ст. 191, 193 ГК РФ);
 * - a pre-trial complaint (210-FZ art. 11.2 part 7): 15 working days after registration, 5 when it is
 *   about a refusal to accept documents or mistakes in issued documents not corrected (or corrected late);
 * - either of them sooner when the topic has a platform deadline (`reviewDays` working days).
 */
export function dueDate(input: DueDateInput, calendar: Calendar): IsoDate {
  const { kind, registeredOn, reviewDays, complaintGround } = input;
  const legal =
    kind === 'COMPLAINT'
      ? addWorkingDays(registeredOn, complaintGround && URGENT_COMPLAINT_GROUNDS.includes(complaintGround) ? URGENT_COMPLAINT_REVIEW_WORKING_DAYS : COMPLAINT_REVIEW_WORKING_DAYS, calendar)
      : addDaysToWorkingDay(registeredOn, APPEAL_REVIEW_DAYS, calendar);
  if (reviewDays === null) return legal;
  if (!Number.isInteger(reviewDays) || reviewDays < 1) throw new RangeError(`A topic's review days must be a whole number from 1, got ${reviewDays}`);
  const platform = addWorkingDays(registeredOn, reviewDays, calendar);
  return platform < legal ? platform : legal;
}

export type Extension = { ok: true; dueOn: IsoDate } | { ok: false; error: UserError };

/**
 * The due date extended by `days` (59-FZ art. 12 part 2): at most 30 days, counted from the current
 * due date and moved onto a working day like the first period. That an appeal is extended only once
 * is for its record to tell (`extendedAt`); review in working days (complaints) is not extendable by
 * 210-FZ, which the caller decides too.
 */
export function extendedDueDate(dueOn: IsoDate, days: number, calendar: Calendar): Extension {
  const field = ['input', 'days'];
  if (!Number.isInteger(days) || days < 1) {
    return { ok: false, error: userError('EXTENSION_DAYS_INVALID', `Укажите, на сколько дней продлить срок: от 1 до ${MAX_EXTENSION_DAYS}.`, field) };
  }
  if (days > MAX_EXTENSION_DAYS) {
    return {
      ok: false,
      error: userError('EXTENSION_TOO_LONG', `Срок рассмотрения можно продлить не более чем на ${MAX_EXTENSION_DAYS} дней (ч. 2 ст. 12 59-ФЗ).`, field),
    };
  }
  return { ok: true, dueOn: addDaysToWorkingDay(dueOn, days, calendar) };
}

/**
 * The last day to register what arrived on `receivedOn`: an appeal within 3 days (59-FZ art. 8
 * part 2, counted like the review period), a complaint no later than the next working day (210-FZ
 * art. 11.2, as the services' administrative regulations put it).
 */
export function registrationDueDate(kind: AppealKind, receivedOn: IsoDate, calendar: Calendar): IsoDate {
  return kind === 'COMPLAINT' ? addWorkingDays(receivedOn, 1, calendar) : addDaysToWorkingDay(receivedOn, APPEAL_REGISTRATION_DAYS, calendar);
}

/** The last day to send an appeal on to the competent body (59-FZ art. 8 part 3): 7 days after registration. */
export const redirectDueDate = (registeredOn: IsoDate, calendar: Calendar): IsoDate => addDaysToWorkingDay(registeredOn, APPEAL_REDIRECT_DAYS, calendar);

/** «Скоро срок» in an official's queue: due within this many working days from today. */
export const DUE_SOON_WORKING_DAYS = 3;

/** The instant by which an open appeal due is «скоро срок» at `now`: the end of the third working day from today. */
export const dueSoonBy = (now: Date, calendar: Calendar): Date => endOfDayIn(addWorkingDays(dateIn(now), DUE_SOON_WORKING_DAYS, calendar));

// ---------------------------------------------------------------------------------------------------
// Dates and instants

/** The calendar date of an instant in a time zone (Europe/Moscow unless given the region's). */
export function dateIn(instant: Date, timeZone = DEFAULT_TIME_ZONE): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The first instant of a date in a time zone. */
export function startOfDayIn(date: IsoDate, timeZone = DEFAULT_TIME_ZONE): Date {
  const midnightUtc = epochDay(checked(date)) * DAY_MS;
  // The zone's offset at the guess, then once more at the result: right across an offset change.
  const first = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  const second = midnightUtc - zoneOffsetMs(first, timeZone);
  return new Date(second);
}

/** The last millisecond of a date in a time zone: what `due_at` stores, so an appeal is overdue from the next midnight. */
export const endOfDayIn = (date: IsoDate, timeZone = DEFAULT_TIME_ZONE): Date => new Date(startOfDayIn(addCalendarDays(date, 1), timeZone).getTime() - 1);

const DAY_MS = 86_400_000;

function isIsoDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

/** The date, when it is one: a malformed date here is a bug upstream, not a person's mistake. */
function checked(date: IsoDate): IsoDate {
  if (!isIsoDate(date)) throw new RangeError(`A date as YYYY-MM-DD expected, got "${date}"`);
  return date;
}

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));
const epochDay = (date: IsoDate) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const fromEpochDay = (day: number): IsoDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

function isWeekend(date: IsoDate): boolean {
  const weekday = new Date(epochDay(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}
