import { gzipSync } from 'node:zlib';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { buildConsole } from '../../console/build';
import { mapLimit } from '../../functions/use-cases/concurrency';
import type { BenchContext } from '../context';
import { dueContract } from '../fixtures';
import type { BenchOptions } from '../options';
import { atLeast, atMost, compare, type FigureResult } from '../results';
import { seedContracts } from '../seed';
import { perSecond, timed } from '../timing';

/**
 * Figure 6: the customer-service console (issue 14). Its JS + CSS gzipped against the
 * budget of 150 KB; and contract lookups per second through the local server (HTTP, the
 * API Gateway event, the lookup function, its GetItem) against raw GetItem through the
 * SDK on the same DynamoDB, the same contracts, the same concurrency.
 */
const BUDGET_BYTES = 150 * 1024;
const IN_FLIGHT = 8;

export async function consoleFigure(ctx: BenchContext, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const assets = buildConsole();
  const gzipped = gzipSync(assets['console.js']).length + gzipSync(assets['console.css']).length;

  const { client, settings } = await ctx.table('bench-console');
  const seeded = await seedContracts({ client, settings, count: 100, contract: (n) => dueContract('CONSOLE', n) });
  const stack = await ctx.localStack(settings);
  const ids = Array.from({ length: options.lookups }, (_, i) => (seeded[i % seeded.length] as { contractId: string }).contractId);
  let served = 0;
  let read = 0;
  const viaServer = () =>
    mapLimit(ids, IN_FLIGHT, async (id) => {
      const response = await fetch(`${stack.url}/contracts/${encodeURIComponent(id)}`);
      await response.arrayBuffer();
      if (response.status === 200) served += 1;
    });
  const raw = () =>
    mapLimit(ids, IN_FLIGHT, async (id) => {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: settings.tableName, Key: { PK: { S: `CONTRACT#${id}` }, SK: { S: 'CONTRACT' } }, ConsistentRead: true }),
      );
      if (Item) read += 1;
    });
  // DynamoDB Local's JVM and both Node paths warm up first (untimed): measured cold, whichever
  // path ran first paid the JIT for the other (0.30 in the run of 2026-12-02 was that).
  ctx.report(`  console: warming up with ${ids.length} lookups and reads`);
  await viaServer();
  await raw();
  served = 0;
  read = 0;
  const server = await timed(viaServer);
  const direct = await timed(raw);
  if (served !== ids.length || read !== ids.length) throw new Error(`console figure: served ${served}, read ${read} of ${ids.length}`);

  return {
    figure: 'console',
    title: 'Customer-service console',
    seconds: (performance.now() - started) / 1000,
    rows: [
      compare(
        'console JS + CSS, gzipped',
        {
          value: Math.round(gzipped / 102.4) / 10,
          unit: 'KB',
          detail: `JS ${assets['console.js'].length} B, CSS ${assets['console.css'].length} B before gzip`,
        },
        { name: 'budget of issue 14', value: BUDGET_BYTES / 1024, unit: 'KB' },
        atMost(1),
      ),
      compare(
        'GET /contracts/{id} through the local server',
        {
          value: perSecond(ids.length, server.seconds),
          unit: 'lookups/s',
          detail: `${ids.length} in ${server.seconds.toFixed(1)} s, ${IN_FLIGHT} in flight, after an untimed warm-up round`,
        },
        { name: 'raw GetItem through the SDK', value: perSecond(ids.length, direct.seconds), unit: 'reads/s' },
        atLeast(0.5),
      ),
    ],
    counts: { gzippedBytes: gzipped, lookups: ids.length, served, rawReads: read },
  };
}
