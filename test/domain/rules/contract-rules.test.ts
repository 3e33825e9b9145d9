import type { LocalDate } from '../../../functions/domain/calendar';
import type { Plan, Services } from '../../../functions/domain/contract';
import { withServices } from '../../../functions/domain/contract-lifecycle';
import type { Reason } from '../../../functions/domain/reasons';
import { checkApplication, checkServicesChange } from '../../../functions/domain/rules/contract-rules';
import { SHIPPED_CATALOG } from '../../../functions/domain/tariff/catalog';
import { aCancellation, aContract, aCustomer } from '../fixtures';

const free = { occupied: false };
const codes = (reasons: Reason[]) => reasons.map((r) => r.code);

function apply(overrides: { appliedAt?: string; kind?: 'corporation' | 'individual'; plan?: Plan; services?: Services; phone?: string }, line = free) {
  return checkApplication(
    SHIPPED_CATALOG,
    {
      appliedAt: overrides.appliedAt ?? '2024-05-01T10:00:00+09:00',
      customer: aCustomer({ kind: overrides.kind ?? 'corporation', ...('phone' in overrides ? { phone: overrides.phone } : {}) }),
      plan: overrides.plan ?? { code: 'prime-plus', tier: 10 },
      services: overrides.services ?? { edrSecurity: { terminals: 8 } },
    },
    line,
  );
}

const none: Plan = { code: 'none' };
const prime: Plan = { code: 'prime', tier: 10 };
const endpoint: Services = { endpointSecurity: { terminals: 3 } };

