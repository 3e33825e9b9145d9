import { parseArgs } from 'node:util';

/**
 * What `npm run bench` measures and how much of it. The defaults are the sizes of
 * issue 6; `--quick` scales every group down to seconds (the smoke test in `npm test`
 * runs that), and each size can be set on its own.
 */
export const FIGURES = ['applications', 'capacity', 'renewal', 'bundles', 'domain', 'console', 'billing'] as const;
export type Figure = (typeof FIGURES)[number];

export interface BenchOptions {
  figures: Figure[];
  /** Applications sent end to end, and raw transactions written, each. */
  applications: number;
  /** Applications in flight at once, end to end and raw alike. */
  concurrency: number;
  /** Times each operation is measured for its DynamoDB requests and capacity. */
  capacitySamples: number;
  /** Contracts renewed in the capacity group's renewal run. */
  capacityRenewals: number;
  /** Prime Plus contracts seeded, then updated raw and renewed. */
  renewalContracts: number;
  /** Cold starts (fresh `node` processes) of each function and of its reference (median taken). */
  loadRuns: number;
  /** Termination quotes and monthly charges computed, each. */
  domainIterations: number;
  /** Contract lookups through the local server, and raw GetItem calls, each (the console figure). */
  lookups: number;
  /** Prime Plus contracts seeded, then their invoice items written raw, then billed (figure 7). */
  billingContracts: number;
  /** Where the results go as JSON. */
  out: string;
}

export const FULL: Omit<BenchOptions, 'figures' | 'out'> = {
  applications: 1_000,
  concurrency: 32,
  capacitySamples: 20,
  capacityRenewals: 1_000,
  renewalContracts: 100_000,
  loadRuns: 20,
  domainIterations: 200_000,
  lookups: 2_000,
  billingContracts: 100_000,
};

export const QUICK: Omit<BenchOptions, 'figures' | 'out'> = {
  applications: 20,
  concurrency: 8,
  capacitySamples: 2,
  capacityRenewals: 20,
  renewalContracts: 200,
  loadRuns: 1,
  domainIterations: 1_000,
  lookups: 40,
  billingContracts: 200,
};

export const DEFAULT_OUT = 'bench/results.json';

export const USAGE = `npm run bench -- [options]

  --quick                    every size scaled down to a run of seconds
  --only LIST                figure groups, comma-separated: ${FIGURES.join(',')}
  --applications N           applications end to end, and raw transactions (default ${FULL.applications})
  --concurrency N            applications in flight at once (default ${FULL.concurrency})
  --capacity-samples N       measurements per operation (default ${FULL.capacitySamples})
  --capacity-renewals N      contracts in the capacity group's renewal run (default ${FULL.capacityRenewals})
  --renewal-contracts N      Prime Plus contracts seeded and renewed (default ${FULL.renewalContracts})
  --load-runs N              cold starts of each function and of its reference (default ${FULL.loadRuns})
  --domain-iterations N      quotes and charge computations, each (default ${FULL.domainIterations})
  --lookups N                contract lookups through the local server, and raw reads (default ${FULL.lookups})
  --billing-contracts N      Prime Plus contracts seeded, written raw and billed (default ${FULL.billingContracts})
  --out FILE                 results as JSON (default ${DEFAULT_OUT})

DynamoDB Local is started for the run (Java 17+), unless DYNAMODB_ENDPOINT names one.`;

export class BenchUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'BenchUsageError';
  }
}

const SIZES = {
  applications: 'applications',
  concurrency: 'concurrency',
  'capacity-samples': 'capacitySamples',
  'capacity-renewals': 'capacityRenewals',
  'renewal-contracts': 'renewalContracts',
  'load-runs': 'loadRuns',
  'domain-iterations': 'domainIterations',
  lookups: 'lookups',
  'billing-contracts': 'billingContracts',
} as const;

/** The options of a command line; null when it asks for help. */
export function parseBenchArgs(argv: string[]): BenchOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        quick: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        only: { type: 'string' },
        out: { type: 'string' },
        ...Object.fromEntries(Object.keys(SIZES).map((flag) => [flag, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return null;
  const options: BenchOptions = { ...(values.quick ? QUICK : FULL), figures: [...FIGURES], out: String(values.out ?? DEFAULT_OUT) };
  for (const [flag, key] of Object.entries(SIZES)) {
    const value = values[flag];
    if (typeof value === 'string') options[key] = positiveInteger(flag, value);
  }
  if (typeof values.only === 'string') options.figures = figureList(values.only);
  return options;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`--${flag} must be a whole number of 1 or more, not ${value}`);
  return n;
}

function figureList(value: string): Figure[] {
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(FIGURES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new BenchUsageError(`--only takes ${FIGURES.join(', ')}; unknown: ${unknown.join(', ')}`);
  return FIGURES.filter((figure) => names.includes(figure));
}
