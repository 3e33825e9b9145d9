import type { BenchOptions, Figure } from './options';

/**
 * The shape of bench/results.json. Timings on these machines are noisy, so every
 * figure is a ratio against a reference measured in the same run; `counts` say what
 * was done, so that a run that skipped work cannot pass for a fast one.
 */
export interface Quantity {
  value: number;
  unit: string;
  /** What the number is made of, for the reader (breakdowns, sizes). */
  detail?: string;
}

export interface Comparison {
  item: string;
  measured: Quantity;
  reference: Quantity & { name: string };
  /** measured / reference; null where the reference is 0 and the measured value is not. */
  ratio: number | null;
  /** The target of issue 6 for this figure, and whether this run met it; null where it sets none. */
  target: { text: string; met: boolean } | null;
}

export interface FigureResult {
  figure: Figure;
  title: string;
  seconds: number;
  rows: Comparison[];
  counts: Record<string, number>;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  dynamoDb: string;
}

export interface BenchResults {
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  options: BenchOptions;
  figures: FigureResult[];
}

export function ratioOf(measured: number, reference: number): number | null {
  if (reference === 0) return measured === 0 ? 1 : null;
  return measured / reference;
}

export function compare(
  item: string,
  measured: Quantity,
  reference: Quantity & { name: string },
  target?: { text: string; met: (ratio: number | null) => boolean },
): Comparison {
  const ratio = ratioOf(measured.value, reference.value);
  return { item, measured, reference, ratio, target: target ? { text: target.text, met: target.met(ratio) } : null };
}

/** A speed target of issue 6: at least `minimum` of the reference's rate. */
export const atLeast = (minimum: number) => ({ text: `≥ ${minimum.toFixed(2)}`, met: (ratio: number | null) => ratio !== null && ratio >= minimum });

/** A cost or time target: no more than `maximum` times the reference. */
export const atMost = (maximum: number, text = `≤ ${maximum.toFixed(2)}`) => ({ text, met: (ratio: number | null) => ratio !== null && ratio <= maximum });
