/**
 * Calendar values of the business, all in Japan time (rules.md Decision T1).
 * Dates and months are plain strings so that nothing downstream can read them
 * through the host's time zone by accident.
 */
export type LocalDate = string; // YYYY-MM-DD, a JST calendar date
export type YearMonth = string; // YYYY-MM, a JST billing month

// Asia/Tokyo has kept UTC+09:00 without daylight saving since 1951 (rules.md T1): a fixed
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

export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m || Number(m[1]) > LAST_YEAR) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(`${m[1]}-${m[2]}`);
}

export function isYearMonth(value: string): boolean {
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

/** The JST wall clock of an instant, read with UTC getters on the shifted time: the host zone never enters. */
function jstFieldsOf(at: Date): { date: LocalDate; time: string } {
  const shifted = new Date(at.getTime() + JST_OFFSET_MS);
  return {
    date: utcDateOf(shifted),
    time: `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`,
  };
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
  return date.slice(0, 7);
}

function parts(month: YearMonth): [number, number] {
  return [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function addMonths(month: YearMonth, n: number): YearMonth {
  const [y, m] = parts(month);
  const index = y * 12 + (m - 1) + n;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** Whole months from `from` to `to` (to − from); negative when `to` is earlier. */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  const [fy, fm] = parts(from);
  const [ty, tm] = parts(to);
  return (ty - fy) * 12 + (tm - fm);
}

export function daysInMonth(month: YearMonth): number {
  const [y, m] = parts(month);
  // Date.UTC normalises day 0 to the last day of the previous month; no host zone involved.
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function firstDayOf(month: YearMonth): LocalDate {
  return `${month}-01`;
}

export function lastDayOf(month: YearMonth): LocalDate {
  return `${month}-${pad(daysInMonth(month))}`;
}

/** Calendar days from `from` to `to`, counting both ends (a single day is 1). */
export function daysInclusive(from: LocalDate, to: LocalDate): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return utcDateOf(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));
}

/** The calendar date a Date holds in UTC, as YYYY-MM-DD. */
function utcDateOf(d: Date): LocalDate {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// ISO dates and months (four-digit years, see LAST_YEAR) compare correctly as strings.
export const latest = (a: string, b: string): string => (a > b ? a : b);
export const earliest = (a: string, b: string): string => (a < b ? a : b);
