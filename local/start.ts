import './sdk-notice';
import { parseArgs } from 'node:util';
import { loadSettings } from '../functions/commons/settings';
import { POWERTOOLS_ENVIRONMENT } from '../functions/topology/function-environment';
import { DEFAULT_RETRY, type RetryPolicy } from './event-bus';
import { DEFAULT_PORT, startLocalStack, type LocalStack } from './stack';

/**
 * `npm start`: the whole system on this machine (interface §5). Options come from flags
 * and the environment; the README (section "Run it locally") lists them. Every failure ends with one line saying
 * what to do, and nothing left running.
 */
const USAGE = `Usage: npm start [-- --data-dir DIR]

Runs DynamoDB Local, the local event bus, the lookup API and the /_local endpoints
on http://127.0.0.1:$PORT. See README.md, "Run it locally".

  --data-dir DIR   keep DynamoDB data in DIR across restarts (env LOCAL_DATA_DIR); default: in memory
  -h, --help       this text

Environment: PORT (default ${DEFAULT_PORT}), LOCAL_DATA_DIR, DYNAMODB_ENDPOINT (use that DynamoDB
instead of starting one), LOCAL_RETRY_ATTEMPTS (default ${DEFAULT_RETRY.maxAttempts}),
LOCAL_RETRY_DELAY_MS (default ${DEFAULT_RETRY.baseDelayMs}), and the functions' own settings
(TABLE_NAME, EVENT_BUS_NAME, TARIFF_OVERRIDES, TERMINATION_FEE_TAXABLE, RENEWAL_SHARDS,
AWS_ATTEMPT_TIMEOUT_MS), POWERTOOLS_LOG_LEVEL (default INFO) and POWERTOOLS_METRICS_DISABLED
(default true here: the functions' EMF lines would bury the log).`;

/** Signals closer together than this are one request relayed by several parent processes. */
const SAME_SIGNAL_MS = 2_000;

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

function options(argv: string[], env: NodeJS.ProcessEnv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const retry: RetryPolicy = {
    maxAttempts: wholeNumber('LOCAL_RETRY_ATTEMPTS', env.LOCAL_RETRY_ATTEMPTS, DEFAULT_RETRY.maxAttempts, 1, 100),
    baseDelayMs: wholeNumber('LOCAL_RETRY_DELAY_MS', env.LOCAL_RETRY_DELAY_MS, DEFAULT_RETRY.baseDelayMs, 0, 3_600_000),
  };
  const dataDir = parsed.values['data-dir'] ?? (env.LOCAL_DATA_DIR?.trim() || null);
  const settings = loadSettings(env);
  if (dataDir !== null && settings.dynamoDbEndpoint !== null) {
    throw new UsageError(
      '--data-dir / LOCAL_DATA_DIR and DYNAMODB_ENDPOINT exclude each other: the data folder belongs to the DynamoDB Local this command starts.',
    );
  }
  return {
    help: parsed.values.help === true,
    port: wholeNumber('PORT', env.PORT, DEFAULT_PORT, 0, 65_535),
    dataDir,
    settings,
    retry,
  };
}

function banner(stack: LocalStack, seconds: string): string {
  const portPrefix = stack.port === DEFAULT_PORT ? '' : `PORT=${stack.port} `;
  return [
    '',
    `omakase-contracts local stack ready in ${seconds} s`,
    `  customer-service console      ${stack.url}/console/   (Japanese; no sign-in on loopback)`,
    `  API and EventBridge endpoint  ${stack.url}`,
    `  events the bus saw            ${stack.url}/_local/events`,
    `  dead letters                  ${stack.url}/_local/dead-letters`,
    `  health                        ${stack.url}/health`,
    `  DynamoDB                      ${stack.dynamoDb.endpoint} (${stack.dynamoDb.description})`,
    '',
    'Send a sample application (AWS SDK EventBridgeClient -> PutEvents):',
    `  ${portPrefix}npx tsx scripts/send-sample.ts`,
    'See the contracts it created:',
    `  curl -s ${stack.url}/customers/C-SAMPLE/contracts`,
    '',
    'Ctrl-C stops everything.',
  ].join('\n');
}

async function main(): Promise<void> {
  // The functions' Powertools settings as deployed, unless the caller sets them; metrics
  // off unless asked for.
  for (const [name, value] of Object.entries(POWERTOOLS_ENVIRONMENT)) process.env[name] ??= value;
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // As Lambda's on-demand environments say: Powertools then logs each function's first invocation as its cold start.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE ??= 'on-demand';
  const config = options(process.argv.slice(2), process.env);
  if (config.help) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  let stack: LocalStack | null = null;
  let stopRequestedAt: number | null = null;
  const stop = (reason: string, code: number): void => {
    if (stopRequestedAt !== null) {
      // npm and tsx pass the terminal's Ctrl-C on to this process again: the same keypress.
      if (Date.now() - stopRequestedAt < SAME_SIGNAL_MS) return;
      console.log('Second stop request: exiting now (DynamoDB Local is killed on exit).');
      process.exit(1);
    }
    stopRequestedAt = Date.now();
    console.log(`\n${reason}: stopping…`);
    (stack?.stop() ?? Promise.resolve()).then(
      () => {
        console.log('Stopped.');
        process.exit(code);
      },
      (error: unknown) => {
        console.error('Stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('Ctrl-C', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    console.error('Unexpected error:', error);
    stop('Unexpected error', 1);
  });

  console.log('Starting the omakase-contracts local stack…');
  // A signal before this resolves exits at once; DynamoDB Local's exit hook kills Java.
  stack = await startLocalStack({
    port: config.port,
    dataDir: config.dataDir,
    settings: config.settings,
    retry: config.retry,
    progress: (line) => console.log(`  ${line}`),
  });
  console.log(banner(stack, ((Date.now() - started) / 1000).toFixed(1)));
}

/** Failures a user causes and can fix get their message alone; anything else its stack. */
const EXPLAINED = new Set(['UsageError', 'PortInUseError', 'JavaNotFoundError', 'DataFolderError', 'DynamoDbUnreachableError', 'ConfigurationError']);

main().catch((error: unknown) => {
  const explained = error instanceof Error && EXPLAINED.has(error.name);
  console.error(`\nnpm start failed: ${explained ? error.message : error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
