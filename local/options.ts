import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { loadSettings, type Settings } from '../functions/wiring/settings';
import { fieldIssues } from '../functions/schemas/field-issues';
import { wholeNumberText } from '../functions/schemas/settings';
import { DEFAULT_RETRY, type RetryPolicy } from './event-bus';
import { DEFAULT_PORT } from './stack';

/**
 * `npm start`'s options, from flags and the environment: read by one schema, so that a
 * bad value ends the command with one line naming the option and its rule, as the
 * functions' settings do (functions/wiring/settings.ts, whose checks it runs too).
 */
export const USAGE = `Usage: npm start [-- --data-dir DIR]

Runs DynamoDB Local, the local event bus, the lookup API and the /_local endpoints
on http://127.0.0.1:$PORT. See docs/local-stack.md, "Options".

  --data-dir DIR   keep DynamoDB data in DIR across restarts (env LOCAL_DATA_DIR); default: in memory
  -h, --help       this text

Environment: PORT (default ${DEFAULT_PORT}), LOCAL_DATA_DIR, DYNAMODB_ENDPOINT (use that DynamoDB
instead of starting one), LOCAL_RETRY_ATTEMPTS (default ${DEFAULT_RETRY.maxAttempts}),
LOCAL_RETRY_DELAY_MS (default ${DEFAULT_RETRY.baseDelayMs}), LOCAL_SCHEDULES (default on: the monthly renewal
and billing runs fire on this machine's clock, as EventBridge Scheduler fires them; off: only
by hand), the functions' own settings (TABLE_NAME, EVENT_BUS_NAME, TARIFF_OVERRIDES,
TERMINATION_FEE_TAXABLE, RENEWAL_SHARDS, AWS_ATTEMPT_TIMEOUT_MS, INVOICE_ISSUER_NAME,
INVOICE_REGISTRATION_NUMBER), POWERTOOLS_LOG_LEVEL (default INFO) and POWERTOOLS_METRICS_DISABLED
(default true here: the functions' EMF lines would bury the log).`;

/** A mistake in the command or its environment: its message is the one line `npm start` prints. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface StartOptions {
  help: boolean;
  port: number;
  dataDir: string | null;
  settings: Settings;
  retry: RetryPolicy;
  /** LOCAL_SCHEDULES: fire the schedules on the machine's clock (local/local-schedules.ts). */
  localSchedules: boolean;
}

/** The options of the command itself, a blank variable counting as unset. */
const optionsSchema = z.object({
  PORT: z._default(wholeNumberText(0, 65_535), DEFAULT_PORT),
  LOCAL_RETRY_ATTEMPTS: z._default(wholeNumberText(1, 100), DEFAULT_RETRY.maxAttempts),
  LOCAL_RETRY_DELAY_MS: z._default(wholeNumberText(0, 3_600_000), DEFAULT_RETRY.baseDelayMs),
  // On unless turned off: a stack left running over the 1st renews and bills as AWS would.
  LOCAL_SCHEDULES: z._default(
    z.pipe(
      z.enum(['on', 'off'], { error: 'must be on or off' }),
      z.transform((value) => value === 'on'),
    ),
    true,
  ),
  // --data-dir, or else LOCAL_DATA_DIR.
  dataDir: z.optional(z.string()),
});

export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
  let flags;
  try {
    flags = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const blankAsUnset = (value: string | undefined) => (value?.trim() ? value : undefined);
  const parsed = optionsSchema.safeParse({
    PORT: blankAsUnset(env.PORT),
    LOCAL_RETRY_ATTEMPTS: blankAsUnset(env.LOCAL_RETRY_ATTEMPTS),
    LOCAL_RETRY_DELAY_MS: blankAsUnset(env.LOCAL_RETRY_DELAY_MS),
    LOCAL_SCHEDULES: blankAsUnset(env.LOCAL_SCHEDULES)?.trim(),
    dataDir: flags.values['data-dir'] ?? blankAsUnset(env.LOCAL_DATA_DIR)?.trim(),
  });
  if (!parsed.success) {
    const given = (path: string) => (path in env ? `, not ${JSON.stringify(env[path])}` : '');
    throw new UsageError(
      `invalid options: ${fieldIssues(parsed.error)
        .map((issue) => `${issue.path}: ${issue.message}${given(issue.path)}`)
        .join('; ')}`,
    );
  }
  const settings = loadSettings(env);
  const dataDir = parsed.data.dataDir ?? null;
  if (dataDir !== null && settings.dynamoDbEndpoint !== null) {
    throw new UsageError(
      '--data-dir / LOCAL_DATA_DIR and DYNAMODB_ENDPOINT exclude each other: the data folder belongs to the DynamoDB Local this command starts.',
    );
  }
  return {
    help: flags.values.help === true,
    port: parsed.data.PORT,
    dataDir,
    settings,
    retry: { maxAttempts: parsed.data.LOCAL_RETRY_ATTEMPTS, baseDelayMs: parsed.data.LOCAL_RETRY_DELAY_MS },
    localSchedules: parsed.data.LOCAL_SCHEDULES,
  };
}
