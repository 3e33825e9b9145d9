import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { invocationLogger, Invocations } from '../../functions/observability/invocation-logger';
import { capturedJsonLines } from '../support/observability';

const context = {
  functionName: 'lookup-api',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-1:0:function:lookup-api',
  memoryLimitInMB: '512',
} as Context;
const savedType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;

function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  return { lines: capturedJsonLines(), logger: new Logger({ serviceName: 'omakase-contracts', logLevel: 'INFO' }) };
}

afterEach(() => {
  jest.restoreAllMocks();
  if (savedType === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = savedType;
});

describe('the logger of an invocation', () => {
  it('reports a cold start on the first invocation of a handler only, on Lambda on-demand', () => {
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const { logger, lines } = recordingLogger();
    const invocations = new Invocations();
    for (let i = 0; i < 3; i++) invocationLogger(logger, context, invocations.next()).info(`call ${i}`);
    expect(lines.map((line) => [line.message, line.cold_start, line.function_request_id])).toEqual([
      ['call 0', true, 'req-1'],
      ['call 1', false, 'req-1'],
      ['call 2', false, 'req-1'],
    ]);
  });

  it('counts the invocations of each handler apart, even on one parent logger (the local stack)', () => {
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const { logger, lines } = recordingLogger();
    const application = new Invocations();
    const cancellation = new Invocations();
    invocationLogger(logger, context, application.next()).info('application');
    invocationLogger(logger, context, cancellation.next()).info('cancellation');
    invocationLogger(logger, context, application.next()).info('application again');
    expect(lines.map((line) => [line.message, line.cold_start])).toEqual([
      ['application', true],
      ['cancellation', true],
      ['application again', false],
    ]);
  });

  it('reports no cold start off Lambda, and keeps the keys of one invocation out of another', () => {
    delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    const { logger, lines } = recordingLogger();
    const invocations = new Invocations();
    const first = invocationLogger(logger, context, invocations.next());
    const second = invocationLogger(logger, undefined, invocations.next());
    first.appendKeys({ orderId: 'ORD-1' });
    second.appendKeys({ orderId: 'ORD-2' });
    first.info('first');
    second.info('second');
    expect(lines).toEqual([
      expect.objectContaining({ message: 'first', orderId: 'ORD-1', cold_start: false }),
      expect.not.objectContaining({ cold_start: expect.anything() }),
    ]);
    expect(lines[1]).toMatchObject({ message: 'second', orderId: 'ORD-2' });
  });
});
