import { Logger } from '@aws-lambda-powertools/logger';

export interface LogLine {
  level: 'INFO' | 'WARN' | 'ERROR';
  message: string;
  fields: Record<string, unknown>;
}

/**
 * A Powertools logger that prints nothing and hands each line, its children's included,
 * to `tap`: for the bench and the tests, which read what the functions log.
 */
export class TapLogger extends Logger {
  constructor(private readonly tap: (line: LogLine) => void) {
    super({ logLevel: 'SILENT' });
  }

  override createChild(): Logger {
    return this;
  }

  override info(...args: Parameters<Logger['info']>): void {
    this.record('INFO', args);
  }

  override warn(...args: Parameters<Logger['warn']>): void {
    this.record('WARN', args);
  }

  override error(...args: Parameters<Logger['error']>): void {
    this.record('ERROR', args);
  }

  private record(level: LogLine['level'], [input, ...extra]: Parameters<Logger['info']>): void {
    const message = typeof input === 'string' ? input : String(input.message);
    const fields: Record<string, unknown> = {};
    for (const item of extra) if (typeof item === 'object' && !(item instanceof Error)) Object.assign(fields, item);
    this.tap({ level, message, fields });
  }
}
