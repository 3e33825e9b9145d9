import { FieldRefusal } from '../errors';
import type { Issuer } from './invoice';

/**
 * Decision I5: who issues the invoices (適格請求書発行事業者), as the operator sets it
 * (INVOICE_ISSUER_NAME and INVOICE_REGISTRATION_NUMBER on the functions, context
 * `invoiceIssuer` in the CDK app). Until both are set, invoices carry labelled
 * placeholders and `placeholder: true`, shown 仮, as unstated prices are (Decision P1).
 */

// Half-width digits only: `\d` would be the same without the u flag, but the rule is spelled out.
const REGISTRATION_NUMBER = /^T[0-9]{13}$/;

/**
 * What invoices carry until the operator sets the issuer. The registration number can
 * never be a real one: a 法人番号's check digit is 1 to 9, never 0, so
 * isValidRegistrationNumber refuses it and no one can mistake it for a registration.
 */
export const PLACEHOLDER_ISSUER: Readonly<Issuer> = Object.freeze({
  name: '（仮）発行事業者名未設定',
  registrationNumber: 'T0000000000000',
  placeholder: true,
});

/**
 * The 法人番号 check digit (国税庁, 法人番号の指定等に関する省令 第2条) of a 12-digit base
 * number: 9 − (Σ Pn × Qn mod 9) for n = 1..12, Pn the n-th digit from the right, Qn 1 for
 * odd n and 2 for even n. From 1 to 9: a sum that is a multiple of 9 gives 9.
 */
export function corporateNumberCheckDigit(base: string): number {
  if (!/^[0-9]{12}$/.test(base)) throw new RangeError(`not a 12-digit base number: ${base}`);
  let sum = 0;
  for (let n = 1; n <= 12; n += 1) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return 9 - (sum % 9);
}

/**
 * Why `value` cannot be a registration number (適格請求書発行事業者登録番号), or null: `T` and
 * the 13 digits of the 法人番号, the first of which is the check digit of the other 12.
 * (A sole proprietor's number is not a 法人番号; the issuer here is a corporation.)
 */
export function registrationNumberProblem(value: string): string | null {
  if (!REGISTRATION_NUMBER.test(value)) return 'must be T and 13 half-width digits (適格請求書発行事業者登録番号, e.g. T7000012050002)';
  if (Number(value[1]) !== corporateNumberCheckDigit(value.slice(2))) {
    return 'its first digit is not the 法人番号 check digit of the 12 after it: a digit is mistyped';
  }
  return null;
}

export function isValidRegistrationNumber(value: string): boolean {
  return registrationNumberProblem(value) === null;
}

/**
 * The issuer invoices show: the operator's name and number, each one left unset
 * (absent or blank) replaced by its labelled placeholder, and `placeholder: true` until
 * both are set. A number that is set but invalid is refused (FieldRefusal of
 * `registrationNumber`; the settings reader names its variable with `named`) rather
 * than printed on invoices that could not be used for 仕入税額控除.
 */
export function issuerOf(setting: { name?: string | null; registrationNumber?: string | null }): Issuer {
  const name = setting.name?.trim() || null;
  const registrationNumber = setting.registrationNumber?.trim() || null;
  if (registrationNumber !== null) {
    const problem = registrationNumberProblem(registrationNumber);
    if (problem !== null) throw new FieldRefusal(`invalid registration number: ${problem}`, [{ path: 'registrationNumber', message: problem }]);
  }
  return {
    name: name ?? PLACEHOLDER_ISSUER.name,
    registrationNumber: registrationNumber ?? PLACEHOLDER_ISSUER.registrationNumber,
    placeholder: name === null || registrationNumber === null,
  };
}
