import type { LocalDate } from '../../functions/domain/calendar';
import fc from 'fast-check';
import { addDays, addMonths, jstDateOf, monthOf } from '../../functions/domain/calendar';
import type { Contract } from '../../functions/domain/contract';
import {
  contractView,
  createContract,
  occupiesLineOn,
  renewalDueMonth,
  renewThrough,
  withCancellation,
  withServices,
} from '../../functions/domain/contract-lifecycle';
import { statusOn } from '../../functions/domain/contract';
import { checkCancellation, checkServicesChange } from '../../functions/domain/rules/contract-rules';
import { SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import { aContract, anApplication } from './fixtures';

const notTaxable = { taxable: false };
const basicFee = SHIPPED_CATALOG[2].prices['basicFee.withGateway']!.amount;
const RUN_AT = '2025-01-01T00:05:00+09:00';

function cancelled(contract: Contract, effectiveDate: LocalDate, requestedAt = '2024-01-15T09:00:00+09:00'): Contract {
  return withCancellation(contract, { orderId: 'ORD-CANCEL', requestedAt, effectiveDate }, SHIPPED_CATALOG, notTaxable);
}

describe('createContract', () => {
  it('creates version 1 with its Prime Plus term and a ContractCreated entry carrying the services', () => {
    const input = anApplication();
    const contract = createContract(input, SHIPPED_CATALOG);
    expect(contract).toMatchObject({
      contractId: 'K-0001',
      orderId: 'ORD-2024-000123',
      startDate: '2024-05-10',
      term: { number: 1, start: '2024-05-10', end: '2025-04-30', renewalMonth: '2025-04' },
      cancellation: null,
      acceptedTermsRevision: '2024-04-01',
      version: 1,
    });
    expect(contract.history).toEqual([
      {
        at: input.appliedAt,
        type: 'ContractCreated',
        orderId: 'ORD-2024-000123',
        summary: expect.stringContaining('プライムPlus'),
        services: input.services,
        acceptedTermsRevision: '2024-04-01',
      },
    ]);
  });

  it('records with every accepted order the terms revision in force when it was asked (S2), and the phone a change supplies', () => {
    const baseline = createContract(
      anApplication({ appliedAt: '2023-11-20T10:00:00+09:00', startDate: '2023-11-25', plan: { code: 'none' }, services: {} }),
      SHIPPED_CATALOG,
    );
    expect(baseline.acceptedTermsRevision).toBe('baseline');
    // 2023-11-30 23:59 JST is still the baseline; 2023-12-01 00:00 JST is the revision that brought EDR (第35条 20–22).
    const late = withServices(baseline, { orderId: 'ORD-S1', requestedAt: '2023-11-30T14:59:00Z', services: {} }, SHIPPED_CATALOG);
    expect(late.acceptedTermsRevision).toBe('baseline');
    const edr = withServices(
      late,
      { orderId: 'ORD-S2', requestedAt: '2023-11-30T15:00:00Z', services: { edrSecurity: { terminals: 3 } }, customer: { phone: '06-1111-2222' } },
      SHIPPED_CATALOG,
    );
    expect(edr.acceptedTermsRevision).toBe('2023-12-01');
    expect(edr.customer.phone).toBe('06-1111-2222');
    expect(edr.history.map((h) => h.acceptedTermsRevision)).toEqual(['baseline', 'baseline', '2023-12-01']);
    const renewedLater = withCancellation(
      edr,
      { orderId: 'ORD-C', requestedAt: '2024-04-01T00:00:00+09:00', effectiveDate: '2024-04-30' },
      SHIPPED_CATALOG,
      notTaxable,
    );
    expect(renewedLater.acceptedTermsRevision).toBe('2024-04-01');
  });

  it.each([
    ['2024-03-31T23:59:00+09:00', '2023-12-01'],
    ['2024-03-31T15:00:00Z', '2024-04-01'], // 2024-04-01 00:00 JST
    ['2023-11-30T23:59:00+09:00', 'baseline'],
    ['2023-11-30T15:00:00Z', '2023-12-01'],
  ])('records the terms revision in force when applying at %s: %s (Decision S1)', (appliedAt, revision) => {
    const input = anApplication({ appliedAt, plan: { code: 'none' }, services: { endpointSecurity: { terminals: 1 } } });
    expect(createContract(input, SHIPPED_CATALOG).acceptedTermsRevision).toBe(revision);
  });

  it('defaults the start date to the JST date of appliedAt', () => {
    const contract = createContract(anApplication({ appliedAt: '2024-05-01T20:00:00Z', startDate: undefined }), SHIPPED_CATALOG);
    expect(contract.startDate).toBe('2024-05-02');
    expect(contract.term?.renewalMonth).toBe('2025-04');
  });

  it.each([['none' as const], ['prime' as const]])('gives plan %s no term', (code) => {
    const input = anApplication({ appliedAt: '2023-12-20T10:00:00+09:00', plan: { code, tier: 10 }, services: {} });
    expect(createContract(input, SHIPPED_CATALOG).term).toBeNull();
  });
});

describe('changeServices', () => {
  const contract = aContract();
  const change = { orderId: 'ORD-2024-000200', requestedAt: '2024-06-01T09:00:00+09:00', services: { edrSecurity: { terminals: 12 } } };

  it('replaces the services, bumps the version and appends history, leaving the input untouched', () => {
    const changed = withServices(contract, change, SHIPPED_CATALOG);
    expect(changed.services).toEqual(change.services);
    expect(changed.version).toBe(2);
    expect(changed.history.at(-1)).toEqual({
      at: change.requestedAt,
      type: 'ContractServicesChanged',
      orderId: 'ORD-2024-000200',
      summary: 'サービス変更: 変更後のサービスはEDRセキュリティ 12端末',
      services: change.services,
      acceptedTermsRevision: '2024-04-01',
    });
    expect(contract.version).toBe(1);
    expect(contract.history).toHaveLength(1);
  });

  it('is refused by the rules once the cancellation has taken effect', () => {
    const ended = cancelled(contract, '2024-05-31', '2024-05-20T09:00:00+09:00');
    expect(withServices(ended, { ...change, requestedAt: '2024-05-31T23:59:00+09:00' }, SHIPPED_CATALOG).version).toBe(3);
    expect(checkServicesChange(SHIPPED_CATALOG, ended, { ...change, requestedAt: '2024-05-31T15:00:00Z' }).map((r) => r.code)).toEqual(['CONTRACT_NOT_LIVE']);
  });
});

describe('cancelContract', () => {
  const contract = aContract({ startDate: '2024-05-10' });
  const request = { orderId: 'ORD-2024-000300', requestedAt: '2024-07-15T09:00:00+09:00', effectiveDate: '2024-07-31' as LocalDate };

  it('records the cancellation with its fee (11 − 2 = 9 months left in month 3) and appends history', () => {
    const result = withCancellation(contract, request, SHIPPED_CATALOG, notTaxable);
    expect(result.cancellation).toEqual({
      ...request,
      terminationFee: expect.objectContaining({ amount: basicFee * 9, remainingMonths: 9, basicFee, clause: '別紙7 ※11' }),
      withdrawnTerm: null,
    });
    expect(result.version).toBe(2);
    expect(result.history.at(-1)).toMatchObject({ type: 'ContractCancelled', orderId: request.orderId, at: request.requestedAt, services: contract.services });
    expect(result.history.at(-1)!.summary).toBe('解約受付: 解約日 2024年7月31日、解約金 27,000円 (不課税)');
  });

  it('refuses a second cancellation (解約手続き済み)', () => {
    const once = withCancellation(contract, request, SHIPPED_CATALOG, notTaxable);
    const [reason] = checkCancellation(once, request);
    expect(reason).toMatchObject({ code: 'CONTRACT_NOT_LIVE', message: expect.stringContaining('解約手続き済み') });
  });

  it('refuses an effective date before the JST date of the request', () => {
    const late = { ...request, requestedAt: '2024-07-14T15:00:00Z', effectiveDate: '2024-07-14' as LocalDate }; // requested 2024-07-15 JST
    expect(checkCancellation(contract, late)).toEqual([
      expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'effectiveDate' })] }),
    ]);
    expect(withCancellation(contract, { ...late, effectiveDate: '2024-07-15' }, SHIPPED_CATALOG, notTaxable).cancellation?.effectiveDate).toBe('2024-07-15');
  });

  it('refuses an effective date that is not a calendar date', () => {
    expect(checkCancellation(contract, { ...request, effectiveDate: '2024-02-30' })[0].code).toBe('INVALID_REQUEST');
  });

  it('refuses a request dated before the JST date the contract was applied for, naming requestedAt', () => {
    // Applied for on 2024-05-10 JST; the effective date defaults to the request's date, so it is refused too.
    const early = { ...request, requestedAt: '2024-05-09T14:59:00Z', effectiveDate: '2024-05-09' as LocalDate };
    expect(checkCancellation(contract, early)).toEqual([
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        fields: [expect.objectContaining({ path: 'requestedAt', message: expect.stringContaining('申込日 (2024年5月10日、日本時間) より前') })],
      }),
    ]);
    // Even before the first tariff revision: refused on requestedAt, not failing on the tariff.
    const ancient = { ...request, requestedAt: '2010-01-01T09:00:00+09:00', effectiveDate: '2010-01-01' as LocalDate };
    expect(checkCancellation(contract, ancient)[0].fields!.map((f) => f.path)).toEqual(['requestedAt']);
    expect(
      withCancellation(contract, { ...early, requestedAt: '2024-05-09T15:00:00Z', effectiveDate: '2024-05-10' }, SHIPPED_CATALOG, notTaxable).cancellation,
    ).not.toBeNull();
  });
});

