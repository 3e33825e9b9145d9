import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { InvalidRequestError } from '../functions/http/errors';
import { errorResponse, jsonResponse, MethodNotAllowedError, RouteNotFoundError } from '../functions/http/errors';
import { matchResource } from '../functions/http/routes';
import { SchedulePayloadError } from '../functions/schemas/renewal';
import { RenewalIncompleteError } from '../functions/use-cases/monthly-renewal';
import { INTEGRATION_FAILURE, isProxyResult, toProxyEvent } from './api-gateway';
import { readFile } from 'node:fs/promises';
import { LOCAL_FILES_PATH, localFileContentType, resolveLocalFile } from '../functions/exports/local-folder-files';
import { consoleFile } from './console-files';
import type { LocalEventBus } from './event-bus';
import { invokeFunction, type LocalFunction } from './lambda-runtime';
import { awsError, PUT_EVENTS_TARGET, putEvents, type AwsJsonAnswer } from './put-events';

/**
 * The one HTTP server of the local stack (interface §5), on loopback only: the EventBridge
 * PutEvents API, the lookup API through the lookup function, and the /_local endpoints.
 * It listens before DynamoDB Local is up so that a busy port fails fast and /health can
 * say "not yet"; everything else answers 503 until `ready` hands it the runtime.
 */
export interface LocalRuntime {
  bus: LocalEventBus;
  lookup: LocalFunction;
  renewal: LocalFunction;
  /** The billing run: the function the schedule starts, the queue of its shards, the run as the lookup shows it. */
  billing: { start: LocalFunction; drained(): Promise<number>; summary(month: string): Promise<unknown> };
  /** The folder GET /_local/files/ serves (the month's invoice files). */
  filesRoot: string;
  /** The parts /health asks, each answering null when well, else what is wrong. */
  health?: Record<string, () => Promise<string | null>>;
}

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  ready(runtime: LocalRuntime): void;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`Port ${port} on ${host} is already in use: stop what is using it, or choose another port with PORT=<port>.`);
    this.name = 'PortInUseError';
  }
}

/** Loopback only: the local stack has no authentication. */
const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;

interface IncomingRequest {
  method: string;
  url: URL;
  message: IncomingMessage;
  body: string;
}

/** Every answer, the lookup function's and the server's own, in API Gateway's result shape. */
type Answer = APIGatewayProxyResult;
type LocalRoute = { method: string; path: string; run: (runtime: LocalRuntime, request: IncomingRequest) => Promise<Answer> | Answer };

function errorAnswer(status: number, code: string, message: string): Answer {
  return jsonResponse(status, { error: { code, message } });
}

function awsAnswer(answer: AwsJsonAnswer): Answer {
  const type = (answer.body as { __type?: string }).__type;
  return {
    statusCode: answer.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), ...(type ? { 'x-amzn-errortype': type } : {}) },
    body: JSON.stringify(answer.body),
  };
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

function eventBridgeApi(runtime: LocalRuntime, request: IncomingRequest): Answer {
  const target = request.message.headers['x-amz-target'];
  if (target !== PUT_EVENTS_TARGET) {
    return awsAnswer(
      awsError(400, 'UnknownOperationException', `The local stack serves only ${PUT_EVENTS_TARGET}; got X-Amz-Target: ${String(target ?? '(none)')}`),
    );
  }
  const parsed = parseJson(request.body);
  if (!parsed.ok) return awsAnswer(awsError(400, 'SerializationException', 'The request body is not valid JSON.'));
  return awsAnswer(putEvents(runtime.bus, parsed.value));
}

/**
 * Invokes the renewal function with the body as its payload, as the Scheduler schedule
 * does with its input, and answers the run's summary. The function validates the payload
 * itself; the SchedulePayloadError it refuses one with is this request's 400 (INVALID_REQUEST,
 * with its fields).
 */
async function monthlyRenewal(runtime: LocalRuntime, request: IncomingRequest): Promise<Answer> {
  const parsed = parseJson(request.body);
  if (!parsed.ok) {
    return errorResponse(
      new InvalidRequestError('the body must be JSON', [{ path: 'scheduledTime', message: 'required: {"scheduledTime": "2025-05-01T00:05:00+09:00"}' }]),
    );
  }
  try {
    return jsonResponse(200, await invokeFunction(runtime.renewal, parsed.value));
  } catch (error) {
    if (error instanceof SchedulePayloadError) return errorResponse(new InvalidRequestError(error.message, error.fields));
    // On AWS, Lambda would retry the run and then dead-letter it; here the caller reruns it.
    const summary = error instanceof RenewalIncompleteError ? { summary: error.summary } : {};
    return jsonResponse(500, { error: { code: 'RENEWAL_FAILED', message: error instanceof Error ? error.message : String(error) }, ...summary });
  }
}

