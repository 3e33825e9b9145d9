import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRIC, REASON_DIMENSION } from '../../functions/observability/metrics';
import { createCancellationHandler } from '../../functions/handlers/cancellation';
import { createContractApplicationHandler } from '../../functions/handlers/contract-application';
import { POWERTOOLS_ENVIRONMENT } from '../../functions/topology/function-environment';
import { testDeps } from '../support/handler-deps';
import { capturedJsonLines } from '../support/observability';
import { application, inboundEvent, newOrderId } from './support/fixtures';
import { useTable } from './support/suite';

/**
 * What an operator sees of an order: Powertools' JSON log lines, every one of an order
 * carrying its orderId (and contractId), with the Lambda context; and the business
 * metrics the dashboard charts.
 */
const t = useTable('observability');

interface Recorded {
  metrics: Array<{ name: string; value: number; dimensions: Record<string, string> }>;
  lines: Array<Record<string, unknown>>;
}

function observed(): { logger: Logger; metrics: Metrics; recorded: Recorded } {
  const recorded: Recorded = { metrics: [], lines: capturedJsonLines() };
  const logger = new Logger({ serviceName: 'omakase-contracts', logLevel: 'INFO' });
  const metrics = new Metrics({ namespace: 'OmakaseContracts', serviceName: 'omakase-contracts' });
  jest.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
    recorded.metrics.push({ name, value, dimensions: {} });
    return metrics;
  });
  jest.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const dimensions: Record<string, string> = {};
    return {
      addDimension: (name: string, value: string) => void (dimensions[name] = value),
      addMetric: (name: string, _unit: unknown, value: number) => void recorded.metrics.push({ name, value, dimensions }),
    } as unknown as Metrics;
  });
  return { logger, metrics, recorded };
}

const context = {
  functionName: 'contract-application',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-1:0:function:x',
  memoryLimitInMB: '512',
} as Context;

afterEach(() => jest.restoreAllMocks());

describe('an order as the operator sees it', () => {
  it('logs the outcome with its orderId, contractId and the Lambda context, and counts the accepted application', async () => {
    const { logger, metrics, recorded } = observed();
    const detail = application();
    const apply = createContractApplicationHandler(testDeps({ ...t.h.deps, logger, metrics }));
    await apply(inboundEvent('ContractApplicationSubmitted', detail), context);

    const processed = recorded.lines.find((line) => line.message === 'order processed');
    expect(processed).toMatchObject({
      level: 'INFO',
      orderId: detail.orderId,
      outcome: 'ContractCreated',
      function_request_id: 'req-1',
      service: 'omakase-contracts',
    });
    expect(recorded.metrics).toEqual([{ name: METRIC.applicationsAccepted, value: 1, dimensions: {} }]);
  });

  it('counts a refusal once per reason code, under the reason dimension, and its redelivery not again', async () => {
    const { logger, metrics, recorded } = observed();
    const detail = application({
      customer: { customerId: 'C-1', name: '個人', kind: 'individual', phone: '06-0000-0000' },
      plan: { code: 'prime', tier: 10 },
      services: { edrSecurity: { terminals: 8 } },
    });
    const apply = createContractApplicationHandler(testDeps({ ...t.h.deps, logger, metrics }));
    await apply(inboundEvent('ContractApplicationSubmitted', detail), context);
    await apply(inboundEvent('ContractApplicationSubmitted', detail), context);

    const rejected = recorded.metrics.filter((m) => m.name === METRIC.applicationsRejected);
    expect(rejected.map((m) => m.dimensions[REASON_DIMENSION]).sort()).toEqual(['CORPORATE_ONLY', 'EDR_PRIME_CONFLICT', 'PRIME_PLAN_CLOSED']);
    expect(rejected.every((m) => m.value === 1)).toBe(true);
  });

  it('records the termination fee of a cancellation in yen, and keys its log lines by contractId', async () => {
    const { logger, metrics, recorded } = observed();
    const contractId = await t.handlers.created();
    const cancel = createCancellationHandler(testDeps({ ...t.h.deps, logger, metrics }));
    const orderId = newOrderId('cancel');
    await cancel(inboundEvent('CancellationRequested', { orderId, requestedAt: '2024-07-15T09:00:00+09:00', contractId, effectiveDate: '2024-07-31' }));

    const fee = recorded.metrics.find((m) => m.name === METRIC.terminationFeesYen);
    expect(fee?.value).toBeGreaterThan(0);
    expect(recorded.metrics.map((m) => m.name)).toContain(METRIC.cancellations);
    expect(recorded.lines.find((line) => line.message === 'order processed')).toMatchObject({ orderId, contractId });
  });

  it('counts a dead letter', async () => {
    const { logger, metrics, recorded } = observed();
    const apply = createContractApplicationHandler(testDeps({ ...t.h.deps, logger, metrics }));
    await apply(inboundEvent('ContractApplicationSubmitted', { ...application(), orderId: '' }), context);
    expect(recorded.metrics).toEqual([{ name: METRIC.deadLetters, value: 1, dimensions: {} }]);
    expect(recorded.lines.find((line) => line.message === 'event dead-lettered')).toMatchObject({ level: 'WARN', reason: expect.stringContaining('orderId') });
  });
});