describe('checkApplication', () => {
  it('accepts a valid Prime Plus application (interface §1.1 example)', () => {
    expect(apply({})).toEqual([]);
  });

  describe('R1 corporate only (第2条 5, from 2023-12-01 JST)', () => {
    it.each([
      ['2023-11-30T23:59:00+09:00', []],
      ['2023-11-30T14:59:59Z', []],
      ['2023-12-01T00:00:00+09:00', ['CORPORATE_ONLY']],
      ['2023-11-30T15:00:00Z', ['CORPORATE_ONLY']], // 2023-12-01 00:00 JST
    ])('an individual applying at %s gets %j', (appliedAt, expected) => {
      expect(codes(apply({ appliedAt, kind: 'individual', plan: none, services: endpoint }))).toEqual(expected);
    });

    it('cites the clause and tells the agent what to do', () => {
      const [reason] = apply({ kind: 'individual' });
      expect(reason).toMatchObject({ code: 'CORPORATE_ONLY', clause: '第2条 5' });
      expect(reason.message).toContain('法人');
      expect(reason.message).toContain('2023年12月1日以降');
    });
  });

  describe('R2 Prime closed after 2023-12-28 JST (別紙7 ※13, Decision A1: appliedAt counts, to the minute)', () => {
    it.each([
      ['2023-12-28T23:59:00+09:00', []],
      ['2023-12-28T14:59:00Z', []], // 23:59 JST
      ['2023-12-29T00:00:00+09:00', ['PRIME_PLAN_CLOSED']],
      ['2023-12-28T15:00:00Z', ['PRIME_PLAN_CLOSED']], // 2023-12-29 00:00 JST
      ['2024-05-01T10:00:00+09:00', ['PRIME_PLAN_CLOSED']],
      ['2023-11-30T10:00:00+09:00', []], // before the revision Prime was open
    ])('a Prime application at %s gets %j', (appliedAt, expected) => {
      expect(codes(apply({ appliedAt, plan: prime, services: endpoint }))).toEqual(expected);
    });

    it('shows the application time in JST and cites ※13', () => {
      const [reason] = apply({ appliedAt: '2023-12-28T15:00:00Z', plan: prime, services: {} });
      expect(reason.clause).toBe('別紙7 ※13');
      expect(reason.message).toContain('申込日時 2023年12月29日 00:00');
    });
  });

  describe('R3 EDR excludes endpoint security (別紙7 ※12)', () => {
    it('rejects both on one line', () => {
      expect(apply({ plan: none, services: { endpointSecurity: { terminals: 3 }, edrSecurity: { terminals: 2 } } })).toEqual([
        expect.objectContaining({ code: 'EDR_ENDPOINT_CONFLICT', clause: '別紙7 ※12' }),
      ]);
    });

    it('counts a service with 0 terminals as not contracted', () => {
      expect(apply({ plan: none, services: { endpointSecurity: { terminals: 0 }, edrSecurity: { terminals: 2 } } })).toEqual([]);
    });
  });

  describe('R4 EDR excludes Prime (別紙7 ※14)', () => {
    it('rejects EDR with Prime', () => {
      expect(apply({ appliedAt: '2023-12-10T10:00:00+09:00', plan: prime, services: { edrSecurity: { terminals: 1 } } })).toEqual([
        expect.objectContaining({ code: 'EDR_PRIME_CONFLICT', clause: '別紙7 ※14' }),
      ]);
    });
  });

  describe('R5 Prime Plus includes EDR, so no endpoint security (別紙7 ※11 ※12)', () => {
    it('rejects endpoint security on Prime Plus', () => {
      expect(apply({ services: endpoint })).toEqual([expect.objectContaining({ code: 'EDR_ENDPOINT_CONFLICT', clause: '別紙7 ※11 ※12' })]);
    });

    it('reports R3 and R5 separately when both are broken', () => {
      expect(apply({ services: { endpointSecurity: { terminals: 1 }, edrSecurity: { terminals: 1 } } }).map((r) => r.clause)).toEqual([
        '別紙7 ※12',
        '別紙7 ※11 ※12',
      ]);
    });
  });

  describe('R6 products offered from 2023-12-01 JST', () => {
    it.each([
      ['2023-11-30T23:59:00+09:00', ['PRODUCT_NOT_AVAILABLE']],
      ['2023-11-30T14:59:00Z', ['PRODUCT_NOT_AVAILABLE']],
      ['2023-12-01T00:00:00+09:00', []],
      ['2023-11-30T15:00:00Z', []],
    ])('EDR applied for at %s gets %j', (appliedAt, expected) => {
      expect(codes(apply({ appliedAt, plan: none, services: { edrSecurity: { terminals: 2 } } }))).toEqual(expected);
    });

    it('names each product that is not yet offered, with the date it will be', () => {
      const reasons = apply({ appliedAt: '2023-11-30T10:00:00+09:00', kind: 'corporation' });
      expect(codes(reasons)).toEqual(['PRODUCT_NOT_AVAILABLE', 'PRODUCT_NOT_AVAILABLE']);
      expect(reasons[0].message).toContain('EDRセキュリティ');
      expect(reasons[1].message).toContain('プライムPlusプラン');
      expect(reasons[1].message).toContain('2023年12月1日から提供');
    });
  });

  describe('R7 one live contract per line', () => {
    it('rejects an occupied line', () => {
      expect(codes(apply({}, { occupied: true }))).toEqual(['LINE_ALREADY_CONTRACTED']);
    });
  });

  it('returns every broken rule at once', () => {
    const reasons = apply(
      {
        appliedAt: '2024-01-05T09:00:00+09:00',
        kind: 'individual',
        plan: prime,
        services: { endpointSecurity: { terminals: 1 }, edrSecurity: { terminals: 1 } },
      },
      { occupied: true },
    );
    expect(codes(reasons)).toEqual(['CORPORATE_ONLY', 'PRIME_PLAN_CLOSED', 'EDR_ENDPOINT_CONFLICT', 'EDR_PRIME_CONFLICT', 'LINE_ALREADY_CONTRACTED']);
    for (const reason of reasons) {
      expect(reason.message).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(reason.clause).not.toBe('');
    }
  });

  describe('request consistency (INVALID_REQUEST with fields)', () => {
    it.each([['prime-plus' as const], ['prime' as const]])('requires plan.tier for %s, and still runs the rules', (code) => {
      const reasons = apply({ appliedAt: '2024-01-05T09:00:00+09:00', plan: { code }, services: endpoint }, { occupied: true });
      expect(reasons[0]).toMatchObject({ code: 'INVALID_REQUEST', fields: [{ path: 'plan.tier' }] });
      expect(codes(reasons)).toContain('LINE_ALREADY_CONTRACTED');
    });

    it('does not require a tier without a package plan, and refuses one there', () => {
      expect(apply({ plan: none, services: endpoint })).toEqual([]);
      expect(apply({ plan: { code: 'none', tier: 10 }, services: endpoint })).toEqual([
        expect.objectContaining({
          code: 'INVALID_REQUEST',
          fields: [{ path: 'plan.tier', message: expect.stringContaining('パッケージプランなしではクライアント数区分を指定できません') }],
        }),
      ]);
    });

    it('refuses a time without offset instead of reading it in the host zone', () => {
      expect(apply({ appliedAt: '2024-05-01T10:00:00' })).toEqual([
        expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'appliedAt' })] }),
      ]);
    });

    it('refuses a date before the first tariff revision (no silent fallback)', () => {
      expect(apply({ appliedAt: '2010-01-01T10:00:00+09:00', plan: none, services: endpoint })).toEqual([
        expect.objectContaining({
          code: 'INVALID_REQUEST',
          fields: [expect.objectContaining({ path: 'appliedAt', message: expect.stringContaining('最初の料金表は2014年4月1日から適用') })],
        }),
      ]);
    });
  });

  describe('startDate no earlier than the JST date of appliedAt (the rules are judged at appliedAt)', () => {
    const starting = (appliedAt: string, startDate: LocalDate, services: Services = { edrSecurity: { terminals: 8 } }) =>
      checkApplication(SHIPPED_CATALOG, { appliedAt, customer: aCustomer(), plan: { code: 'prime-plus', tier: 10 }, services, startDate }, free);

    it.each([
      ['2024-04-30T23:30:00+09:00', '2024-04-30', []],
      ['2024-04-30T14:59:00Z', '2024-04-30', []], // 23:59 JST
      ['2024-04-30T15:30:00Z', '2024-04-30', ['INVALID_REQUEST']], // 2024-05-01 00:30 JST
      ['2024-04-01T00:00:00+09:00', '2024-03-31', ['INVALID_REQUEST']],
      ['2024-03-01T09:00:00+09:00', '2024-02-29', ['INVALID_REQUEST']],
    ])('applied at %s, starting %s: %j', (appliedAt, startDate, expected) => {
      expect(codes(starting(appliedAt, startDate as LocalDate))).toEqual(expected);
    });

    it('names startDate and the application date, so that a backdated start cannot escape R6', () => {
      // Applied on the first day EDR and Prime Plus are offered, starting the day before they were.
      expect(starting('2023-12-01T10:00:00+09:00', '2023-11-30')).toEqual([
        expect.objectContaining({
          code: 'INVALID_REQUEST',
          fields: [expect.objectContaining({ path: 'startDate', message: expect.stringContaining('申込日 (2023年12月1日、日本時間) より前') })],
        }),
      ]);
    });

    it('is reported together with every broken rule', () => {
      expect(codes(starting('2024-05-01T10:00:00+09:00', '2024-04-01', { endpointSecurity: { terminals: 1 } }))).toEqual([
        'INVALID_REQUEST',
        'EDR_ENDPOINT_CONFLICT',
      ]);
    });
  });
});

