import type { LocalDate, YearMonth } from '../../functions/domain/calendar';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  daysInclusive,
  daysInMonth,
  firstDayOf,
  isInstant,
  isLocalDate,
  isYearMonth,
  jstDateOf,
  LAST_YEAR,
  lastDayOf,
  monthOf,
  monthsBetween,
  toJstIso,
} from '../../functions/domain/calendar';

describe('jstDateOf: the JST calendar date of an instant (Decision T1)', () => {
  it.each([
    ['2023-12-28T14:59:59Z', '2023-12-28'],
    ['2023-12-28T15:00:00Z', '2023-12-29'],
    ['2023-12-28T23:59:00+09:00', '2023-12-28'],
    ['2023-12-29T00:00:00+09:00', '2023-12-29'],
    ['2023-12-28T15:30:00Z', '2023-12-29'],
    ['2023-11-30T15:00:00Z', '2023-12-01'],
    ['2024-03-31T14:59:59.999Z', '2024-03-31'],
    ['2024-03-31T15:00:00Z', '2024-04-01'],
    ['2024-02-28T15:00:00Z', '2024-02-29'],
    ['2024-01-31T10:00:00-08:00', '2024-02-01'],
  ])('%s is %s in Japan', (instant, date) => {
    expect(jstDateOf(instant)).toBe(date);
    expect(jstDateOf(new Date(instant))).toBe(date);
  });

  it.each(['2023-12-28T15:00:00', '2023-12-28', 'not a date', '2023-02-30T00:00:00Z'])('refuses %s rather than reading it in the host zone', (value) => {
    expect(() => jstDateOf(value)).toThrow(RangeError);
  });

  it('agrees with UTC + 9 hours for any instant (independent of the host zone)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (at) => {
        const expected = new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
        expect(jstDateOf(at)).toBe(expected);
        expect(jstDateOf(at.toISOString())).toBe(expected);
      }),
    );
  });
});

