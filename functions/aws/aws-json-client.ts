import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from 'aws4';
import { AwsConfigurationError, AwsServiceError, type AwsApi } from './aws-api';

/**
 * A client for the AWS JSON protocol (DynamoDB, EventBridge, SQS): the request signed
 * with Signature Version 4 (aws4), sent over a kept-alive connection, retried as the
 * AWS SDK's standard retry mode does. It replaces the SDK's clients in the Lambda
 * bundles: they carry ~320 KiB of SDK (credential chains for SSO, STS and IMDS,
 * schemas of every operation) that a function reading its credentials from the Lambda
 * environment never runs, and that every cold start has to load (README, figure 4).
 */
export interface AwsJsonProtocol {
  /** The service's endpoint prefix and signing name. */
  service: string;
  /** X-Amz-Target is `<targetPrefix>.<Operation>`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
}

export const DYNAMODB_PROTOCOL: AwsJsonProtocol = { service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0' };
export const EVENTBRIDGE_PROTOCOL: AwsJsonProtocol = { service: 'events', targetPrefix: 'AWSEvents', jsonVersion: '1.1' };
export const SQS_PROTOCOL: AwsJsonProtocol = { service: 'sqs', targetPrefix: 'AmazonSQS', jsonVersion: '1.0' };

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsJsonClientOptions {
  protocol: AwsJsonProtocol;
  region: string;
  /** DynamoDB Local, the local bus, a test proxy; default the service's regional endpoint. */
  endpoint?: string | null;
  /** Asked at every call, so that rotated credentials are picked up. */
  credentials: () => AwsCredentials;
  /** Attempts of one call, the first included (the SDK's standard mode: 3). */
  maxAttempts?: number;
  /** How long one attempt may wait for its response. */
  attemptTimeoutMs?: number;
}

// The SDK's standard retry mode (@smithy/core retry): which failures are worth another
// attempt, and the backoff bases and cap.
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;
const DEFAULT_MAX_ATTEMPTS = 3;
// DynamoDB answers in milliseconds; an attempt still waiting after this is better retried.
const DEFAULT_ATTEMPT_TIMEOUT_MS = 5_000;

interface Answer {
  statusCode: number;
  errorType: string | undefined;
  body: Record<string, unknown>;
}

export class AwsJsonClient implements AwsApi {
  private readonly url: URL;
  private readonly send: typeof httpRequest;
  private readonly agent: HttpAgent;
  private readonly maxAttempts: number;
  private readonly attemptTimeoutMs: number;

  constructor(private readonly options: AwsJsonClientOptions) {
    this.url = new URL(options.endpoint ?? regionalEndpoint(options.protocol.service, options.region));
    const secure = this.url.protocol === 'https:';
    this.send = secure ? httpsRequest : httpRequest;
    this.agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  }

  async call<Output extends object>(operation: string, input: object): Promise<Output> {
    const body = JSON.stringify(input);
    // Outside the retries: missing credentials are a configuration error, not a failed attempt.
    const credentials = this.options.credentials();
    for (let attempt = 1; ; attempt++) {
      let failure: AwsServiceError;
      try {
        const answer = await this.attempt(operation, body, attempt, credentials);
        if (answer.statusCode < 300) return answer.body as Output;
        failure = serviceError(operation, answer, attempt);
      } catch (error) {
        const cause = error as NodeJS.ErrnoException;
        failure = new AwsServiceError(cause.code ?? 'NetworkingError', cause.message, operation, null, {}, attempt);
      }
      if (attempt >= this.maxAttempts || !retryable(failure)) throw failure;
      const base = THROTTLING_CODES.has(failure.code) ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
      await sleep(Math.random() * Math.min(MAX_DELAY_MS, base * 2 ** (attempt - 1)));
    }
  }

  private attempt(operation: string, body: string, attempt: number, credentials: AwsCredentials): Promise<Answer> {
    const { protocol } = this.options;
    const signed = sign(
      {
        host: this.url.host,
        path: this.url.pathname,
        method: 'POST',
        service: protocol.service,
        region: this.options.region,
        body,
        headers: {
          'Content-Type': `application/x-amz-json-${protocol.jsonVersion}`,
          'X-Amz-Target': `${protocol.targetPrefix}.${operation}`,
          'amz-sdk-request': `attempt=${attempt}; max=${this.maxAttempts}`,
        },
      },
      credentials,
    );
    const request: RequestOptions = {
      hostname: this.url.hostname,
      port: this.url.port || undefined,
      path: this.url.pathname,
      method: 'POST',
      headers: signed.headers,
      agent: this.agent,
      timeout: this.attemptTimeoutMs,
    };
    return new Promise((resolve, reject) => {
      const req = this.send(request, (response) => readAnswer(response).then(resolve, reject));
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no response within ${this.attemptTimeoutMs} ms`), { code: 'TimeoutError' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** A client as a Lambda function makes it: region and credentials from its environment. */
export function awsClientFromEnv(protocol: AwsJsonProtocol, endpoint: string | null): AwsJsonClient {
  return new AwsJsonClient({ protocol, region: regionFromEnv(), endpoint, credentials: credentialsFromEnv() });
}

/** Credentials as Lambda provides them: in the environment. */
export function credentialsFromEnv(env: Record<string, string | undefined> = process.env): () => AwsCredentials {
  return () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId) throw new AwsConfigurationError('AWS_ACCESS_KEY_ID', 'the function signs its AWS requests with the credentials of its environment');
    if (!secretAccessKey) throw new AwsConfigurationError('AWS_SECRET_ACCESS_KEY', 'the function signs its AWS requests with the credentials of its environment');
    return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  };
}

export function regionFromEnv(env: Record<string, string | undefined> = process.env): string {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new AwsConfigurationError('AWS_REGION', 'requests are signed for, and sent to, the region of the function');
  return region;
}

export function regionalEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

async function readAnswer(response: IncomingMessage): Promise<Answer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const statusCode = response.statusCode ?? 0;
  const errorType = response.headers['x-amzn-errortype'];
  let body: Record<string, unknown>;
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    // A proxy's or load balancer's error page: keep its start for the error message.
    if (statusCode < 300) throw Object.assign(new Error(`the response is not JSON: ${text.slice(0, 200)}`), { code: 'InvalidResponse' });
    body = { message: text.slice(0, 200) };
  }
  return { statusCode, errorType: typeof errorType === 'string' ? errorType : undefined, body };
}

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` or `Code:http://…`: the code alone. */
function serviceError(operation: string, answer: Answer, attempts: number): AwsServiceError {
  const raw = String(answer.body.__type ?? answer.body.code ?? answer.errorType ?? `HTTP ${answer.statusCode}`);
  const code = raw.split(':')[0].split('#').pop() as string;
  const message = String(answer.body.message ?? answer.body.Message ?? '');
  return new AwsServiceError(code, message, operation, answer.statusCode, answer.body, attempts);
}

function retryable(error: AwsServiceError): boolean {
  if (error.statusCode === null) return true;
  return THROTTLING_CODES.has(error.code) || TRANSIENT_CODES.has(error.code) || TRANSIENT_STATUSES.has(error.statusCode);
}