/**
 * A listing of what the bus holds, each item serialized on its own: one that cannot be
 * (it should never get in: see MAX_DETAIL_DEPTH) is listed with why, instead of failing
 * the listing for the rest of the stack's life.
 */
function listing(name: string, items: ReadonlyArray<{ seq: number }>): Answer {
  const parts = items.map((item) => {
    try {
      return JSON.stringify(item);
    } catch (error) {
      return JSON.stringify({ seq: item.seq, unlistable: error instanceof Error ? error.message : String(error) });
    }
  });
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: `{${JSON.stringify(name)}:[${parts.join(',')}]}` };
}

/**
 * Runs the billing run as the Scheduler would (interface §7.4): invokes the monthly-billing
 * function with the body, waits for its shards to go through the local billing queue, and
 * answers the run's summary (the GET /billing-runs/{month} shape).
 */
async function monthlyBilling(runtime: LocalRuntime, request: IncomingRequest): Promise<Answer> {
  const parsed = parseJson(request.body);
  if (!parsed.ok) {
    return errorResponse(
      new InvalidRequestError('the body must be JSON', [{ path: 'scheduledTime', message: 'required: {"scheduledTime": "2025-06-02T03:00:00+09:00"}' }]),
    );
  }
  try {
    const started = (await invokeFunction(runtime.billing.start, parsed.value)) as { month: string };
    const deadLettered = await runtime.billing.drained();
    const summary = await runtime.billing.summary(started.month);
    // On AWS the shard messages would sit in their dead-letter queue, with an alarm; here the caller is told.
    if (deadLettered > 0) {
      const message = `${deadLettered} shards of the run failed on every delivery; GET /_local/dead-letters says why, and a rerun continues`;
      return jsonResponse(500, { error: { code: 'BILLING_FAILED', message }, summary });
    }
    return jsonResponse(200, summary);
  } catch (error) {
    if (error instanceof SchedulePayloadError) return errorResponse(new InvalidRequestError(error.message, error.fields));
    return jsonResponse(500, { error: { code: 'BILLING_FAILED', message: error instanceof Error ? error.message : String(error) } });
  }
}

/** GET /_local/files/…: the month's invoice files, as the export lookup links them (only names of that layout are served). */
async function localFile(runtime: LocalRuntime, request: IncomingRequest): Promise<Answer> {
  const file = resolveLocalFile(runtime.filesRoot, request.url.pathname);
  if (!file) return errorAnswer(404, 'NOT_FOUND', 'No such file.');
  try {
    const bytes = await readFile(file);
    return { statusCode: 200, headers: { 'content-type': localFileContentType(file) }, body: bytes.toString('base64'), isBase64Encoded: true };
  } catch {
    return errorAnswer(404, 'NOT_FOUND', 'No such file.');
  }
}

const LOCAL_ROUTES: LocalRoute[] = [
  { method: 'POST', path: '/', run: eventBridgeApi },
  { method: 'GET', path: '/_local/events', run: (runtime) => listing('events', runtime.bus.events()) },
  { method: 'GET', path: '/_local/dead-letters', run: (runtime) => listing('deadLetters', runtime.bus.deadLetters()) },
  { method: 'POST', path: '/_local/schedules/monthly-renewal', run: monthlyRenewal },
  { method: 'POST', path: '/_local/schedules/monthly-billing', run: monthlyBilling },
];

/** API Gateway's part: only the resources and method the CDK stack declares reach the function. */
async function lookupApi(runtime: LocalRuntime, request: IncomingRequest): Promise<Answer> {
  const { method, url } = request;
  let matched;
  try {
    matched = matchResource(url.pathname);
  } catch (error) {
    return errorResponse(error);
  }
  if (!matched) return errorResponse(new RouteNotFoundError(method, url.pathname));
  if (method !== 'GET') return withHeader(errorResponse(new MethodNotAllowedError(method, url.pathname)), 'allow', 'GET');
  const event = toProxyEvent({
    method: request.method,
    url: request.url,
    headers: request.message.headers,
    body: request.body,
    sourceIp: request.message.socket.remoteAddress ?? '127.0.0.1',
    match: matched,
  });
  try {
    const result = await invokeFunction(runtime.lookup, event);
    return isProxyResult(result) ? result : INTEGRATION_FAILURE;
  } catch (error) {
    console.error(`lookup function failed for ${request.method} ${request.url.pathname}:`, error);
    return INTEGRATION_FAILURE;
  }
}

