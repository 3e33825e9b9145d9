import { addMonths, firstDayOf, lastDayOf, monthOf, monthsBetween, type LocalDate } from '../calendar';
import type { Term } from '../contract';

/**
 * Prime Plus minimum term (別紙7 ※11, reckoned from the service start date, ※15(2) 第27条).
 * Decision L1: month 1 is the JST calendar month in which the term starts, a term has
 * 12 months and month 12 is the renewal month; the next term starts on the 1st of the
 * month after. Every term is therefore determined by the start date alone.
 */
export const MONTHS_PER_TERM = 12;

export function initialTerm(startDate: LocalDate): Term {
  const renewalMonth = addMonths(monthOf(startDate), MONTHS_PER_TERM - 1);
  return { number: 1, start: startDate, end: lastDayOf(renewalMonth), renewalMonth };
}

/** The term `count` terms after `term` (0 gives `term` itself). */
function termsAfter(term: Term, count: number): Term {
  if (count === 0) return term;
  const renewalMonth = addMonths(term.renewalMonth, MONTHS_PER_TERM * count);
  return {
    number: term.number + count,
    start: firstDayOf(addMonths(renewalMonth, 1 - MONTHS_PER_TERM)),
    end: lastDayOf(renewalMonth),
    renewalMonth,
  };
}

export function nextTerm(term: Term): Term {
  return termsAfter(term, 1);
}

/** Catch-up: the term, `term` or a later one, that contains `date`. */
export function termContaining(term: Term, date: LocalDate): Term {
  if (date < term.start) throw new RangeError(`${date} is before the start of term ${term.number} (${term.start})`);
  // Terms after the first begin on the 1st, 12 months apart: whole terms passed since the renewal month.
  const termsPassed = Math.max(0, Math.ceil(monthsBetween(term.renewalMonth, monthOf(date)) / MONTHS_PER_TERM));
  return termsAfter(term, termsPassed);
}

/** The month of the term (1..12) in which `date` falls (Decision L1). */
export function monthOfTerm(term: Term, date: LocalDate): number {
  if (date < term.start || date > term.end) {
    throw new RangeError(`${date} is outside term ${term.number} (${term.start}..${term.end})`);
  }
  return MONTHS_PER_TERM - monthsBetween(monthOf(date), term.renewalMonth);
}
