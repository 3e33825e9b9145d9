import { performance } from 'node:perf_hooks';

/** Wall-clock timing, medians and progress lines: the only clocks the bench reads. */

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

export function timedSync<T>(work: () => T): { result: T; seconds: number } {
  const started = performance.now();
  const result = work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

export const perSecond = (count: number, seconds: number): number => (seconds > 0 ? count / seconds : 0);

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Prints `label: done / total (pct), rate` every `everyMs` while long work runs, reading
 * `done` from whatever counts it; `stop` prints the last line.
 */
export function progressLines(report: (line: string) => void, label: string, total: number, done: () => number, everyMs = 5_000): { stop(): void } {
  const started = performance.now();
  const line = () => {
    const seconds = (performance.now() - started) / 1000;
    const count = done();
    const percent = total > 0 ? Math.floor((100 * count) / total) : 100;
    report(
      `  ${label}: ${count.toLocaleString('en')} / ${total.toLocaleString('en')} (${percent}%) in ${seconds.toFixed(1)} s, ${Math.round(perSecond(count, seconds)).toLocaleString('en')}/s`,
    );
  };
  const timer = setInterval(line, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      line();
    },
  };
}