describe('a late cancellation from the renewal month (docs/terms.md L3)', () => {
  // Term 1: 2024-01-10 .. 2024-12-31, renewal month 2024-12; the run of 2025-01 renews it into term 2.
  const renewed = renewThrough(aContract({ startDate: '2024-01-10' }), '2025-01', RUN_AT).contract;

  it.each<[string, string, LocalDate, number]>([
    ['effective on the last day of the renewal month (0 months left)', '2024-12-03T09:00:00+09:00', '2024-12-31', 0],
    ['effective on the first day of the renewal month', '2024-12-01T00:00:00+09:00', '2024-12-01', 0],
    ['requested 23:59 JST on the last day, effective that day', '2024-12-31T14:59:00Z', '2024-12-31', 0],
    // L5: whatever the effective date; after the term's end nothing is owed.
    ['requested in the renewal month, effective after the term', '2024-12-05T10:00:00+09:00', '2025-01-15', 0],
    ['requested 23:59 JST on the last day, effective in March', '2024-12-31T14:59:00Z', '2025-03-31', 0],
  ])('withdraws the renewal when %s', (_case, requestedAt, effectiveDate, months) => {
    expect(renewed.term?.number).toBe(2);
    const request = { orderId: 'ORD-LATE', requestedAt, effectiveDate };
    expect(checkCancellation(renewed, request)).toEqual([]);
    const cancelled = withCancellation(renewed, request, SHIPPED_CATALOG, notTaxable);

    expect(cancelled.term).toEqual({ number: 1, start: '2024-01-10', end: '2024-12-31', renewalMonth: '2024-12' });
    expect(cancelled.cancellation?.withdrawnTerm).toEqual(renewed.term);
    expect(cancelled.cancellation?.terminationFee.remainingMonths).toBe(months);
    expect(cancelled.history.at(-1)?.summary).toContain('第2期への自動更新を取り消し');
    // Later runs leave it alone: it no longer renews.
    expect(renewalDueMonth(cancelled)).toBeNull();
    expect(renewThrough(cancelled, '2026-01', RUN_AT).renewed).toEqual([]);
  });

  it('withdraws nothing for a cancellation that takes effect in the renewed term: its fee is for that term', () => {
    const cancelled = withCancellation(
      renewed,
      { orderId: 'ORD-T2', requestedAt: '2025-01-02T00:00:00+09:00', effectiveDate: '2025-01-02' },
      SHIPPED_CATALOG,
      notTaxable,
    );
    expect(cancelled.term?.number).toBe(2);
    expect(cancelled.cancellation?.withdrawnTerm).toBeNull();
    expect(cancelled.cancellation?.terminationFee.remainingMonths).toBe(11);
  });

  it('refuses, as any cancellation, an effective date before the JST date it was asked on: a request after the renewal month cannot reach back', () => {
    const reasons = checkCancellation(renewed, { requestedAt: '2025-01-01T00:00:00+09:00', effectiveDate: '2024-12-31' });
    expect(reasons.map((r) => r.code)).toEqual(['INVALID_REQUEST']);
  });
});

