import { addDays, addMonths, monthOf, type LocalDate, type YearMonth } from '../../functions/domain/calendar';
import type { Contract, Plan } from '../../functions/domain/contract';
import { withServices, createContract } from '../../functions/domain/contract-lifecycle';
import { monthlyCharges } from '../../functions/domain/charges/monthly-charges';
import { terminationFee } from '../../functions/domain/fees/termination-fee';
import { SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import type { BenchOptions } from '../options';
import { compare, type FigureResult } from '../results';
import { perSecond, timedSync } from '../timing';

/**
 * Figure 5: the pure domain, in this process: termination quotes and monthly charge
 * computations per second, each against a JSON round trip of the same contract (what
 * any handler pays to read it), so that the figure says how the rules compare with the
 * cheapest thing done to a contract, whatever the machine.
 */
const SAMPLES = 240;
const PLANS: Plan[] = [{ code: 'prime-plus', tier: 10 }, { code: 'prime-plus', tier: 50 }, { code: 'prime', tier: 10 }, { code: 'none' }];

interface Sample {
  contract: Contract;
  /** A cancellation date within the first two terms. */
  effectiveDate: LocalDate;
  /** A billing month within the first two years. */
  month: YearMonth;
}

/** Contracts started on every few days from 2023-12-01 (all three tariff revisions), with one services change each. */
function samples(): Sample[] {
  return Array.from({ length: SAMPLES }, (_, n) => {
    const startDate = addDays('2023-12-01', (n * 3) % 400);
    const plan = PLANS[n % PLANS.length];
    const created = createContract(
      {
        contractId: `K-DOMAIN-${n}`,
        orderId: `ORD-DOMAIN-${n}`,
        appliedAt: `${startDate}T09:00:00+09:00`,
        customer: { customerId: 'C-DOMAIN', name: '株式会社ベンチ', kind: 'corporation', phone: '06-0000-0000' },
        lineId: `L-DOMAIN-${n}`,
        startDate,
        plan,
        services:
          plan.code === 'prime' ? { endpointSecurity: { terminals: 3 } } : { edrSecurity: { terminals: 8 }, cloudProxy: { users: 2 }, elgana: { ids: 5 } },
        billing: { method: n % 2 === 0 ? 'invoice' : 'account-transfer' },
      },
      SHIPPED_CATALOG,
    );
    const changedOn = addDays(startDate, 40);
    const contract = withServices(
      created,
      {
        orderId: `ORD-DOMAIN-${n}-S`,
        requestedAt: `${changedOn}T09:00:00+09:00`,
        services:
          plan.code === 'prime' ? { endpointSecurity: { terminals: 5 } } : { edrSecurity: { terminals: 12 }, cloudProxy: { users: 4 }, elgana: { ids: 7 } },
      },
      SHIPPED_CATALOG,
    );
    return { contract, effectiveDate: addDays(startDate, (n * 37) % 700), month: addMonths(monthOf(startDate), n % 24) };
  });
}

// eslint-disable-next-line @typescript-eslint/require-await -- every figure is async; this one has nothing to wait for
export async function domainFigure(_ctx: unknown, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const all = samples();
  const iterations = options.domainIterations;
  const at = (i: number) => all[i % all.length];
  // Each loop folds its results into a number, so that no computation can be skipped.
  const loops = {
    quotes: (count: number) => {
      let yen = 0;
      for (let i = 0; i < count; i++) {
        const { contract, effectiveDate } = at(i);
        yen += terminationFee(SHIPPED_CATALOG, contract, { requestedOn: effectiveDate, effectiveDate }, { taxable: false }).amount;
      }
      return yen;
    },
    charges: (count: number) => {
      let lines = 0;
      for (let i = 0; i < count; i++) {
        const { contract, month } = at(i);
        lines += monthlyCharges(SHIPPED_CATALOG, contract, month).lines.length;
      }
      return lines;
    },
    roundTrips: (count: number) => {
      let versions = 0;
      for (let i = 0; i < count; i++) versions += (JSON.parse(JSON.stringify(at(i).contract)) as Contract).version;
      return versions;
    },
  };
  const warmUp = Math.min(iterations, 5_000);
  for (const loop of Object.values(loops)) loop(warmUp);
  const quotes = timedSync(() => loops.quotes(iterations));
  const charges = timedSync(() => loops.charges(iterations));
  const roundTrips = timedSync(() => loops.roundTrips(iterations));
  const reference = { name: 'JSON round trip of the contract', value: perSecond(iterations, roundTrips.seconds), unit: 'round trips/s' };

  return {
    figure: 'domain',
    title: 'Domain computations',
    seconds: (performance.now() - started) / 1000,
    rows: [
      compare('termination quotes', { value: perSecond(iterations, quotes.seconds), unit: '/s', detail: `${iterations} over ${SAMPLES} contracts` }, reference),
      compare('monthly charges', { value: perSecond(iterations, charges.seconds), unit: '/s', detail: `${iterations} over ${SAMPLES} contracts` }, reference),
    ],
    counts: {
      samples: all.length,
      quotes: iterations,
      charges: iterations,
      roundTrips: iterations,
      // Checksums of the computed results: they change only when the rules or tariff do.
      quotedYen: quotes.result,
      chargeLines: charges.result,
      versionsRead: roundTrips.result,
    },
  };
}
