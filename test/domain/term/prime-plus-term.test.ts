import type { LocalDate } from '../../../functions/domain/calendar';
import fc from 'fast-check';
import { addDays, addMonths, lastDayOf, monthOf, monthsBetween } from '../../../functions/domain/calendar';
import type { Term } from '../../../functions/domain/contract';
import { initialTerm, monthOfTerm, nextTerm, termContaining } from '../../../functions/domain/term/prime-plus-term';

// Any date from Prime Plus's introduction to well past a million contracts' lifetimes.
const aStartDate = fc.integer({ min: 0, max: 365 * 12 }).map((n) => addDays('2023-12-01', n));

describe('initialTerm (Decision L1: month 1 is the start month, month 12 the renewal month)', () => {
  it.each([
    ['2024-01-10', '2024-12-31', '2024-12'], // docs/terms.md L1 example
    ['2024-05-10', '2025-04-30', '2025-04'], // interface.md §2 example
    ['2024-01-01', '2024-12-31', '2024-12'], // on the 1st: still 12 calendar months
    ['2024-02-29', '2025-01-31', '2025-01'], // 29 Feb
    ['2024-01-31', '2024-12-31', '2024-12'], // 31st
    ['2023-12-31', '2024-11-30', '2024-11'], // 31st, ending in a 30-day month
    ['2024-03-31', '2025-02-28', '2025-02'], // ending in a non-leap February
    ['2023-03-15', '2024-02-29', '2024-02'], // ending in a leap February
  ])('starting %s ends %s, renewal month %s', (start, end, renewalMonth) => {
    expect(initialTerm(start as LocalDate)).toEqual({ number: 1, start, end, renewalMonth });
  });
});

describe('nextTerm', () => {
  it('renews 2024-01-10 into 2025-01-01..2025-12-31 (docs/terms.md L1)', () => {
    expect(nextTerm(initialTerm('2024-01-10'))).toEqual({ number: 2, start: '2025-01-01', end: '2025-12-31', renewalMonth: '2025-12' });
  });

  it('renews a term that began on 29 Feb into a full year from the 1st', () => {
    expect(nextTerm(initialTerm('2024-02-29'))).toEqual({ number: 2, start: '2025-02-01', end: '2026-01-31', renewalMonth: '2026-01' });
  });

  it('keeps counting from a renewed term', () => {
    expect(nextTerm(nextTerm(initialTerm('2024-05-10')))).toEqual({ number: 3, start: '2026-05-01', end: '2027-04-30', renewalMonth: '2027-04' });
  });
});

describe('termContaining (catch-up)', () => {
  const first = initialTerm('2024-01-10');

  it.each([
    ['2024-01-10', 1],
    ['2024-12-31', 1],
    ['2025-01-01', 2],
    ['2025-12-31', 2],
    ['2026-01-01', 3],
    ['2030-06-15', 7],
  ])('%s falls in term %i', (date, number) => {
    const term = termContaining(first, date as LocalDate);
    expect(term.number).toBe(number);
    expect(term.start <= date && date <= term.end).toBe(true);
  });

  it('walks forward from a renewed term too', () => {
    expect(termContaining(nextTerm(first), '2026-03-01')).toEqual(nextTerm(nextTerm(first)));
  });

  it('refuses a date before the term', () => {
    expect(() => termContaining(first, '2024-01-09')).toThrow(RangeError);
  });
});

describe('monthOfTerm', () => {
  const term = initialTerm('2024-01-10');

  it.each([
    ['2024-01-10', 1],
    ['2024-01-31', 1],
    ['2024-02-01', 2],
    ['2024-02-29', 2],
    ['2024-11-30', 11],
    ['2024-12-01', 12],
    ['2024-12-31', 12],
  ])('%s is month %i', (date, month) => {
    expect(monthOfTerm(term, date as LocalDate)).toBe(month);
  });

  it('counts a renewed term from its 1st', () => {
    expect(monthOfTerm(nextTerm(term), '2025-01-01')).toBe(1);
    expect(monthOfTerm(nextTerm(term), '2025-12-31')).toBe(12);
  });

  it('refuses dates outside the term', () => {
    expect(() => monthOfTerm(term, '2024-01-09')).toThrow(RangeError);
    expect(() => monthOfTerm(term, '2025-01-01')).toThrow(RangeError);
  });
});

describe('properties', () => {
  const isTwelveMonths = (term: Term) => monthsBetween(monthOf(term.start), term.renewalMonth) === 11 && term.end === lastDayOf(term.renewalMonth);

  it('every term is 12 consecutive months, and each next term starts the day after', () => {
    fc.assert(
      fc.property(aStartDate, fc.integer({ min: 1, max: 15 }), (start, count) => {
        let term = initialTerm(start);
        expect(isTwelveMonths(term)).toBe(true);
        for (let i = 0; i < count; i++) {
          const next = nextTerm(term);
          expect(isTwelveMonths(next)).toBe(true);
          expect(next.start).toBe(addDays(term.end, 1));
          expect(next.renewalMonth).toBe(addMonths(term.renewalMonth, 12));
          expect(next.number).toBe(term.number + 1);
          term = next;
        }
      }),
    );
  });

  it('termContaining is the term reached by renewing one at a time, and monthOfTerm is 1..12', () => {
    fc.assert(
      fc.property(aStartDate, fc.integer({ min: 0, max: 365 * 6 }), (start, offset) => {
        const date = addDays(start, offset);
        let walked = initialTerm(start);
        while (walked.end < date) walked = nextTerm(walked);
        expect(termContaining(initialTerm(start), date)).toEqual(walked);
        const month = monthOfTerm(walked, date);
        expect(month).toBeGreaterThanOrEqual(1);
        expect(month).toBeLessThanOrEqual(12);
        expect(month).toBe(monthsBetween(monthOf(walked.start), monthOf(date)) + 1);
      }),
    );
  });
});
