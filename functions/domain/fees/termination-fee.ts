import type { LocalDate } from '../calendar';
import { primePlusSince, type Contract, type TerminationFee, type Term } from '../contract';
import type { Catalog } from '../tariff/catalog';
import { priceOf, revisionInForceOn } from '../tariff/versioned-tariff';
import { terminationFeeTax } from '../tax';
import { initialTerm, monthOfTerm, MONTHS_PER_TERM, termContaining } from '../term/prime-plus-term';

const CLAUSE = '別紙7 ※11';

/**
 * The fee for leaving Prime Plus (a cancellation, or PC4's move out) requested on
 * `requestedOn` and taking effect on `effectiveDate` (別紙7 ※11).
 * Decision L5: the request stops the renewal of the term it is made in (the seed renews
 * 「契約更新月に解約のお申し出がない場合」), so taking effect after that term's end costs
 * nothing: no minimum term is running then.
 * Decision L2: otherwise basic fee ① × (12 − k), k being the month of that term (1..12)
 * containing the effective date; ① is the one in force on that day (Decision P2).
 * The term is derived from its reckoning date, so a quote is right even before a
 * missed renewal run has caught the stored term up, and a late request (L3) is charged in
 * the term it was made in.
 * Plans without a minimum term cost nothing (the lead's decision), and so does a
 * withdrawal taking effect before the start date (our decision: the seed is silent).
 */
export function terminationFee(
  catalog: Catalog,
  contract: Contract,
  request: { requestedOn: LocalDate; effectiveDate: LocalDate },
  settings: { taxable: boolean },
): TerminationFee {
  const { effectiveDate } = request;
  const revision = revisionInForceOn(catalog, effectiveDate);
  // ※11 charges a cancellation during the term; before its reckoning date (the start date,
  // or the day the contract moved into Prime Plus, PC3) no term has begun.
  const since = primePlusSince(contract);
  const term = contract.term === null ? null : termOfRequest(contract, request.requestedOn);
  if (term === null || effectiveDate < since || effectiveDate > term.end) {
    return {
      amount: 0,
      basicFee: 0,
      remainingMonths: 0,
      revision: revision.id,
      clause: CLAUSE,
      taxable: settings.taxable,
      amountIncludingTax: 0,
      placeholder: false,
    };
  }
  const remainingMonths = MONTHS_PER_TERM - monthOfTerm(term, effectiveDate);
  const basicFee = priceOf(revision, 'basicFee.withGateway');
  const amount = basicFee.amount * remainingMonths;
  return {
    amount,
    basicFee: basicFee.amount,
    remainingMonths,
    revision: revision.id,
    clause: CLAUSE,
    taxable: settings.taxable,
    amountIncludingTax: amount + terminationFeeTax(amount, settings),
    placeholder: basicFee.placeholder === true,
  };
}

/**
 * Decision L5: the term a request to leave belongs to, the one running on the day it was
 * made (term 1 for a request before the start date); its renewal is the one it stops.
 */
export function termOfRequest(contract: Contract, requestedOn: LocalDate): Term {
  const since = primePlusSince(contract);
  return termContaining(initialTerm(since), requestedOn > since ? requestedOn : since);
}
