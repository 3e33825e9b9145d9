import { describeError, type LogPort } from '../functions/use-cases/deps';

/**
 * The local stack's own log (the stream mapping, the bus): one JSON object per line, as
 * the functions' Powertools logger writes them, so one reader handles both.
 */
function write(level: string, message: string, fields: Array<Record<string, unknown>>): void {
  console.log(JSON.stringify(Object.assign({ level, message }, ...fields), (_key, value: unknown) => (value instanceof Error ? describeError(value) : value)));
}

export const jsonLogger: LogPort = {
  info: (message, ...fields) => write('INFO', message, fields),
  warn: (message, ...fields) => write('WARN', message, fields),
  error: (message, ...fields) => write('ERROR', message, fields),
};
