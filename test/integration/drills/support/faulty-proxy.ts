import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of DynamoDB Local that can make DynamoDB unavailable for a
 * while: during an outage every other request has its connection dropped and the rest
 * get a 500 InternalServerError, the two ways a real outage shows itself to the SDK.
 */
export class FaultyProxy {
  readonly counts = { passed: 0, dropped: 0, failed: 0, answersLost: 0 };
  /** Requests refused during an outage (dropped or failed), by operation (X-Amz-Target's name). */
  readonly refusedByOperation: Record<string, number> = {};
  private outageUntil = 0;
  private answersToLose: { count: number; matches: (target: string, body: string) => boolean } | null = null;
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  static async start(upstream: string): Promise<FaultyProxy> {
    const server = createServer();
    const proxy = new FaultyProxy(server, new URL(upstream));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** DynamoDB is unavailable from now for `ms`. */
  outage(ms: number): void {
    this.outageUntil = Date.now() + ms;
  }

  /**
   * The next `count` requests that `matches` (by X-Amz-Target and body) reach DynamoDB and
   * are carried out, but their answer never arrives: the connection is cut once DynamoDB
   * has answered. The SDK sends them again, as after any lost answer.
   */
  loseAnswers(count: number, matches: (target: string, body: string) => boolean): void {
    this.answersToLose = { count, matches };
  }

  get unavailable(): boolean {
    return Date.now() < this.outageUntil;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.unavailable) {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1) ?? '';
      this.refusedByOperation[operation] = (this.refusedByOperation[operation] ?? 0) + 1;
      if ((this.counts.dropped + this.counts.failed) % 2 === 0) {
        this.counts.dropped += 1;
        req.socket.destroy();
      } else {
        this.counts.failed += 1;
        req.resume();
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected outage' }));
      }
      return;
    }
    this.counts.passed += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const lose = this.answersToLose;
      const target = String(req.headers['x-amz-target'] ?? '');
      const losing = lose !== null && lose.count > 0 && lose.matches(target, body.toString('utf8'));
      if (losing) lose.count -= 1;
      const forward = request(
        { host: this.upstream.hostname, port: this.upstream.port, path: req.url, method: req.method, headers: req.headers, agent: this.agent },
        (answer) => {
          if (losing) {
            // Carried out by DynamoDB; the caller never hears of it.
            answer.resume();
            answer.on('end', () => {
              this.counts.answersLost += 1;
              req.socket.destroy();
            });
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  }
}
