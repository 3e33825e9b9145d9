import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback, operationOf, startPassThrough, type Listening } from '../../local/pass-through';

/** An upstream that answers every request with what it received, counting them. */
async function echoUpstream(): Promise<Listening & { received: () => number }> {
  let received = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received += 1;
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ target: req.headers['x-amz-target'], body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  return { ...(await listenOnLoopback(server)), received: () => received };
}

function post(url: string, target: string, body: string): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the pass-through in front of DynamoDB Local', () => {
  let upstream: Awaited<ReturnType<typeof echoUpstream>>;
  beforeEach(async () => {
    upstream = await echoUpstream();
  });
  afterEach(() => upstream.close());

  it('forwards a request whole, multi-byte body included, and hands the hook its operation and body', async () => {
    const seen: Array<{ operation: string; body: string }> = [];
    const passThrough = await startPassThrough(upstream.url, {
      inspect: (req, body) => {
        seen.push({ operation: operationOf(req.headers['x-amz-target']), body: body.toString('utf8') });
        return undefined;
      },
    });
    try {
      const body = JSON.stringify({ name: 'セキュリティおまかせプラン', pad: 'x'.repeat(200_000) });
      const answer = await post(passThrough.url, 'DynamoDB_20120810.GetItem', body);
      expect(answer.status).toBe(201);
      expect(answer.headers['x-upstream']).toBe('yes');
      expect(JSON.parse(answer.text)).toEqual({ target: 'DynamoDB_20120810.GetItem', body });
      expect(seen).toEqual([{ operation: 'GetItem', body }]);
    } finally {
      await passThrough.close();
    }
  });

  it('has a request carried out and its answer cut off when the hook says so', async () => {
    let lost = 0;
    const passThrough = await startPassThrough(upstream.url, { inspect: () => 'lose-answer', answerLost: () => (lost += 1) });
    try {
      await expect(post(passThrough.url, 'DynamoDB_20120810.PutItem', '{}')).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(upstream.received()).toBe(1);
      expect(lost).toBe(1);
    } finally {
      await passThrough.close();
    }
  });

  it('leaves a request the hook refused to the hook, without sending it on', async () => {
    const passThrough = await startPassThrough(upstream.url, {
      refuse: (_req, res) => {
        res.writeHead(503).end('refused');
        return true;
      },
    });
    try {
      const answer = await post(passThrough.url, 'DynamoDB_20120810.GetItem', '{}');
      expect(answer).toMatchObject({ status: 503, text: 'refused' });
      expect(upstream.received()).toBe(0);
    } finally {
      await passThrough.close();
    }
  });

  it('answers 502 naming itself when the upstream is gone, instead of hanging', async () => {
    const gone = upstream.url;
    await upstream.close();
    const passThrough = await startPassThrough(gone);
    try {
      const answer = await post(passThrough.url, 'DynamoDB_20120810.GetItem', '{}');
      expect(answer.status).toBe(502);
      expect(answer.text).toMatch(/^pass-through: .*ECONNREFUSED/);
    } finally {
      await passThrough.close();
    }
  });
});

describe('operationOf', () => {
  it.each([
    ['DynamoDB_20120810.TransactWriteItems', 'TransactWriteItems'],
    ['AWSEvents.PutEvents', 'PutEvents'],
    ['GetItem', ''],
    [undefined, ''],
  ])('reads %p as %p', (target, operation) => {
    expect(operationOf(target)).toBe(operation);
  });
});
