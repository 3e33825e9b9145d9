import type { Context } from 'aws-lambda';
import type { RenewalHandlerDeps } from '../../functions/wiring/dependencies';
import { METRIC } from '../../functions/observability/metrics';
import { InvalidRequestError } from '../../functions/http/errors';
import { createMonthlyRenewalHandler } from '../../functions/handlers/monthly-renewal';
import { SchedulePayloadError } from '../../functions/schemas/renewal';
import { RenewalIncompleteError } from '../../functions/use-cases/monthly-renewal';
import { quietMetrics, silentLogger } from '../support/observability';

/** The renewal handler around its use case, with a stand-in store (no DynamoDB). */
const JANUARY_RUN = '2025-01-01T00:05:00+09:00';

function handlerWith(store: Partial<RenewalHandlerDeps['store']>) {
  const metrics = quietMetrics();
  const flushed: string[][] = [];
  const publish = metrics.publishStoredMetrics.bind(metrics);
  metrics.publishStoredMetrics = () => {
    flushed.push(metrics.serializeMetrics()._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((metric) => metric.Name)));
    return publish();
  };
  const emptyStore = {
    renewalShards: 2,
    dueForRenewal: () => Promise.resolve({ contractIds: [], cursor: null }),
    contractsInRenewalMonth: () => Promise.resolve({ contracts: [], cursor: null }),
    getContracts: () => Promise.resolve([]),
  };
  const run = createMonthlyRenewalHandler({
    store: { ...emptyStore, ...store } as unknown as RenewalHandlerDeps['store'],
    clock: { now: () => new Date(JANUARY_RUN) },
    logger: silentLogger(),
    metrics,
  });
  return { run, metrics, flushed };
}

const outOfTime = { getRemainingTimeInMillis: () => 0 } as Context;
const RENEWAL_METRICS = [METRIC.contractsRenewed, METRIC.termsRenewed, METRIC.renewalFailures, METRIC.renewalNotices];

describe('monthly renewal handler', () => {
  it('flushes its counts once for a complete run', async () => {
    const { run, flushed } = handlerWith({});
    await expect(run({ scheduledTime: JANUARY_RUN })).resolves.toMatchObject({ complete: true, renewed: 0 });
    expect(flushed).toEqual([RENEWAL_METRICS]);
  });

  it('flushes its counts when it throws RenewalIncompleteError for a retry', async () => {
    const { run, metrics, flushed } = handlerWith({});
    await expect(run({ scheduledTime: JANUARY_RUN }, outOfTime)).rejects.toBeInstanceOf(RenewalIncompleteError);
    expect(flushed).toEqual([RENEWAL_METRICS]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('leaves nothing stored for the next invocation when the run fails', async () => {
    const { run, metrics } = handlerWith({ dueForRenewal: () => Promise.reject(new Error('DynamoDB is down')) });
    await expect(run({ scheduledTime: JANUARY_RUN })).rejects.toThrow('DynamoDB is down');
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it.each([
    ['an unreadable payload', { scheduledTime: '2025-01-01 00:05' }, 'scheduledTime'],
    ['an unknown shard', { scheduledTime: JANUARY_RUN, shards: [2] }, 'shards'],
    ['a month that has not begun', { scheduledTime: '2025-02-01T00:05:00+09:00' }, 'scheduledTime'],
  ])('refuses %s with a SchedulePayloadError (not a request error) naming the field, and counts nothing', async (_, payload, path) => {
    const { run, flushed } = handlerWith({});
    const refusal = await run(payload).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SchedulePayloadError);
    expect(refusal).not.toBeInstanceOf(InvalidRequestError);
    expect(refusal).toMatchObject({ fields: [expect.objectContaining({ path })] });
    expect(flushed).toEqual([]);
  });
});