describe('renewThrough (interface §4)', () => {
  const contract = aContract({ startDate: '2024-01-10' }); // renewal month 2024-12

  it('renews nothing before the month after the renewal month', () => {
    expect(renewThrough(contract, '2024-12', RUN_AT)).toEqual({ contract, renewed: [] });
  });

  it('renews into the next term at the start of the month after the renewal month', () => {
    const { contract: renewed, renewed: terms } = renewThrough(contract, '2025-01', RUN_AT);
    expect(terms).toEqual([{ number: 2, start: '2025-01-01', end: '2025-12-31', renewalMonth: '2025-12' }]);
    expect(renewed.term).toEqual(terms[0]);
    expect(renewed.version).toBe(2);
    expect(renewed.history.at(-1)).toEqual({
      at: RUN_AT,
      type: 'ContractRenewed',
      orderId: null,
      summary: expect.stringContaining('第2期'),
      services: contract.services,
    });
  });

  it('catches up missed runs in one version, one history entry per term', () => {
    const { contract: renewed, renewed: terms } = renewThrough(contract, '2027-02', RUN_AT);
    expect(terms.map((t) => t.number)).toEqual([2, 3, 4]);
    expect(renewed.term?.renewalMonth).toBe('2027-12');
    expect(renewed.version).toBe(2);
    expect(renewed.history.filter((h) => h.type === 'ContractRenewed')).toHaveLength(3);
  });

  it('does not renew a term in which a cancellation takes effect (on its last day too)', () => {
    expect(renewThrough(cancelled(contract, '2024-12-31'), '2027-02', RUN_AT).renewed).toEqual([]);
  });

  it('does not renew a term in which the customer asked to leave, whatever the effective date (L5)', () => {
    // Asked 2024-01-15 (term 1), effective in what would have been term 2.
    expect(renewThrough(cancelled(contract, '2025-01-01'), '2027-02', RUN_AT).renewed).toEqual([]);
    expect(renewThrough(cancelled(contract, '2025-01-15', '2024-12-05T10:00:00+09:00'), '2025-01', RUN_AT).renewed).toEqual([]);
  });

  it.each([
    ['23:59 JST on the last day of the renewal month', '2024-12-31T14:59:59Z', []],
    ['00:00 JST on the first day of the next term', '2024-12-31T15:00:00Z', [2]],
  ])('a request at %s stops that renewal or belongs to the new term', (_case, requestedAt, terms) => {
    const asked = cancelled(contract, '2025-01-15', requestedAt);
    expect(renewThrough(asked, '2025-02', RUN_AT).renewed.map((t) => t.number)).toEqual(terms);
  });

  it('renews the terms before the one a (late-processed) request was made in, and stops there', () => {
    const { renewed } = renewThrough(cancelled(contract, '2025-03-01', '2025-02-01T10:00:00+09:00'), '2027-02', RUN_AT);
    expect(renewed.map((t) => t.number)).toEqual([2]);
  });

  it('leaves contracts without a term alone', () => {
    const prime = aContract({ plan: { code: 'prime', tier: 10 } });
    expect(renewThrough(prime, '2030-01', RUN_AT)).toEqual({ contract: prime, renewed: [] });
  });
});

