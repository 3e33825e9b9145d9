import type { APIGatewayProxyEvent, EventBridgeEvent } from 'aws-lambda';
import fc from 'fast-check';
import { SchedulePayloadError } from '../../../functions/schemas/renewal';
import { createLookupApiHandler } from '../../../functions/handlers/lookup-api';
import { createMonthlyRenewalHandler } from '../../../functions/handlers/monthly-renewal';
import type { InboundHandler } from '../../../functions/handlers/inbound-handler';
import { LOOKUP_RESOURCES } from '../../../functions/http/routes';
import { inboundHandlers } from '../support/contracts';
import { application, harness, inboundEvent, newOrderId } from '../support/fixtures';
import { useTable } from '../support/suite';
import { countStalled, printCounts, printDrill } from './support/drills';
import { testDeps } from '../../support/handler-deps';

/**
 * Fault drill: fuzzed bad input (fast-check) into the inbound handlers, the renewal
 * handler and the lookup API. Inputs start from valid requests with fields replaced by
 * junk, dropped or added, or are junk outright, and arrive as EventBridge would deliver
 * them (JSON). No handler may throw (a throw is a retry loop on Lambda) or answer 500;
 * each inbound event gets exactly one outcome, a refusal unless it happens to be valid,
 * or a dead letter with its reason; the renewal refuses a bad payload with the failing
 * fields; the lookup API answers 4xx with an error body.
 */
const t = useTable('drill-fuzz');

const SEED = 20231229;
const RUNS = { inbound: 150, renewal: 60, lookup: 300 };

/** JSON nested `depth` deep: what a recursive reader overflows on. */
const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
};

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  // Around every length limit (ids 64, names 200, phone 32, the readable orderId 1,024), and far past them.
  fc.integer({ min: 0, max: 3 }).chain((k) => fc.string({ minLength: [31, 63, 199, 1023][k] ?? 0, maxLength: ([31, 63, 199, 1023][k] ?? 0) + 3 })),
  fc.string({ minLength: 20_000, maxLength: 60_000 }),
  fc.integer({ min: 10, max: 1_000 }).map(nested),
  fc.constantFrom({}, [], '', { services: {} }, { M: {} }),
  fc.constantFrom('', ' ', '2024-02-30', '2024-05-01T10:00:00', '2023-12-28T23:59:59+09:00', 'prime-plus', '0', '-1', 'null'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

const DROP = '\u0000drop';

/** `value` with each field (recursively) kept, replaced by junk or dropped, and maybe an unknown field added; sometimes junk itself. */
function mutated(value: unknown, depth = 0): fc.Arbitrary<unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > 4) return fc.oneof(fc.constant(value), junk);
  const fields = Object.entries(value).map(([key, child]) => fc.oneof(mutated(child, depth + 1), fc.constant(DROP)).map((v) => [key, v] as const));
  const object = fc.tuple(fc.tuple(...fields), fc.option(fc.tuple(fc.string({ maxLength: 8 }), junk), { nil: null })).map(([entries, extra]) => ({
    ...Object.fromEntries(entries.filter(([, v]) => v !== DROP)),
    ...(extra ? { [extra[0]]: extra[1] } : {}),
  }));
  return fc.oneof({ weight: 5, arbitrary: object }, { weight: 1, arbitrary: junk });
}

/**
 * A mutated detail whose orderId is mostly left readable, so that most inputs reach the
 * use case and its refusals rather than stopping at the dead letter.
 */
function withOrderId(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const { orderId, ...rest } = base;
  const id = fc.oneof({ weight: 4, arbitrary: fc.constant(orderId) }, { weight: 1, arbitrary: fc.oneof(junk, fc.constant(DROP)) });
  return fc
    .tuple(mutated(rest), id)
    .map(([detail, value]) =>
      typeof detail === 'object' && detail !== null && !Array.isArray(detail) && value !== DROP ? { ...detail, orderId: value } : detail,
    );
}

/** What EventBridge delivers: JSON, so no undefined, NaN or Infinity survives. */
const delivered = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;

interface Tally {
  inputs: number;
  /** New outcome events seen on the bus, and those repeating one already there (docs/terms.md K1). */
  outcomes: number;
  republished: number;
  /** Inputs that ended with neither an outcome nor a dead letter. */
  lost: number;
  refusals: Record<string, number>;
  accepted: number;
  duplicates: number;
  deadLetters: number;
}

