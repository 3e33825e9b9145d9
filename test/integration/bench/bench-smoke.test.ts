import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench, writeResults } from '../../../bench/bench';
import { FIGURES, parseBenchArgs, QUICK, type BenchOptions } from '../../../bench/options';
import { formatReport } from '../../../bench/report';
import type { BenchResults, FigureResult } from '../../../bench/results';
import { DEFAULT_RENEWAL_SHARDS } from '../../../functions/wiring/settings';
import { dynamoDbEndpoint } from '../support/dynamodb';

/**
 * The quick benchmark as a smoke test: every figure group runs to the end on the run's
 * DynamoDB Local, and its counts add up. Timings are never asserted (issue 6): only
 * that each figure was measured against its reference.
 */
jest.setTimeout(180_000);

let dir: string;
let options: BenchOptions;
let results: BenchResults;
const counts = (figure: string): Record<string, number> => (results.figures.find((f) => f.figure === figure) as FigureResult).counts;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omakase-bench-smoke-'));
  options = parseBenchArgs(['--quick', '--out', join(dir, 'out', 'results.json')]) as BenchOptions;
  results = await runBench(options, { dynamoDbEndpoint: dynamoDbEndpoint(), report: () => undefined });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('runs every figure group, each row against a reference measured in the same run', () => {
    expect(results.figures.map((figure) => figure.figure)).toEqual([...FIGURES]);
    for (const row of results.figures.flatMap((figure) => figure.rows)) {
      expect(Number.isFinite(row.measured.value)).toBe(true);
      expect(Number.isFinite(row.reference.value)).toBe(true);
      expect(row.ratio === null || Number.isFinite(row.ratio)).toBe(true);
    }
    const table = formatReport(results);
    for (const row of results.figures.flatMap((figure) => figure.rows)) expect(table).toContain(row.item);
  });

  it('sends every application end to end, sees its ContractCreated on the bus, and writes as many raw transactions', () => {
    expect(counts('applications')).toEqual({
      sent: QUICK.applications,
      processed: QUICK.applications,
      contractCreatedOnBus: QUICK.applications,
      failures: 0,
      rawTransactions: QUICK.applications,
    });
  });

  it('meters every operation, and its requests by operation add up to its requests', () => {
    const capacity = counts('capacity');
    expect(capacity.measurements).toBe(capacity.operations * QUICK.capacitySamples);
    expect(capacity.requestsByOperation).toBe(capacity.requests);
    expect(capacity.renewalRequestsByOperation).toBe(capacity.renewalRequests);
    expect(capacity).toMatchObject({ failedRequests: 0, renewalContracts: QUICK.capacityRenewals, renewed: QUICK.capacityRenewals });
  });

  it('renews every seeded contract once, after raw updates of each, and leaves none due', () => {
    const n = QUICK.renewalContracts;
    expect(counts('renewal')).toMatchObject({
      seeded: n,
      rawUpdated: n,
      rawConditionFailed: 0,
      renewed: n,
      termsRenewed: n,
      skipped: 0,
      failed: 0,
      contractWrites: n,
      leftDue: 0,
    });
  });

  it('cold-starts every Lambda bundle and its minimal reference in fresh processes, each first call doing its work', () => {
    const bundles = counts('bundles');
    expect(bundles.functions).toBe(8);
    // The billing run's two functions are built but not cold-started (bench/figures/bundles.ts NOT_MEASURED).
    expect(bundles.notMeasured).toBe(2);
    expect(bundles.bundlesBuilt).toBe(bundles.functions + bundles.notMeasured + bundles.references);
    expect(bundles.processes).toBe(2 * bundles.functions * QUICK.loadRuns);
    // The outcome publisher and its reference each publish one event per run.
    expect(bundles.eventsPublished).toBe(2 * QUICK.loadRuns);
    // Each reference replayed what its function sent: at least one request per function and run.
    expect(bundles.requestsReplayed).toBeGreaterThanOrEqual(bundles.functions * QUICK.loadRuns);
    expect(bundles.bundleBytes).toBeGreaterThan(0);
  });

  it('computes every quote and monthly charge it times', () => {
    const domain = counts('domain');
    expect(domain).toMatchObject({ quotes: QUICK.domainIterations, charges: QUICK.domainIterations, roundTrips: QUICK.domainIterations });
    // Every sample contract has had one services change: version 2.
    expect(domain.versionsRead).toBe(2 * QUICK.domainIterations);
    expect(domain.quotedYen).toBeGreaterThan(0);
    expect(domain.chargeLines).toBeGreaterThanOrEqual(QUICK.domainIterations);
  });

  it('builds the console and serves every lookup it times, as many as the raw reads', () => {
    const figure = counts('console');
    expect(figure).toMatchObject({ lookups: QUICK.lookups, served: QUICK.lookups, rawReads: QUICK.lookups });
    expect(figure.gzippedBytes).toBeGreaterThan(1_000);
  });

  it('bills every seeded contract once, after raw writes of as many invoice items, and leaves none due', () => {
    const n = QUICK.billingContracts;
    expect(counts('billing')).toMatchObject({
      seeded: n,
      rawPut: n,
      rawBatched: n,
      contractsBilled: n,
      invoicesIssued: n,
      invoicesInRun: n,
      shardsCompleted: DEFAULT_RENEWAL_SHARDS,
      failed: 0,
      deadLetters: 0,
      contractWrites: n,
      leftDue: 0,
    });
    // Figure 2's billing run: one invoice per contract, its requests by operation adding up.
    const capacity = counts('capacity');
    expect(capacity).toMatchObject({ billingContracts: QUICK.capacityRenewals, invoicesIssued: QUICK.capacityRenewals });
    expect(capacity.billingRequestsByOperation).toBe(capacity.billingRequests);
  });

  it('writes the results where --out says, as JSON', () => {
    writeResults(results, options.out);
    const written = JSON.parse(readFileSync(options.out, 'utf8')) as BenchResults;
    expect(written.figures.map((figure) => figure.counts)).toEqual(results.figures.map((figure) => figure.counts));
    expect(written.options.out).toBe(options.out);
  });
});