function withHeader(answer: Answer, name: string, value: string): Answer {
  return { ...answer, headers: { ...answer.headers, [name]: value } };
}

async function route(runtime: LocalRuntime, request: IncomingRequest): Promise<Answer> {
  const samePath = LOCAL_ROUTES.filter((candidate) => candidate.path === request.url.pathname);
  const local = samePath.find((candidate) => candidate.method === request.method);
  if (local) return local.run(runtime, request);
  if (samePath.length > 0) {
    const allowed = samePath.map((candidate) => candidate.method).join(', ');
    return withHeader(errorAnswer(405, 'METHOD_NOT_ALLOWED', `${request.url.pathname} answers ${allowed}.`), 'allow', allowed);
  }
  if (request.method === 'GET' && request.url.pathname.startsWith(LOCAL_FILES_PATH)) return localFile(runtime, request);
  if (request.method === 'GET') {
    const file = consoleFile(request.url.pathname);
    if (file) return file;
  }
  return lookupApi(runtime, request);
}

/** The request target as a URL on this server, or null when it is not one (e.g. `http://[::1`). */
function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', `http://${HOST}`);
  } catch {
    return null;
  }
}

const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/** 200 once every part answers well; 503 naming each part that does not, and why. */
async function health(runtime: LocalRuntime | null, closing: boolean): Promise<Answer> {
  if (closing) return jsonResponse(503, { status: 'stopping' });
  if (!runtime) return jsonResponse(503, { status: 'starting' });
  const checks = Object.entries(runtime.health ?? {});
  const problems = await Promise.all(
    checks.map(async ([part, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`no answer within ${HEALTH_CHECK_TIMEOUT_MS} ms`), HEALTH_CHECK_TIMEOUT_MS);
      });
      try {
        return [part, await Promise.race([check().catch((error: unknown) => (error instanceof Error ? error.message : String(error))), late])] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const failing = Object.fromEntries(problems.filter(([, problem]) => problem !== null));
  return Object.keys(failing).length === 0 ? jsonResponse(200, { status: 'ok' }) : jsonResponse(503, { status: 'unhealthy', parts: failing });
}

class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

async function readBody(message: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of message as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: Answer): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(answer.multiValueHeaders ?? {})) headers[name] = values.map(String);
  response.writeHead(answer.statusCode, headers);
  response.end(answer.isBase64Encoded ? Buffer.from(answer.body, 'base64') : answer.body);
}

export function startLocalServer(options: { port: number }): Promise<LocalServer> {
  let runtime: LocalRuntime | null = null;
  let closing = false;

  const server: Server = createServer((message, response) => {
    const method = message.method ?? 'GET';
    let url: URL | null = null;
    const answer = (async (): Promise<Answer> => {
      url = requestUrl(message.url);
      if (!url) return errorAnswer(400, 'BAD_REQUEST', `The request target is not a path or URL: ${JSON.stringify(message.url).slice(0, 200)}`);
      if (url.pathname === '/health') return health(runtime, closing);
      if (!runtime || closing) return errorAnswer(503, 'NOT_READY', 'The local stack is not ready: GET /health says when it is.');
      const body = await readBody(message);
      return route(runtime, { method, url, message, body });
    })();
    answer
      .catch((error: unknown) => {
        if (error instanceof BodyTooLargeError) {
          // The rest of the body is never read: the connection cannot carry another request.
          response.shouldKeepAlive = false;
          return withHeader(errorAnswer(413, 'PAYLOAD_TOO_LARGE', error.message), 'connection', 'close');
        }
        console.error(`local server failed on ${method} ${url?.pathname ?? String(message.url)}:`, error);
        return errorAnswer(500, 'INTERNAL_ERROR', 'The local server failed; see its console.');
      })
      .then((result) => send(response, result))
      .catch((error: unknown) => console.error('could not answer:', error));
  });
  // A request Node cannot even parse gets its 400 from Node, and the stack goes on.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy(error);
  });

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(HOST, options.port) : error));
    server.listen(options.port, HOST, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${HOST}:${port}`,
        port,
        ready: (value) => {
          runtime = value;
        },
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
