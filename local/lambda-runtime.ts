import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/**
 * Just enough of the Lambda runtime to run the real handler functions in this process:
 * a context object, a timeout, and the JSON round trip Lambda puts between caller and
 * function (so a handler can never hold or mutate the caller's objects, as on AWS).
 */
export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

export interface LocalFunction {
  name: string;
  timeoutMs: number;
  /** What the context reports as memoryLimitInMB (functions/topology/function-sizing.ts); default 1024. */
  memoryMb?: number;
  handler: LambdaHandler;
}

export const LOCAL_REGION = 'ap-northeast-1';
export const LOCAL_ACCOUNT = '000000000000';

export class LambdaTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName} timed out after ${timeoutMs} ms (Task timed out)`);
    this.name = 'LambdaTimeoutError';
  }
}

function unsupportedCallback(): never {
  throw new Error('The local runtime supports async handlers only (context.done/fail/succeed are deprecated)');
}

function contextFor(fn: LocalFunction, deadline: number): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${fn.name}`,
    memoryLimitInMB: String(fn.memoryMb ?? 1024),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupportedCallback,
    fail: unsupportedCallback,
    succeed: unsupportedCallback,
  };
}

/**
 * Invokes `fn` with a serialized copy of `event` and resolves with a serialized copy of
 * its result. A timed-out handler keeps running in this process (nothing can stop a
 * promise), but its caller sees the failure when Lambda would, and retries like AWS.
 */
export async function invokeFunction(fn: LocalFunction, event: unknown): Promise<unknown> {
  const deadline = Date.now() + fn.timeoutMs;
  const payload = JSON.parse(JSON.stringify(event)) as never;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LambdaTimeoutError(fn.name, fn.timeoutMs)), fn.timeoutMs);
  });
  try {
    const result = await Promise.race([fn.handler(payload, contextFor(fn, deadline)), timeout]);
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  } finally {
    clearTimeout(timer);
  }
}
