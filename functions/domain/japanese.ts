import { toJstIso } from './calendar';

/**
 * Dates, months, instants and numbers as the messages the API sends write them, for a
 * customer-service agent to read out (docs/interface.md §6): 2024年5月10日, 2024年5月,
 * 2024年5月1日 10:00, 100,000. Strings in, strings out, with no Intl (its first call loads
 * ICU's locale data, ~10 ms of a cold start): the API's own fields keep their ISO form.
 */

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** 2024-05-10 → 2024年5月10日; a text that is no date comes back as it is. */
export function dateJa(date: string): string {
  const m = DATE.exec(date);
  if (!m) return date;
  return m[3] === undefined ? `${Number(m[1])}年${Number(m[2])}月` : `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** 2024-05 → 2024年5月. */
export const monthJa = dateJa;

/** An instant with its offset, in Japan time: 2024-05-01T01:00:00Z → 2024年5月1日 10:00 (seconds only when not 0). */
export function instantJa(instant: string): string {
  let jst: string;
  try {
    jst = toJstIso(instant);
  } catch {
    return instant;
  }
  const [date, time] = jst.slice(0, 19).split('T');
  const seconds = time.slice(6, 8);
  return `${dateJa(date)} ${time.slice(0, 5)}${seconds === '00' ? '' : `:${seconds}`}`;
}

/** A whole number with thousands separators: 100000 → 100,000. */
export function numberJa(value: number): string {
  if (!Number.isSafeInteger(value)) return String(value);
  return `${value < 0 ? '-' : ''}${String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}