describe('renewalDueMonth', () => {
  const contract = aContract({ startDate: '2024-01-10' });

  it('is the renewal month while the contract will renew', () => {
    expect(renewalDueMonth(contract)).toBe('2024-12');
  });

  it('is null once the customer asked to leave in the term (L5: effective within it or after), or without a term', () => {
    expect(renewalDueMonth(cancelled(contract, '2024-12-31'))).toBeNull();
    expect(renewalDueMonth(cancelled(contract, '2025-03-31'))).toBeNull();
    expect(renewalDueMonth(cancelled(contract, '2025-01-15', '2024-12-31T14:59:59Z'))).toBeNull();
    expect(renewalDueMonth(aContract({ plan: { code: 'none' } }))).toBeNull();
  });
});

describe('statusOn, contractView, occupiesLineOn', () => {
  const contract = cancelled(aContract({ startDate: '2024-01-10' }), '2024-07-31');

  it('is live through the effective date and cancelled from the next JST day', () => {
    expect(statusOn(aContract(), '2099-12-31')).toBe('live');
    expect(statusOn(contract, '2024-07-31')).toBe('live');
    expect(statusOn(contract, '2024-08-01')).toBe('cancelled');
  });

  it('shows the interface §2 shape with status and without history', () => {
    const view = contractView(contract, '2024-08-01');
    expect(view).not.toHaveProperty('history');
    expect(view).toMatchObject({ status: 'cancelled', contractId: 'K-0001', term: contract.term, cancellation: contract.cancellation, version: 2 });
    for (const key of [
      'contractId',
      'orderId',
      'lineId',
      'customer',
      'plan',
      'services',
      'appliedAt',
      'startDate',
      'status',
      'term',
      'cancellation',
      'version',
    ]) {
      expect(view).toHaveProperty(key);
    }
  });

  it('holds its line for a new contract starting on or before the effective date (R7, planned handover)', () => {
    expect(occupiesLineOn(aContract(), '2099-01-01')).toBe(true);
    expect(occupiesLineOn(contract, '2024-07-31')).toBe(true);
    expect(occupiesLineOn(contract, '2024-08-01')).toBe(false);
  });
});