/**
 * The EMF records themselves, as CloudWatch reads them from the function's stdout: the
 * namespace and dimensions the dashboard's metrics and SEARCH expressions name
 * (lib/constructs/dashboard.ts), with the settings every function is deployed with.
 */
describe('the metrics as CloudWatch receives them', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  interface Emf {
    _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
    [key: string]: unknown;
  }

  it('writes accepted orders under the service dimension, and each refusal reason under service and reason', async () => {
    Object.assign(process.env, POWERTOOLS_ENVIRONMENT, { POWERTOOLS_METRICS_DISABLED: 'false' });
    const lines = capturedJsonLines();
    const apply = createContractApplicationHandler(testDeps({ ...t.h.deps, logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics() }));
    await apply(inboundEvent('ContractApplicationSubmitted', application()), context);
    const refused = application({
      customer: { customerId: 'C-1', name: '個人', kind: 'individual', phone: '06-0000-0000' },
      plan: { code: 'prime', tier: 10 },
      services: { edrSecurity: { terminals: 8 } },
    });
    await apply(inboundEvent('ContractApplicationSubmitted', refused), context);

    const records = lines.filter((line): line is Emf => '_aws' in line);
    const directives = records.map((record) => ({ ...record._aws.CloudWatchMetrics[0], values: record }));
    expect(directives.every((d) => d.Namespace === POWERTOOLS_ENVIRONMENT.POWERTOOLS_METRICS_NAMESPACE)).toBe(true);
    expect(directives.every((d) => d.values.service === POWERTOOLS_ENVIRONMENT.POWERTOOLS_SERVICE_NAME)).toBe(true);
    const accepted = directives.find((d) => d.Metrics.some((m) => m.Name === METRIC.applicationsAccepted));
    expect(accepted).toMatchObject({ Dimensions: [['service']], Metrics: [{ Name: METRIC.applicationsAccepted, Unit: 'Count' }] });
    expect(accepted?.values[METRIC.applicationsAccepted]).toBe(1);
    const rejections = directives.filter((d) => d.Metrics.some((m) => m.Name === METRIC.applicationsRejected));
    const byCode = rejections
      .map((d) => ({ dimensions: [...(d.Dimensions[0] ?? [])].sort(), code: d.values[REASON_DIMENSION], count: d.values[METRIC.applicationsRejected] }))
      .sort((a, b) => String(a.code).localeCompare(String(b.code)));
    expect(byCode).toEqual(
      ['CORPORATE_ONLY', 'EDR_PRIME_CONFLICT', 'PRIME_PLAN_CLOSED'].map((code) => ({ dimensions: [REASON_DIMENSION, 'service'], code, count: 1 })),
    );
  });
});
