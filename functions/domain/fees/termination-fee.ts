import type { LocalDate } from '../calendar';
import { primePlusSince, type Contract, type TerminationFee } from '../contract';
import type { Catalog } from '../tariff/catalog';
import { priceOf, revisionInForceOn } from '../tariff/versioned-tariff';
import { terminationFeeTax } from '../tax';
import { initialTerm, monthOfTerm, MONTHS_PER_TERM, termContaining } from '../term/prime-plus-term';

const CLAUSE = '別紙7 ※11';

/**
 * The fee for a cancellation taking effect on `effectiveDate` (別紙7 ※11).
 * Decision L2: basic fee ① × (12 − k), k being the month of the term (1..12) that
 * contains the effective date; ① is the one in force on that day (Decision P2).
 * The term is derived from its reckoning date, so a quote is right even before a
 * missed renewal run has caught the stored term up.
 * Plans without a minimum term cost nothing (the lead's decision), and so does a
 * withdrawal taking effect before the start date (our decision: the seed is silent).
 */
export function terminationFee(catalog: Catalog, contract: Contract, effectiveDate: LocalDate, settings: { taxable: boolean }): TerminationFee {
  const revision = revisionInForceOn(catalog, effectiveDate);
  // ※11 charges a cancellation during the term; before its reckoning date (the start date,
  // or the day the contract moved into Prime Plus, PC3) no term has begun.
  const since = primePlusSince(contract);
  if (contract.term === null || effectiveDate < since) {
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
  const term = termContaining(initialTerm(since), effectiveDate);
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