/** The tz database's Asia/Tokyo, through Intl: the oracle for the fixed offset the calendar uses. */
const tokyo = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const tokyoIso = (at: Date): string => {
  const part = Object.fromEntries(tokyo.formatToParts(at).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}+09:00`;
};

describe('toJstIso', () => {
  it("agrees with the tz database's Asia/Tokyo for any instant from 1952 on", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1952-01-01T00:00:00Z'), max: new Date('9998-12-31T14:59:59Z'), noInvalidDate: true }), (at) => {
        expect(toJstIso(at)).toBe(tokyoIso(at));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an invalid Date', () => {
    expect(() => toJstIso(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => jstDateOf(new Date('not a date'))).toThrow(RangeError);
  });

  it('renders the instant in JST with its offset', () => {
    expect(toJstIso(new Date('2023-12-28T15:00:00Z'))).toBe('2023-12-29T00:00:00+09:00');
    expect(toJstIso(new Date('2023-12-28T14:59:59Z'))).toBe('2023-12-28T23:59:59+09:00');
  });

  it('takes an instant as the interface writes it, and refuses one without offset', () => {
    expect(toJstIso('2023-12-28T15:00:00Z')).toBe('2023-12-29T00:00:00+09:00');
    expect(toJstIso('2024-01-31T10:00:00-08:00')).toBe('2024-02-01T03:00:00+09:00');
    expect(() => toJstIso('2023-12-28T15:00:00')).toThrow(RangeError);
  });
});

describe('months', () => {
  it.each([
    ['2024-01', 1, '2024-02'],
    ['2023-12', 1, '2024-01'],
    ['2024-01', -1, '2023-12'],
    ['2024-01', 12, '2025-01'],
    ['2024-05', 11, '2025-04'],
    ['2024-03', -27, '2021-12'],
    ['2024-02', 0, '2024-02'],
  ])('addMonths(%s, %i) is %s', (month, n, expected) => {
    expect(addMonths(month as YearMonth, n)).toBe(expected);
  });

  it('31 Jan plus one month lands in February, whose last day is the 29th in a leap year', () => {
    const next = addMonths(monthOf('2024-01-31'), 1);
    expect(next).toBe('2024-02');
    expect(lastDayOf(next)).toBe('2024-02-29');
    expect(lastDayOf(addMonths(monthOf('2023-01-31'), 1))).toBe('2023-02-28');
    expect(lastDayOf(addMonths(monthOf('2024-01-31'), 3))).toBe('2024-04-30');
  });

  it('monthsBetween counts whole months, negative backwards', () => {
    expect(monthsBetween('2023-12', '2024-03')).toBe(3);
    expect(monthsBetween('2024-04', '2024-04')).toBe(0);
    expect(monthsBetween('2024-04', '2023-11')).toBe(-5);
  });

  it('addMonths and monthsBetween are inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -600, max: 600 }), (y, m, n) => {
        const month = `${y}-${String(m).padStart(2, '0')}` as YearMonth;
        const moved = addMonths(month, n);
        expect(isYearMonth(moved)).toBe(true);
        expect(monthsBetween(month, moved)).toBe(n);
      }),
    );
  });

  it.each([
    ['2024-02', 29],
    ['2023-02', 28],
    ['2000-02', 29],
    ['1900-02', 28],
    ['2100-02', 28],
    ['2024-01', 31],
    ['2024-04', 30],
    ['2023-12', 31],
  ])('daysInMonth(%s) is %i', (month, days) => {
    expect(daysInMonth(month as YearMonth)).toBe(days);
  });

  it('first and last day of a month', () => {
    expect(firstDayOf('2024-02')).toBe('2024-02-01');
    expect(lastDayOf('2023-11')).toBe('2023-11-30');
    expect(lastDayOf('2023-12')).toBe('2023-12-31');
  });
});

describe('days', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-31', 30, '2024-03-01'],
  ])('addDays(%s, %i) is %s', (date, n, expected) => {
    expect(addDays(date as LocalDate, n)).toBe(expected);
  });

  it('daysInclusive counts both ends', () => {
    expect(daysInclusive('2024-02-01', '2024-02-29')).toBe(29);
    expect(daysInclusive('2024-01-31', '2024-01-31')).toBe(1);
    expect(daysInclusive('2024-03-31', '2024-04-01')).toBe(2);
    expect(daysInclusive('2023-12-28', '2024-01-03')).toBe(7);
  });

  it('daysInclusive(d, addDays(d, n)) is n + 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 1_000 }), (offset, n) => {
        const date = addDays('1990-01-01', offset);
        expect(isLocalDate(date)).toBe(true);
        expect(daysInclusive(date, addDays(date, n))).toBe(n + 1);
      }),
    );
  });
});

describe('validation', () => {
  it.each(['2024-02-29', '2023-12-31', '2024-04-01'])('%s is a date', (value) => {
    expect(isLocalDate(value)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '2024-02-30',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-01-32',
    '2024-1-1',
    '24-01-01',
    '',
    '2024-01-01T00:00:00Z',
  ])('%s is not a date', (value) => {
    expect(isLocalDate(value)).toBe(false);
  });

  it(`dates and months end with year ${LAST_YEAR}, so that a term starting on any of them ends in a four-digit year`, () => {
    expect(isLocalDate('9998-12-31')).toBe(true);
    expect(isLocalDate('9999-01-01')).toBe(false);
    expect(isYearMonth('9998-12')).toBe(true);
    expect(isYearMonth('9999-01')).toBe(false);
    expect(lastDayOf(addMonths(monthOf('9998-12-31'), 11))).toBe('9999-11-30');
  });

  it('months must be 01 to 12', () => {
    expect(isYearMonth('2024-01')).toBe(true);
    expect(isYearMonth('2024-12')).toBe(true);
    expect(isYearMonth('2024-00')).toBe(false);
    expect(isYearMonth('2024-13')).toBe(false);
    expect(isYearMonth('2024-4')).toBe(false);
    expect(isYearMonth('2024-04-01')).toBe(false);
  });

  it.each(['2023-12-28T15:00:00Z', '2023-12-29T00:00:00+09:00', '2023-12-28T23:59+09:00', '2024-02-29T00:00:00.123Z', '9998-12-31T14:59:59Z'])(
    '%s is an instant',
    (value) => {
      expect(isInstant(value)).toBe(true);
    },
  );

  it.each([
    '2023-12-28T15:00:00', // no offset: would be read in the host zone
    '2023-12-28',
    '2023-02-29T00:00:00Z', // not a calendar date (Date.parse would roll it into March)
    '2024-02-30T00:00:00+09:00',
    '2023-12-28T24:00:00Z',
    '2023-12-28T25:00:00Z',
    '2023-12-28T15:00:60Z',
    'yesterday',
    '9999-01-01T00:00:00+09:00', // past LAST_YEAR
    '9998-12-31T15:00:00Z', // 9999-01-01 in Japan
    '9998-12-31T23:00:00-09:00',
  ])('%s is not an instant', (value) => {
    expect(isInstant(value)).toBe(false);
  });
});
