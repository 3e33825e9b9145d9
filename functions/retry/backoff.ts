import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one backoff of the code that retries outside the SDK (which retries its own calls):
 * full jitter over an exponential ceiling, so that losers of a race spread out instead of
 * colliding again. Attempt 1 waits up to `baseMs`·2, each later one twice as long, never
 * more than `capMs`.
 */
export function backoffCeilingMs(attempt: number, options: { baseMs: number; capMs: number }): number {
  return Math.min(options.capMs, options.baseMs * 2 ** attempt);
}

export function jitteredBackoff(attempt: number, options: { baseMs: number; capMs: number }): Promise<void> {
  return sleep(Math.random() * backoffCeilingMs(attempt, options));
}