async function fuzzInbound<D extends string>(detailType: D, handler: InboundHandler<D>, base: () => Record<string, unknown>): Promise<Tally> {
  const tally: Tally = { inputs: 0, outcomes: 0, republished: 0, lost: 0, refusals: {}, accepted: 0, duplicates: 0, deadLetters: 0 };
  const envelope = fc.oneof(
    { weight: 8, arbitrary: fc.constant(detailType) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'ContractApplicationSubmitted',
        'ServicesChangeRequested',
        'CancellationRequested',
        'PlanChangeRequested',
        'OneOffServiceOrdered',
        '',
        'x',
      ),
    },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constant(null).chain(() => withOrderId(base())),
      envelope,
      async (detail, type) => {
        tally.inputs += 1;
        // Now and then another detail-type: a misrouted event, which the handler must not take for its own.
        const event = delivered(inboundEvent(type, detail)) as EventBridgeEvent<D, unknown>;
        const orderId = (event.detail as { orderId?: unknown } | null)?.orderId;
        const before = typeof orderId === 'string' ? t.h.bus.forOrder(orderId).length : 0;
        const letters = t.h.deadLetters.letters.length;

        const result = await handler(event);

        if ('deadLettered' in result) {
          tally.deadLetters += 1;
          expect(t.h.deadLetters.letters.length).toBe(letters + 1);
          expect(result.reason.trim()).not.toBe('');
          return;
        }
        const outcomes = t.h.bus.forOrder(result.orderId);
        tally.outcomes += outcomes.length - before;
        if (outcomes.length === 0) tally.lost += 1;
        const keys = outcomes.map((event) => event.detail.eventKey as string);
        tally.republished += keys.length - new Set(keys).size - (before - new Set(keys.slice(0, before)).size);
        expect(outcomes.length).toBe(result.duplicate ? before : before + 1);
        expect(outcomes.length).toBeGreaterThan(0);
        if (result.duplicate) tally.duplicates += 1;
        const outcome = outcomes.at(-1)?.detail as { reasons?: Array<{ code: string; message: string; clause: string }> };
        if (!outcome.reasons) {
          tally.accepted += 1;
          return;
        }
        expect(outcome.reasons.length).toBeGreaterThan(0);
        for (const reason of outcome.reasons) {
          expect(reason).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), clause: expect.any(String) }));
          tally.refusals[reason.code] = (tally.refusals[reason.code] ?? 0) + 1;
        }
      },
    ),
    { seed: SEED, numRuns: RUNS.inbound },
  );
  return tally;
}

let contractId: string;

// useTable's per-test handlers do not exist yet in beforeAll: these are on a harness of their own.
beforeAll(async () => {
  contractId = await inboundHandlers(harness(t.table)).created();
});

