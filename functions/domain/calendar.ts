// The mini UTCDate: the full one builds Intl formatters at load, ~10 ms of every cold start (bench/README.md, figure 4).
import { UTCDateMini } from '@date-fns/utc/date/mini';
import { addDays as addDaysTo, addMonths as addMonthsTo, differenceInCalendarDays, differenceInCalendarMonths, getDaysInMonth } from 'date-fns';

/**
 * Calendar values of the business, all in Japan time (docs/terms.md T1). Dates and
 * months are strings of a fixed shape, so that nothing downstream can read them through
 * the host's time zone by accident, and their types keep them apart: a `YearMonth` is not
 * a `LocalDate`, and a plain string is neither until isLocalDate / isYearMonth (or a
 * schema of functions/schemas) has checked it.
 *
 * This module is the only one that knows Japan time. Calendar arithmetic is date-fns's,
 * on UTCDateMini (whose getters are UTC's): a calendar date carries no zone, so the host's
 * zone never enters.
 */
export type LocalDate = `${number}-${number}-${number}`; // YYYY-MM-DD, a JST calendar date
export type YearMonth = `${number}-${number}`; // YYYY-MM, a JST billing month

// Asia/Tokyo has kept UTC+09:00 without daylight saving since 1951 (docs/terms.md T1): a fixed
// offset is the whole zone for every date this system handles, with no tz database to load.
const JST_OFFSET_MS = 9 * 3_600_000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
// An instant must carry its offset: a bare local time would be read in the host zone.
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The last year a date or month may name. ISO dates compare correctly as strings only
 * with four-digit years, and dates derived from an input run up to a year past it (the
 * end of the term it falls in, the term a renewal reaches): keeping the last four-digit
 * year in reserve refuses a far-future input at the edge instead of letting term
 * arithmetic run into five-digit years.
 */
export const LAST_YEAR = 9998;

export function isInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  // Date.parse rolls 2023-02-30 over into March and 24:00 into the next day: refuse both.
  if (m === null || !isLocalDate(m[1]) || Number(m[2]) > 23) return false;
  const at = Date.parse(value);
  // The JST date counts, not the written one: 9998-12-31T23:00:00-09:00 is 9999-01-01 in Japan.
  return !Number.isNaN(at) && isLocalDate(jstFieldsOf(new Date(at)).date);
}

export function isLocalDate(value: string): value is LocalDate {
  const m = LOCAL_DATE.exec(value);
  if (!m || Number(m[1]) > LAST_YEAR) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= getDaysInMonth(utcDate(Number(m[1]), month - 1, 1));
}

export function isYearMonth(value: string): value is YearMonth {
  const m = YEAR_MONTH.exec(value);
  return m !== null && Number(m[1]) <= LAST_YEAR && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

function toInstant(instant: Date | string): Date {
  // A string without an offset would be read in the host's zone: refuse it rather than guess.
  if (typeof instant === 'string' && !isInstant(instant)) {
    throw new RangeError(`not an instant with a time zone offset (e.g. 2024-05-01T10:00:00+09:00): ${instant}`);
  }
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError('not an instant: Invalid Date');
  return at;
}

/** The JST wall clock of an instant: the instant shifted by +09:00, read in UTC, so the host zone never enters. */
function jstFieldsOf(at: Date): { date: LocalDate; time: string } {
  const shifted = new UTCDateMini(at.getTime() + JST_OFFSET_MS);
  return { date: dateString(shifted), time: `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` };
}

/** The JST calendar date of an instant: 2023-12-28T15:30:00Z is 2023-12-29. */
export function jstDateOf(instant: Date | string): LocalDate {
  return jstFieldsOf(toInstant(instant)).date;
}

/** The instant rendered in JST with its offset, as the interface shows instants. */
export function toJstIso(instant: Date | string): string {
  const { date, time } = jstFieldsOf(toInstant(instant));
  return `${date}T${time}+09:00`;
}

export function monthOf(date: LocalDate): YearMonth {
  return date.slice(0, 7) as YearMonth;
}

/** A calendar date or the first of a month as a UTCDate, for date-fns. */
function calendarDate(value: LocalDate | YearMonth): Date {
  return utcDate(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, value.length > 7 ? Number(value.slice(8, 10)) : 1);
}

/** Like `new UTCDateMini(y, m, d)`, without the Date constructor's reading of years 0–99 as 1900–1999. */
function utcDate(year: number, monthIndex: number, day: number): Date {
  const date = new UTCDateMini(2000, 0, 1);
  date.setFullYear(year, monthIndex, day);
  return date;
}

// Four-digit years, always (see LAST_YEAR): ISO dates compare correctly as strings.
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const monthString = (d: Date): YearMonth => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}` as YearMonth;
const dateString = (d: Date): LocalDate => `${monthString(d)}-${pad(d.getUTCDate())}` as LocalDate;

export function addMonths(month: YearMonth, n: number): YearMonth {
  return monthString(addMonthsTo(calendarDate(month), n));
}

/** Whole months from `from` to `to` (to − from); negative when `to` is earlier. */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  return differenceInCalendarMonths(calendarDate(to), calendarDate(from));
}

export function daysInMonth(month: YearMonth): number {
  return getDaysInMonth(calendarDate(month));
}

export function firstDayOf(month: YearMonth): LocalDate {
  return `${month}-01`;
}

export function lastDayOf(month: YearMonth): LocalDate {
  return dateString(utcDate(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, daysInMonth(month)));
}

/** Calendar days from `from` to `to`, counting both ends (a single day is 1). */
export function daysInclusive(from: LocalDate, to: LocalDate): number {
  return differenceInCalendarDays(calendarDate(to), calendarDate(from)) + 1;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return dateString(addDaysTo(calendarDate(date), n));
}

// ISO dates and months (four-digit years, see LAST_YEAR) compare correctly as strings.
export const latest = <T extends string>(a: T, b: T): T => (a > b ? a : b);
export const earliest = <T extends string>(a: T, b: T): T => (a < b ? a : b);