describe('E1: elgana belongs to Prime Plus (別紙7 ※11, ※15)', () => {
  it.each<[string, Plan, string[]]>([
    ['Prime Plus', { code: 'prime-plus', tier: 10 }, []],
    ['Prime', prime, ['PRODUCT_NOT_AVAILABLE']],
    ['no plan', none, ['PRODUCT_NOT_AVAILABLE']],
  ])('elgana on %s at signup: %j', (_name, plan, expected) => {
    // 2023-12-20: Prime is still open, so elgana is the one refusal.
    expect(codes(apply({ plan, services: { elgana: { ids: 5 } }, appliedAt: '2023-12-20T10:00:00+09:00' }))).toEqual(expected);
  });

  it('cites ※15 and leaves 0 IDs alone', () => {
    expect(apply({ plan: none, services: { elgana: { ids: 1 } } })).toEqual([
      expect.objectContaining({ code: 'PRODUCT_NOT_AVAILABLE', clause: '別紙7 ※11 ※15' }),
    ]);
    expect(apply({ plan: none, services: { elgana: { ids: 0 } } })).toEqual([]);
  });

  it('holds at every change: a services change on another plan cannot add elgana', () => {
    const plain = aContract({ plan: none, services: {} });
    expect(codes(checkServicesChange(SHIPPED_CATALOG, plain, { requestedAt: '2024-06-01T09:00:00+09:00', services: { elgana: { ids: 2 } } }))).toEqual([
      'PRODUCT_NOT_AVAILABLE',
    ]);
  });
});

