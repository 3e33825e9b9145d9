import { Agent, createServer, request as forwardRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A server on a free loopback port: where it listens, and how to close it with its connections. */
export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request's body whole. */
export function bodyOf(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The operation an AWS JSON request's X-Amz-Target names: what follows its last dot (`DynamoDB_20120810.GetItem` → `GetItem`), '' when it names none. */
export function operationOf(target: IncomingMessage['headers']['x-amz-target']): string {
  const text = String(target ?? '');
  const dot = text.lastIndexOf('.');
  return dot < 0 ? '' : text.slice(dot + 1);
}

/** What a pass-through does with a request it has read: send it on, or have it carried out and its answer cut off. */
export type Passage = 'forward' | 'lose-answer';

export interface PassThroughHooks {
  /** As a request arrives, before its body is read: true when the hook has answered or dropped it itself. */
  refuse?(request: IncomingMessage, response: ServerResponse): boolean;
  /** The request read whole, before it goes on: what to do with it (forwarded when the hook says nothing). */
  inspect?(request: IncomingMessage, body: Buffer): Passage | undefined;
  /** The request read whole: how long it waits before it goes on, in ms (none when the hook says nothing). The caller may give up meanwhile; it goes on all the same. */
  delayMs?(request: IncomingMessage): number;
  /** A request the upstream carried out and whose answer was cut off, as `inspect` asked. */
  answerLost?(): void;
}

/**
 * An HTTP pass-through in front of DynamoDB Local (or any AWS JSON endpoint), on a loopback
 * port: the drills put faults in it, figure 4 of the bench records through it. Requests
 * go on whole, headers and signature untouched, over one keep-alive agent.
 */
export async function startPassThrough(upstream: string, hooks: PassThroughHooks = {}): Promise<Listening> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((request, response) => {
    if (hooks.refuse?.(request, response)) return;
    bodyOf(request)
      .then(async (body) => {
        const delayMs = hooks.delayMs?.(request) ?? 0;
        if (delayMs > 0) await sleep(delayMs);
        const losing = hooks.inspect?.(request, body) === 'lose-answer';
        const forwarded = forwardRequest(
          { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers, agent },
          (answer) => {
            if (!losing) {
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(response);
              return;
            }
            // Carried out upstream; the caller never hears of it.
            answer.resume();
            answer.on('end', () => {
              hooks.answerLost?.();
              request.socket.destroy();
            });
          },
        );
        forwarded.on('error', (error) => answerFailure(response, 502, error));
        forwarded.end(body);
      })
      .catch((error: unknown) => answerFailure(response, 500, error));
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    close: () => {
      agent.destroy();
      return listening.close();
    },
  };
}

function answerFailure(response: ServerResponse, status: number, error: unknown): void {
  if (response.headersSent) response.destroy();
  else response.writeHead(status, { 'content-type': 'text/plain' }).end(`pass-through: ${String(error)}`);
}
