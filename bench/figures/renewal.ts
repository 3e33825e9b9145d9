import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { monthOf, jstDateOf } from '../../functions/domain/calendar';
import { createMonthlyRenewalHandler } from '../../functions/handlers/monthly-renewal';
import { renewalDependencies } from '../../functions/wiring/dependencies';
import { tableStore } from '../deps';
import { mapLimit } from '../../functions/use-cases/concurrency';
import { DEFAULT_RENEWAL_TUNING } from '../../functions/use-cases/monthly-renewal';
import type { BenchContext, BenchTable } from '../context';
import { dueContract, JANUARY_RUN } from '../fixtures';
import type { BenchOptions } from '../options';
import { atLeast, compare, type FigureResult } from '../results';
import { seedContracts, type SeededContract } from '../seed';
import { perSecond, progressLines, timed } from '../timing';
import { countStillDue, countTransactions } from './scheduled-runs';

/**
 * Figure 3: the monthly renewal over `renewalContracts` Prime Plus contracts seeded in
 * DynamoDB Local, all due, against raw conditional UpdateItem on the same items with as
 * many writes in flight as the renewal allows itself (shards × writes per shard). The
 * renewal is the function the schedule invokes: one transaction per contract, the contract
 * with its ContractRenewed fact (the outbox; the stream publishes the facts, and is off here);
 * the raw updates run first and change no attribute the renewal reads.
 */
export async function renewalFigure(ctx: BenchContext, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const table = await ctx.table('bench-renewal');
  // DynamoDB Local slows every write as its table grows, and more with stream records
  // piling up (raw updates on 100,000 seeded contracts: about 95/s with the stream, 149/s
  // without; 789/s on 10,000); DynamoDB does not. The facts the renewal writes are published
  // from the stream by another function (figure 2 measures that path), so this table's is off.
  await table.client.send(new UpdateTableCommand({ TableName: table.settings.tableName, StreamSpecification: { StreamEnabled: false } }));
  const count = options.renewalContracts;

  ctx.report(`renewal: seeding ${count.toLocaleString('en')} due Prime Plus contracts with BatchWriteItem`);
  const seeded = await timed(() =>
    seedContracts({ client: table.client, settings: table.settings, count, contract: (n) => dueContract('REN', n), report: ctx.report }),
  );

  const inFlight = DEFAULT_RENEWAL_TUNING.shardConcurrency * DEFAULT_RENEWAL_TUNING.writeConcurrency;
  ctx.report(`renewal: raw conditional UpdateItem on the same ${count.toLocaleString('en')} items, ${inFlight} in flight`);
  const raw = await timed(() => rawUpdates(table.client, table.settings.tableName, seeded.result, inFlight, ctx.report));

  ctx.report(`renewal: the monthly renewal function, run for ${JANUARY_RUN}`);
  const dynamoDb = ctx.dynamoDb();
  const written = countTransactions(dynamoDb, 'benchCountContractWrites');
  const run = createMonthlyRenewalHandler(renewalDependencies(table.settings, dynamoDb, { logger: ctx.silentLogger() }));
  const progress = progressLines(ctx.report, 'renewed', count, written);
  const renewal = await timed(() => run({ scheduledTime: JANUARY_RUN })).finally(() => progress.stop());
  const summary = renewal.result;
  const leftDue = await stillDue(table);

  return {
    figure: 'renewal',
    title: `Monthly renewal of ${count.toLocaleString('en')} Prime Plus contracts`,
    seconds: (performance.now() - started) / 1000,
    rows: [
      compare(
        'renewal run, contracts renewed',
        { value: perSecond(summary.renewed, renewal.seconds), unit: 'contracts/s', detail: `${summary.renewed} in ${renewal.seconds.toFixed(1)} s` },
        {
          name: 'raw conditional UpdateItem',
          value: perSecond(raw.result.updated, raw.seconds),
          unit: 'updates/s',
          detail: `${raw.result.updated} in ${raw.seconds.toFixed(1)} s`,
        },
        atLeast(0.5),
      ),
    ],
    counts: {
      seeded: seeded.result.length,
      seedSeconds: Math.round(seeded.seconds),
      rawUpdated: raw.result.updated,
      rawConditionFailed: raw.result.conditionFailed,
      renewed: summary.renewed,
      termsRenewed: summary.termsRenewed,
      skipped: summary.skipped.length,
      failed: summary.failed.length,
      contractWrites: written(),
      leftDue,
    },
  };
}

/** One conditional UpdateItem per contract (on the version it was seeded with), setting an attribute nothing reads. */
async function rawUpdates(client: DynamoDBClient, tableName: string, contracts: SeededContract[], inFlight: number, report: (line: string) => void) {
  const doc = DynamoDBDocumentClient.from(client);
  const result = { updated: 0, conditionFailed: 0 };
  const progress = progressLines(report, 'raw updates', contracts.length, () => result.updated + result.conditionFailed);
  try {
    await mapLimit(contracts, inFlight, async ({ key }) => {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET benchRaw = :now',
            ConditionExpression: '#version = :seeded',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':now': Date.now(), ':seeded': 1 },
          }),
        );
        result.updated += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        result.conditionFailed += 1;
      }
    });
  } finally {
    progress.stop();
  }
  return result;
}

/** Contracts the renewal index still lists as due for the run's month (0 after a complete run). */
function stillDue({ client, settings }: BenchTable): Promise<number> {
  const store = tableStore({ client, tableName: settings.tableName, renewalShards: settings.renewalShards });
  const month = monthOf(jstDateOf(JANUARY_RUN));
  return countStillDue(store.renewalShards, (shard, cursor, limit) => store.dueForRenewal(shard, month, cursor, limit));
}