describe('S2: EDR needs a telephone (別紙1 6 ①)', () => {
  const phoneRefused = (reasons: Reason[]) => reasons.flatMap((r) => r.fields ?? []).map((f) => f.path);

  it.each<[string, Plan, Services, string | undefined, string[]]>([
    ['EDR without a plan, no phone', none, { edrSecurity: { terminals: 1 } }, undefined, ['customer.phone']],
    ['EDR, a blank phone', none, { edrSecurity: { terminals: 1 } }, '  ', ['customer.phone']],
    ['Prime Plus (EDR included), no phone', { code: 'prime-plus', tier: 10 }, {}, undefined, ['customer.phone']],
    ['EDR with a phone', none, { edrSecurity: { terminals: 1 } }, '06-0000-0000', []],
    ['endpoint security, no phone', none, endpoint, undefined, []],
  ])('application: %s', (_case, plan, services, phone, paths) => {
    expect(phoneRefused(apply({ plan, services, phone }))).toEqual(paths);
  });

  it('a change adding EDR needs the phone, from the contract or from the change', () => {
    const plain = aContract({ plan: none, services: endpoint, customer: aCustomer({ phone: undefined }) });
    const request = { requestedAt: '2024-06-01T09:00:00+09:00', services: { edrSecurity: { terminals: 2 } } };
    expect(phoneRefused(checkServicesChange(SHIPPED_CATALOG, plain, request))).toEqual(['customer.phone']);
    expect(checkServicesChange(SHIPPED_CATALOG, plain, { ...request, customer: { phone: '06-1234-5678' } })).toEqual([]);
    expect(checkServicesChange(SHIPPED_CATALOG, aContract({ plan: none, services: endpoint }), request)).toEqual([]);
  });
});

