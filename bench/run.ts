import '../local/sdk-notice';
import { runBench, writeResults } from './bench';
import { BenchUsageError, parseBenchArgs, USAGE } from './options';
import { formatReport } from './report';

/**
 * `npm run bench`: runs the figure groups of issue 6, prints their table and writes
 * bench/results.json. Progress goes to stderr, the table to stdout.
 */
async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (options === null) {
    console.log(USAGE);
    return 0;
  }
  // The functions the bench runs in this process would print EMF lines (the local stack turns them off the same way).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // Ctrl-C: exit through process.exit, so that DynamoDB Local's exit hook stops Java.
  process.once('SIGINT', () => process.exit(130));
  const results = await runBench(options, { dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT?.trim() || null, report: (line) => console.error(line) });
  writeResults(results, options.out);
  console.log(formatReport(results));
  console.error(`results written to ${options.out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
