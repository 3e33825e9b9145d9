import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { freePort } from '../../../local/dynamodb-local';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * `npm start` as a person runs it: started, sent the README's sample application, then
 * stopped by Ctrl-C from a terminal, which goes to the whole foreground process group.
 */
describe('npm start (local/start.ts)', () => {
  let port: number;
  let child: ChildProcessByStdio<null, Readable, Readable>;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    port = await freePort();
    // The Powertools settings left unset, as in a fresh shell: the stack sets them as the CDK stack does.
    const { POWERTOOLS_SERVICE_NAME: _service, POWERTOOLS_LOG_LEVEL: _level, AWS_LAMBDA_INITIALIZATION_TYPE: _type, ...env } = process.env;
    child = spawn(process.execPath, [TSX, join(ROOT, 'local', 'start.ts')], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), DYNAMODB_ENDPOINT: '', LOCAL_DATA_DIR: '' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('local stack ready')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)));
    });
  }, 60_000);

  afterAll(() => {
    if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGKILL');
  });

  it('runs the sample application through the functions, which log as the deployed ones do', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const sample = await promisify(execFile)(process.execPath, [TSX, join(ROOT, 'scripts', 'send-sample.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port) },
    });
    expect(sample.stdout).toContain('ContractCreated');
    const processed = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.message === 'order processed');
    expect(processed).toMatchObject({
      level: 'INFO',
      service: 'omakase-contracts',
      function_name: 'contract-application',
      cold_start: true,
      outcome: 'ContractCreated',
    });
  }, 60_000);

  // DynamoDB Local runs in a group of its own, so the stack stops in order (the stream
  // mapping drains while DynamoDB still answers) and says nothing is wrong.
  it('stops in order on a Ctrl-C sent to its process group, with no error logged', async () => {
    process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
    expect(output).not.toContain('"level":"ERROR"');
  }, 60_000);
});

/** A failure the operator caused and can fix ends `npm start` with one line saying what to do, no stack trace. */
describe('npm start refused', () => {
  async function refused(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const port = await freePort();
    const run = promisify(execFile)(process.execPath, [TSX, join(ROOT, 'local', 'start.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DYNAMODB_ENDPOINT: '', LOCAL_DATA_DIR: '', ...env },
      timeout: 60_000,
    });
    return run.then(
      (done) => ({ code: 0, output: done.stdout + done.stderr }),
      (error: { code: number | null; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
  }
  const failure = (output: string) => output.split('\n').filter((line) => line.startsWith('npm start failed') || line.startsWith('    at '));

  it('names DYNAMODB_ENDPOINT when nothing answers there', async () => {
    const closed = await freePort();
    const { code, output } = await refused([], { DYNAMODB_ENDPOINT: `http://127.0.0.1:${closed}` });
    expect(code).toBe(1);
    expect(failure(output)).toEqual([
      expect.stringMatching(new RegExp(`^npm start failed: DynamoDB at http://127.0.0.1:${closed} does not answer.*unset DYNAMODB_ENDPOINT`)),
    ]);
  }, 60_000);

  it('names --data-dir when it cannot be a folder', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'start-data-')), 'a-file');
    writeFileSync(file, '');
    const { code, output } = await refused(['--data-dir', file], {});
    expect(code).toBe(1);
    expect(failure(output)).toEqual([
      `npm start failed: --data-dir ${file} cannot be a data folder (EEXIST): give a folder this user may create and write, or leave the option out to keep the data in memory.`,
    ]);
  }, 60_000);

  it('names the setting the functions refuse', async () => {
    const { code, output } = await refused([], { TARIFF_OVERRIDES: '[]' });
    expect(code).toBe(1);
    expect(failure(output)).toEqual(['npm start failed: invalid environment: TARIFF_OVERRIDES: must be an object { prices?, revisions? }']);
  }, 60_000);
});