describe('checkServicesChange', () => {
  const primePlus = aContract({ startDate: '2024-05-10' });
  const change = (services: Services, requestedAt = '2024-06-01T09:00:00+09:00', contract = primePlus) =>
    checkServicesChange(SHIPPED_CATALOG, contract, { requestedAt, services });

  it('accepts a valid change (interface §1.1 example)', () => {
    expect(change({ edrSecurity: { terminals: 12 } })).toEqual([]);
  });

  it('applies R3 and R5 at every change', () => {
    expect(change({ endpointSecurity: { terminals: 1 }, edrSecurity: { terminals: 1 } }).map((r) => r.clause)).toEqual(['別紙7 ※12', '別紙7 ※11 ※12']);
  });

  it('applies R4 to an existing Prime contract, but not R2 (a change keeps the plan)', () => {
    const primeContract = aContract({ plan: prime, startDate: '2023-12-20', appliedAt: '2023-12-20T10:00:00+09:00' });
    expect(change({ endpointSecurity: { terminals: 5 } }, '2024-06-01T09:00:00+09:00', primeContract)).toEqual([]);
    expect(codes(change({ edrSecurity: { terminals: 5 } }, '2024-06-01T09:00:00+09:00', primeContract))).toEqual(['EDR_PRIME_CONFLICT']);
  });

  it('applies R6 on requestedAt, but not R1 (an existing individual customer may change)', () => {
    const older = aContract({ plan: none, customer: aCustomer({ kind: 'individual' }), startDate: '2023-10-01', appliedAt: '2023-09-20T10:00:00+09:00' });
    expect(codes(change({ edrSecurity: { terminals: 2 } }, '2023-11-30T23:59:00+09:00', older))).toEqual(['PRODUCT_NOT_AVAILABLE']);
    expect(change({ edrSecurity: { terminals: 2 } }, '2023-11-30T15:00:00Z', older)).toEqual([]);
  });

  it('refuses a change once the cancellation has taken effect (JST)', () => {
    const cancelling = aContract({ cancellation: aCancellation('2024-07-31', { orderId: 'ORD-3', requestedAt: '2024-07-15T09:00:00+09:00' }) });
    expect(change({ edrSecurity: { terminals: 9 } }, '2024-07-31T23:59:00+09:00', cancelling)).toEqual([]);
    expect(codes(change({ edrSecurity: { terminals: 9 } }, '2024-07-31T15:00:00Z', cancelling))).toEqual(['CONTRACT_NOT_LIVE']);
    expect(codes(change({ endpointSecurity: { terminals: 1 } }, '2024-08-01T00:00:00+09:00', cancelling))).toEqual([
      'EDR_ENDPOINT_CONFLICT',
      'CONTRACT_NOT_LIVE',
    ]);
  });

  it('refuses a requestedAt without offset', () => {
    expect(codes(change({}, '2024-06-01 09:00'))).toEqual(['INVALID_REQUEST']);
  });

  it('refuses a change requested before the last change applied (deliveries are unordered), naming requestedAt and that change', () => {
    const later = withServices(
      primePlus,
      { orderId: 'ORD-LATER', requestedAt: '2024-06-30T15:00:00Z', services: { edrSecurity: { terminals: 12 } } },
      SHIPPED_CATALOG,
    );
    // 2024-07-01 00:00 JST is the later change's instant, written another way: not before it.
    expect(change({ edrSecurity: { terminals: 9 } }, '2024-07-01T00:00:00+09:00', later)).toEqual([]);
    expect(change({ edrSecurity: { terminals: 9 } }, '2024-07-01T00:01:00+09:00', later)).toEqual([]);
    expect(change({ edrSecurity: { terminals: 9 } }, '2024-06-30T23:59:00+09:00', later)).toEqual([
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        fields: [{ path: 'requestedAt', message: expect.stringMatching(/2024年7月1日 00:00 .*ORD-LATER.*2024年6月30日 23:59 /) }],
      }),
    ]);
    // Only services changes count: the creation (09:00 JST) does not supersede a change requested earlier that day.
    expect(change({ edrSecurity: { terminals: 9 } }, '2024-05-10T08:00:00+09:00')).toEqual([]);
  });

  it('refuses a change requested before the JST date the contract was applied for, naming requestedAt', () => {
    // primePlus was applied for on 2024-05-10 (09:00 JST).
    expect(change({ edrSecurity: { terminals: 9 } }, '2024-05-10T00:00:00+09:00')).toEqual([]);
    expect(change({ edrSecurity: { terminals: 9 } }, '2024-05-09T14:59:00Z')).toEqual([
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        fields: [expect.objectContaining({ path: 'requestedAt', message: expect.stringContaining('申込日 (2024年5月10日、日本時間) より前') })],
      }),
    ]);
  });
});