describe('properties', () => {
  const aStart = fc.integer({ min: 0, max: 365 * 4 }).map((n) => addDays('2023-12-01', n));
  const aMonthAfter = (start: LocalDate) => fc.integer({ min: 0, max: 72 }).map((n) => addMonths(monthOf(start), n));
  const aCase = aStart.chain((start) =>
    fc.record({
      start: fc.constant(start),
      month: aMonthAfter(start),
      later: aMonthAfter(start),
      cancelAfterDays: fc.option(fc.integer({ min: 0, max: 365 * 6 }), { nil: null }),
      askAfterDays: fc.integer({ min: 0, max: 365 * 6 }),
    }),
  );
  // Asked on or before the effective date (interface §1.1), anywhere in the years before it.
  const contractOf = ({ start, cancelAfterDays, askAfterDays }: { start: LocalDate; cancelAfterDays: number | null; askAfterDays: number }) => {
    const contract = aContract({ startDate: start });
    if (cancelAfterDays === null) return contract;
    return cancelled(contract, addDays(start, cancelAfterDays), `${addDays(start, Math.min(askAfterDays, cancelAfterDays))}T09:00:00+09:00`);
  };

  it('renewing twice to the same month equals renewing once', () => {
    fc.assert(
      fc.property(aCase, (c) => {
        const once = renewThrough(contractOf(c), c.month, RUN_AT).contract;
        const twice = renewThrough(once, c.month, '2099-01-01T00:05:00+09:00');
        expect(twice.renewed).toEqual([]);
        expect(twice.contract).toEqual(once);
      }),
    );
  });

  it('renewed terms are consecutive, never past the term the request to leave was made in, and reach the month otherwise', () => {
    fc.assert(
      fc.property(aCase, (c) => {
        const contract = contractOf(c);
        const { contract: renewed, renewed: terms } = renewThrough(contract, c.month, RUN_AT);
        let previous = contract.term!;
        for (const term of terms) {
          expect(term.start).toBe(addDays(previous.end, 1));
          previous = term;
        }
        // L5: no term after the one the request to leave was made in.
        const askedOn = contract.cancellation ? jstDateOf(contract.cancellation.requestedAt) : undefined;
        if (askedOn !== undefined && askedOn <= previous.end) {
          expect(terms.every((t) => t.start <= askedOn)).toBe(true);
        } else {
          expect(previous.renewalMonth >= c.month).toBe(true);
        }
        expect(renewed.version).toBe(contract.version + (terms.length > 0 ? 1 : 0));
      }),
    );
  });

  it('renewing in several runs reaches the same term as one run', () => {
    fc.assert(
      fc.property(aCase, (c) => {
        const [first, second] = c.month <= c.later ? [c.month, c.later] : [c.later, c.month];
        const stepwise = renewThrough(renewThrough(contractOf(c), first, RUN_AT).contract, second, RUN_AT).contract;
        const direct = renewThrough(contractOf(c), second, RUN_AT).contract;
        expect(stepwise.term).toEqual(direct.term);
        expect(stepwise.history.length).toBe(direct.history.length);
      }),
    );
  });
});
