import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../local/dynamodb-local';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * `npm start` stopped by Ctrl-C from a terminal: the signal goes to the whole foreground
 * process group. DynamoDB Local runs in a group of its own, so the stack stops in order
 * (the stream mapping drains while DynamoDB still answers) and says nothing is wrong.
 */
it('stops in order on a Ctrl-C sent to its process group, with no error logged', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'local', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DYNAMODB_ENDPOINT: '', LOCAL_DATA_DIR: '' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('local stack ready')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await ready;
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) process.kill(-(child.pid as number), 'SIGKILL');
  }
  expect(output).toContain('Stopped.');
  expect(output).not.toContain('"level":"ERROR"');
}, 60_000);
