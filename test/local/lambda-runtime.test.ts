import type { Context } from 'aws-lambda';
import { FUNCTION_SIZING, timeoutMsOf } from '../../functions/topology/function-sizing';
import { invokeFunction, LambdaTimeoutError } from '../../local/lambda-runtime';

describe('local Lambda runtime', () => {
  it("gives the handler a context with its function's memory and the time it has left", async () => {
    const fn = {
      name: 'lookup-api',
      timeoutMs: timeoutMsOf('lookup-api'),
      memoryMb: FUNCTION_SIZING['lookup-api'].memoryMb,
      handler: (_event: never, context: Context) => Promise.resolve({ memory: context.memoryLimitInMB, left: context.getRemainingTimeInMillis() }),
    };
    const seen = (await invokeFunction(fn, {})) as { memory: string; left: number };
    expect(seen.memory).toBe(String(FUNCTION_SIZING['lookup-api'].memoryMb));
    expect(seen.left).toBeGreaterThan(0);
    expect(seen.left).toBeLessThanOrEqual(FUNCTION_SIZING['lookup-api'].timeoutSeconds * 1_000);
  });

  it('times a function out after its timeout', async () => {
    const fn = { name: 'slow', timeoutMs: 20, handler: () => new Promise<never>(() => {}) };
    await expect(invokeFunction(fn, {})).rejects.toBeInstanceOf(LambdaTimeoutError);
  });
});
