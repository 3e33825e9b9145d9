import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DeadLetter, DeadLetterSink } from '../../functions/events/dead-letter';
import { TapLogger, type LogLine } from '../../local/tap-logger';

/**
 * What Powertools writes from now on, each line parsed (INFO lines and EMF records go to
 * stdout, WARN and ERROR to stderr), instead of printing it; jest.restoreAllMocks ends it.
 */
export function capturedJsonLines(): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  const keep = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(keep);
  jest.spyOn(process.stderr, 'write').mockImplementation(keep);
  return lines;
}

/** A Powertools logger that writes nothing: for tests whose subject is not the log. */
export function silentLogger(): Logger {
  return new Logger({ logLevel: 'SILENT' });
}

/** Powertools metrics that store what the code adds but never print it. */
export function quietMetrics(): Metrics {
  const metrics = new Metrics({ namespace: 'test', serviceName: 'test' });
  metrics.publishStoredMetrics = () => {
    metrics.clearMetrics();
    return metrics;
  };
  return metrics;
}

/** For tests that run the handlers without a queue. */
export class InMemoryDeadLetterSink implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];

  deadLetter(reason: string, payload: unknown): void {
    this.letters.push({ at: new Date().toISOString(), reason, payload });
  }
}

/** A Powertools logger that keeps what the code logs, its children's lines included, for a test to read. */
export class RecordingLogger extends TapLogger {
  readonly lines: LogLine[];

  constructor() {
    const lines: LogLine[] = [];
    super((line) => lines.push(line));
    this.lines = lines;
  }
}
