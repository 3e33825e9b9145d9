import fc from 'fast-check';
import { FieldRefusal } from '../../../functions/domain/errors';
import {
  corporateNumberCheckDigit,
  isValidRegistrationNumber,
  issuerOf,
  PLACEHOLDER_ISSUER,
  registrationNumberProblem,
} from '../../../functions/domain/invoices/issuer';

describe('the 法人番号 check digit (Decision I5)', () => {
  it.each([
    // Published 法人番号 (国税庁 法人番号公表サイト).
    ['国税庁', '7000012050002'],
    ['トヨタ自動車株式会社', '1180301018771'],
  ])('accepts %s (T%s)', (_whose, number) => {
    expect(isValidRegistrationNumber(`T${number}`)).toBe(true);
  });

  it('computes 国税庁 7000012050002 by hand: Σ = 2·1 + 5·1 + 2·1 + 1·2 = 11, 9 − (11 mod 9) = 7', () => {
    expect(corporateNumberCheckDigit('000012050002')).toBe(7);
  });

  it.each([
    // A sum that is a multiple of 9 gives 9, never 0.
    ['000000000000', 9], // Σ 0
    ['000000000009', 9], // P1 = 9, Q1 = 1: Σ 9
    ['000000000090', 9], // P2 = 9, Q2 = 2: Σ 18
    ['999999999999', 9], // 6·9 + 6·18 = 162
    // A sum of 8 mod 9 gives 1, the other end.
    ['000000000008', 1],
    ['000000000040', 1], // P2 = 4, Q2 = 2: Σ 8
    // Weights from the right: the rightmost digit counts once, the one before it twice, the leftmost (n = 12) twice.
    ['000000000001', 8],
    ['000000000010', 7],
    ['100000000000', 7],
    ['010000000000', 8],
  ])('base %s has check digit %i', (base, digit) => {
    expect(corporateNumberCheckDigit(base)).toBe(digit);
    expect(isValidRegistrationNumber(`T${digit}${base}`)).toBe(true);
  });

  it('refuses a base that is not 12 digits', () => {
    expect(() => corporateNumberCheckDigit('00001205000')).toThrow(RangeError);
    expect(() => corporateNumberCheckDigit('00001205000x')).toThrow(RangeError);
  });

  it.each([
    ['a wrong check digit', 'T8000012050002'],
    ['a mistyped digit (国税庁 with its 5 as 6)', 'T7000012060002'],
    ['a check digit of 0, which no 法人番号 has (the placeholder)', 'T0000000000000'],
    ['a check digit that computes to 8, not 4', 'T4010001083985'],
    ['12 digits', 'T700001205000'],
    ['14 digits', 'T70000120500020'],
    ['the 法人番号 without T', '7000012050002'],
    ['a lower-case t', 't7000012050002'],
    ['full-width digits', 'T７００００１２０５０００２'],
    ['a full-width Ｔ', 'Ｔ7000012050002'],
    ['a space inside', 'T 7000012050002'],
    ['a trailing space', 'T7000012050002 '],
    ['hyphens', 'T7-0000-1205-0002'],
    ['nothing', ''],
  ])('refuses %s: %j', (_what, value) => {
    expect(isValidRegistrationNumber(value)).toBe(false);
  });

  it('says which rule a number breaks', () => {
    expect(registrationNumberProblem('T700001205000')).toMatch(/^must be T and 13 half-width digits/);
    expect(registrationNumberProblem('T8000012050002')).toMatch(/^its first digit is not the 法人番号 check digit/);
    expect(registrationNumberProblem('T7000012050002')).toBeNull();
  });

  it('catches every single mistyped digit, and every swap of neighbours in the base, except 0 for 9 (the sum is taken mod 9)', () => {
    const base = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(base, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 9 }), (b, at, digit) => {
        // `at` indexes the 13 digits; 0 is the check digit.
        const valid = `${corporateNumberCheckDigit(b)}${b}`;
        const typo = valid.slice(0, at) + String(digit) + valid.slice(at + 1);
        const typoUnseen = typo === valid || (at > 0 && Math.abs(Number(valid[at]) - digit) === 9);
        expect(isValidRegistrationNumber(`T${typo}`)).toBe(typoUnseen);
        if (at >= 1 && at <= 11) {
          const swapped = valid.slice(0, at) + valid[at + 1] + valid[at] + valid.slice(at + 2);
          const swapUnseen = Math.abs(Number(valid[at]) - Number(valid[at + 1])) % 9 === 0;
          expect(isValidRegistrationNumber(`T${swapped}`)).toBe(swapUnseen);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('issuerOf (Decision I5)', () => {
  it('is the placeholder, labelled 仮 and with a number that cannot be real, while nothing is set', () => {
    expect(issuerOf({})).toEqual({ name: '（仮）発行事業者名未設定', registrationNumber: 'T0000000000000', placeholder: true });
    expect(issuerOf({})).toEqual(PLACEHOLDER_ISSUER);
    expect(PLACEHOLDER_ISSUER.name).toContain('仮');
    expect(isValidRegistrationNumber(PLACEHOLDER_ISSUER.registrationNumber)).toBe(false);
  });

  it('is the operator’s issuer once both are set', () => {
    expect(issuerOf({ name: '西日本電信電話株式会社', registrationNumber: 'T7000012050002' })).toEqual({
      name: '西日本電信電話株式会社',
      registrationNumber: 'T7000012050002',
      placeholder: false,
    });
  });

  it('stays a placeholder while either is unset, a blank counting as unset, and keeps the part that is set', () => {
    expect(issuerOf({ name: '西日本電信電話株式会社' })).toEqual({ name: '西日本電信電話株式会社', registrationNumber: 'T0000000000000', placeholder: true });
    expect(issuerOf({ registrationNumber: 'T7000012050002', name: '  ' })).toEqual({
      name: '（仮）発行事業者名未設定',
      registrationNumber: 'T7000012050002',
      placeholder: true,
    });
    expect(issuerOf({ name: null, registrationNumber: '' })).toEqual(PLACEHOLDER_ISSUER);
  });

  it('refuses a registration number that is set but invalid, naming registrationNumber and the rule', () => {
    let error: unknown;
    try {
      issuerOf({ name: '西日本電信電話株式会社', registrationNumber: 'T8000012050002' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FieldRefusal);
    expect((error as FieldRefusal).fields).toEqual([{ path: 'registrationNumber', message: expect.stringMatching(/法人番号 check digit/) }]);
    expect(() => issuerOf({ registrationNumber: 'T0000000000000' })).toThrow(FieldRefusal);
    expect(() => issuerOf({ registrationNumber: '7000012050002' })).toThrow(/must be T and 13 half-width digits/);
  });
});
