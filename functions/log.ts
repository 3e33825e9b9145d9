/**
 * Structured logs: one JSON object per line, which CloudWatch Logs Insights queries by
 * field and the local stack prints as is.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function write(level: string, message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ level, message, ...fields }, (_key, value) => (value instanceof Error ? describeError(value) : value)));
}

export const jsonLogger: Logger = {
  info: (message, fields) => write('INFO', message, fields),
  warn: (message, fields) => write('WARN', message, fields),
  error: (message, fields) => write('ERROR', message, fields),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