describe('fuzzed bad input', () => {
  it('gets every inbound event a refusal, an outcome or a dead letter with its reason, never a crash', async () => {
    const requestedAt = '2024-06-01T09:00:00+09:00';
    const tallies = {
      application: await fuzzInbound('ContractApplicationSubmitted', t.handlers.apply, () => application()),
      servicesChange: await fuzzInbound('ServicesChangeRequested', t.handlers.change, () => ({
        orderId: newOrderId('fuzz-chg'),
        requestedAt,
        contractId,
        services: { edrSecurity: { terminals: 12 }, gatewaySecurity: { tier: 10, failureSupport24h: true } },
      })),
      // Before the cancellation fuzz, which may cancel the contract.
      planChange: await fuzzInbound('PlanChangeRequested', t.handlers.changePlan, () => ({
        orderId: newOrderId('fuzz-plan'),
        requestedAt,
        contractId,
        effectiveDate: '2024-07-01',
        plan: { code: 'prime-plus', tier: 50 },
        services: { edrSecurity: { terminals: 8 } },
      })),
      oneOff: await fuzzInbound('OneOffServiceOrdered', t.handlers.orderOneOff, () => ({
        orderId: newOrderId('fuzz-one'),
        requestedAt,
        contractId,
        date: '2024-06-05',
        visitSupport: {
          items: [
            { item: 'basicWork', quantity: 1 },
            { item: 'routerInstallation.highEnd', quantity: 2 },
          ],
        },
        dataMigration: { devices: [{ volumeGB: 3 }, { volumeGB: 5200 }] },
        mailTraining: { mails: 12 },
      })),
      cancellation: await fuzzInbound('CancellationRequested', t.handlers.cancel, () => ({
        orderId: newOrderId('fuzz-cxl'),
        requestedAt,
        contractId,
        effectiveDate: '2024-07-31',
      })),
    };
    const stalled = await countStalled(t.table.client, t.table.settings.tableName);
    for (const [kind, tally] of Object.entries(tallies)) {
      const counts = {
        delivered: tally.inputs,
        outcomes: tally.outcomes,
        duplicates: tally.republished,
        deadLetters: tally.deadLetters,
        lost: tally.lost,
        stalled,
      };
      printDrill(`fuzz inbound (${kind})`, counts, { refusals: tally.refusals, accepted: tally.accepted, duplicateDeliveries: tally.duplicates });
      expect(tally.inputs).toBe(RUNS.inbound);
      expect(tally.outcomes + tally.deadLetters + tally.duplicates).toBe(tally.inputs);
      expect(counts).toMatchObject({ duplicates: 0, lost: 0, stalled: 0 });
    }
  }, 240_000);

  it('refuses every bad renewal payload with its fields, and runs the valid ones', async () => {
    const run = createMonthlyRenewalHandler({ ...testDeps(t.h.deps), tuning: { shardConcurrency: 4 } });
    const payload = fc.oneof(
      fc.anything(),
      fc.record(
        {
          scheduledTime: fc.oneof(
            junk,
            fc.constantFrom('2024-06-01T00:05:00+09:00', '2024-05-31T15:05:00Z', '2025-01-01T00:05:00+09:00'),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          shards: fc.oneof(junk, fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    );
    const tally = { inputs: 0, refused: 0, ran: 0 };
    await fc.assert(
      fc.asyncProperty(payload, async (input) => {
        tally.inputs += 1;
        const outcome = await run(delivered(input)).then(
          () => 'ran' as const,
          (error: unknown) => error,
        );
        if (outcome === 'ran') {
          tally.ran += 1;
          return;
        }
        expect(outcome).toBeInstanceOf(SchedulePayloadError);
        expect((outcome as SchedulePayloadError).fields.length).toBeGreaterThan(0);
        tally.refused += 1;
      }),
      { seed: SEED, numRuns: RUNS.renewal },
    );
    printCounts('fuzz renewal payload', tally);
    expect(tally.refused + tally.ran).toBe(RUNS.renewal);
  }, 60_000);

  it('answers every fuzzed lookup with 2xx or 4xx and an error body, never a 500', async () => {
    const lookup = createLookupApiHandler(testDeps(t.h.deps));
    const segment = fc.oneof(
      fc.constant(contractId),
      fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('', '%', '%E0%A4%A', '..', 'C-001', 'x'.repeat(201)),
    );
    const resourcePath = fc.tuple(fc.constantFrom(...LOOKUP_RESOURCES), segment).map(([resource, value]) => resource.replace(/\{[^}]+\}/g, value));
    const path = fc.oneof(
      { weight: 3, arbitrary: resourcePath },
      { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }).map((parts) => `/${parts.join('/')}`) },
    );
    const query = fc.oneof(
      fc.constant(null),
      fc.dictionary(
        fc.constantFrom('date', 'month', 'x', ''),
        fc.oneof(fc.constantFrom('2024-07-31', '2024-06', '2023-11-30', '2023-11', '2024-02-30'), fc.string({ maxLength: 12 })),
        { maxKeys: 2 },
      ),
    );
    const method = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'DELETE', 'get');
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(path, query, method, async (p, q, m) => {
        const response = await lookup({ httpMethod: m, path: p, queryStringParameters: q } as APIGatewayProxyEvent);
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        // 409: a quote on a contract with its cancellation recorded (interface §3).
        expect([200, 400, 404, 405, 409]).toContain(response.statusCode);
        const body = JSON.parse(response.body) as { error?: { code?: unknown; message?: unknown } };
        if (response.statusCode !== 200) expect(body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
      }),
      { seed: SEED, numRuns: RUNS.lookup },
    );
    printCounts('fuzz lookup API', { requests: RUNS.lookup, statuses });
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(RUNS.lookup);
  }, 60_000);
});
