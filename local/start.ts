import './sdk-notice';
import { POWERTOOLS_ENVIRONMENT } from '../functions/topology/function-environment';
import { describeLocalSchedules, startLocalSchedules, type LocalSchedules } from './local-schedules';
import { jsonLogger } from './log';
import { parseStartOptions, USAGE } from './options';
import { DEFAULT_PORT, startLocalStack, type LocalStack } from './stack';

/**
 * `npm start`: the whole system on this machine (interface §5). Options come from flags
 * and the environment (local/options.ts); docs/local-stack.md ("Options") lists them. Every failure ends with one line saying
 * what to do, and nothing left running.
 */

/** Signals closer together than this are one request relayed by several parent processes. */
const SAME_SIGNAL_MS = 2_000;

function banner(stack: LocalStack, schedules: LocalSchedules, seconds: string): string {
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
    `  monthly schedules             ${describeLocalSchedules(schedules)}`,
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
  const config = parseStartOptions(process.argv.slice(2), process.env);
  if (config.help) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  let stack: LocalStack | null = null;
  let schedules: LocalSchedules | null = null;
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
    // First, so that no run starts against a stack that is going away.
    schedules?.stop();
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
  // Armed once the stack answers, on the machine's clock (interface §7.4); off: nothing is armed.
  schedules = startLocalSchedules({ baseUrl: stack.url, log: jsonLogger, enabled: config.localSchedules });
  console.log(banner(stack, schedules, ((Date.now() - started) / 1000).toFixed(1)));
}

/** Failures a user causes and can fix get their message alone; anything else its stack. */
const EXPLAINED = new Set(['UsageError', 'PortInUseError', 'JavaNotFoundError', 'DataFolderError', 'DynamoDbUnreachableError', 'ConfigurationError']);

main().catch((error: unknown) => {
  const explained = error instanceof Error && EXPLAINED.has(error.name);
  console.error(`\nnpm start failed: ${explained ? error.message : error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
