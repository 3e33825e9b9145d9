import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsConfigurationError, AwsServiceError, isServiceError } from '../../functions/aws/aws-api';
import {
  AwsJsonClient,
  DYNAMODB_PROTOCOL,
  EVENTBRIDGE_PROTOCOL,
  SQS_PROTOCOL,
  credentialsFromEnv,
  regionFromEnv,
  regionalEndpoint,
  type AwsCredentials,
  type AwsJsonClientOptions,
} from '../../functions/aws/aws-json-client';

/**
 * The functions' AWS client against a local HTTP server that plays the service: what
 * goes over the wire (checked against the AWS SDK's own signer), and how each kind of
 * failure is retried or reported.
 */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; body?: string | object; headers?: Record<string, string> } | 'hang';

const CREDENTIALS: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };

let server: Server;
let endpoint: string;
let received: Received[];
let answers: Answer[];
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer: Answer = answers.shift() ?? { status: 200 };
      if (answer === 'hang') {
        hanging.push(response);
        return;
      }
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', ...answer.headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  received = [];
  answers = [];
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (options: Partial<AwsJsonClientOptions> = {}) =>
  new AwsJsonClient({ protocol: DYNAMODB_PROTOCOL, region: 'ap-northeast-1', endpoint, credentials: () => CREDENTIALS, ...options });

const error = (code: string, message = 'from the test server', extra: object = {}) => ({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message, ...extra });

describe('AwsJsonClient: the request', () => {
  it('posts the input as JSON to the operation of the protocol and returns the parsed answer', async () => {
    answers.push({ status: 200, body: { Item: { PK: { S: 'a' } } } });
    const output = await client().call<{ Item: unknown }>('GetItem', { TableName: 't', Key: { PK: { S: 'a' } } });

    expect(output).toEqual({ Item: { PK: { S: 'a' } } });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toEqual({ TableName: 't', Key: { PK: { S: 'a' } } });
    expect(received[0].headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.GetItem',
      'x-amz-security-token': CREDENTIALS.sessionToken,
      'amz-sdk-request': 'attempt=1; max=3',
    });
  });

  it('speaks JSON 1.1 with the EventBridge target', async () => {
    await client({ protocol: EVENTBRIDGE_PROTOCOL }).call('PutEvents', { Entries: [] });
    expect(received[0].headers).toMatchObject({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' });
  });

  it('signs with Signature Version 4 exactly as the AWS SDK signer does for the same request', async () => {
    await client().call('TransactWriteItems', { TransactItems: [{ Put: { TableName: 't', Item: { PK: { S: '日本語 & spaces' } } } }] });
    const [{ headers, body }] = received;
    const authorization = String(headers.authorization);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
    expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'x-amz-security-token', 'content-type']));

    const url = new URL(endpoint);
    const signer = new SignatureV4({ credentials: CREDENTIALS, region: 'ap-northeast-1', service: 'dynamodb', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
    const amzDate = String(headers['x-amz-date']);
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const reference = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: {},
        headers: Object.fromEntries(signedHeaders.map((name) => [name, String(headers[name])])),
        body,
      },
      { signingDate },
    );
    expect(authorization).toBe(reference.headers.authorization);
  });

  it('asks for the credentials at every call, and a missing one stops the call before any request', async () => {
    const env: Record<string, string | undefined> = { AWS_ACCESS_KEY_ID: 'first', AWS_SECRET_ACCESS_KEY: 'secret' };
    const api = client({ credentials: credentialsFromEnv(env) });
    await api.call('GetItem', {});
    env.AWS_ACCESS_KEY_ID = 'rotated';
    await api.call('GetItem', {});
    expect(received.map((r) => /Credential=([^/]+)/.exec(String(r.headers.authorization))?.[1])).toEqual(['first', 'rotated']);

    delete env.AWS_ACCESS_KEY_ID;
    const refused = await api.call('GetItem', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AwsConfigurationError);
    expect((refused as AwsConfigurationError).variable).toBe('AWS_ACCESS_KEY_ID');
    expect(received).toHaveLength(2);
  });
});

describe('AwsJsonClient: the same request as the AWS SDK client', () => {
  const sdkOptions = () => ({ endpoint, region: 'ap-northeast-1', credentials: CREDENTIALS });
  const wire = ({ headers, body }: Received) => ({ contentType: headers['content-type'], target: headers['x-amz-target'], body: JSON.parse(body) as unknown });

  // Each operation the functions issue on that service, with an input as they build it.
  const cases = [
    {
      name: 'SQS SendMessage (the dead-letter sink)',
      protocol: SQS_PROTOCOL,
      operation: 'SendMessage',
      input: () => ({ QueueUrl: `${endpoint}/000000000000/dlq`, MessageBody: '{"reason":"x"}', MessageAttributes: { reason: { DataType: 'String', StringValue: 'x' } } }),
      // md5: false: the test server does not answer the body's MD5, which the SDK would check.
      sdk: (input: object) => new SQSClient({ ...sdkOptions(), md5: false }).send(new SendMessageCommand(input as never)),
    },
    {
      name: 'EventBridge PutEvents (the publisher)',
      protocol: EVENTBRIDGE_PROTOCOL,
      operation: 'PutEvents',
      input: () => ({ Entries: [{ EventBusName: 'omakase-contracts', Source: 'omakase.contracts', DetailType: 'ContractCreated', Detail: '{"orderId":"o"}' }] }),
      sdk: (input: object) => new EventBridgeClient(sdkOptions()).send(new PutEventsCommand(input as never)),
    },
    {
      name: 'DynamoDB TransactWriteItems (the store)',
      protocol: DYNAMODB_PROTOCOL,
      operation: 'TransactWriteItems',
      input: () => ({
        TransactItems: [{ Put: { TableName: 't', Item: { PK: { S: 'ORDER#1' }, n: { N: '1' } }, ConditionExpression: 'attribute_not_exists(PK)' } }],
        ClientRequestToken: 'token-1',
      }),
      sdk: (input: object) => new DynamoDBClient(sdkOptions()).send(new TransactWriteItemsCommand(input as never)),
    },
  ];

  it.each(cases)('$name', async ({ protocol, operation, input, sdk }) => {
    await sdk(input());
    await client({ protocol }).call(operation, input());
    expect(received).toHaveLength(2);
    expect(wire(received[1] as Received)).toEqual(wire(received[0] as Received));
  });
});

describe('AwsJsonClient: failures', () => {
  it('reports a service error by its code without namespace, with the answer body, and does not retry it', async () => {
    answers.push({ status: 400, body: error('TransactionCanceledException', 'Transaction cancelled', { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }) });
    const failure = await client().call('TransactWriteItems', {}).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(AwsServiceError);
    expect(isServiceError(failure, 'TransactionCanceledException')).toBe(true);
    expect(failure).toMatchObject({ operation: 'TransactWriteItems', statusCode: 400, attempts: 1, body: { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] } });
    expect((failure as Error).message).toBe('TransactWriteItems: TransactionCanceledException: Transaction cancelled');
    expect(received).toHaveLength(1);
  });

  it('reads the code from x-amzn-errortype when the body has none', async () => {
    answers.push({ status: 400, body: { Message: 'Requested resource not found' }, headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/' } });
    await expect(client().call('GetItem', {})).rejects.toMatchObject({ code: 'ResourceNotFoundException', message: 'GetItem: ResourceNotFoundException: Requested resource not found' });
  });

  it('retries a 5xx answer, even one that is not JSON, and returns the answer that follows', async () => {
    answers.push({ status: 502, body: '<html>Bad Gateway</html>' }, { status: 500, body: error('InternalServerError') }, { status: 200, body: { ok: true } });
    await expect(client().call('GetItem', {})).resolves.toEqual({ ok: true });
    expect(received.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3', 'attempt=3; max=3']);
  });

  it('retries throttling up to maxAttempts, then reports it with the number of attempts', async () => {
    answers.push({ status: 400, body: error('ProvisionedThroughputExceededException') }, { status: 400, body: error('ProvisionedThroughputExceededException') });
    await expect(client({ maxAttempts: 2 }).call('PutItem', {})).rejects.toMatchObject({ code: 'ProvisionedThroughputExceededException', attempts: 2 });
    expect(received).toHaveLength(2);
  });

  it('retries an attempt that gets no answer in time, and reports TimeoutError when none does', async () => {
    answers.push('hang', 'hang');
    await expect(client({ maxAttempts: 2, attemptTimeoutMs: 100 }).call('GetItem', {})).rejects.toMatchObject({ code: 'TimeoutError', statusCode: null, attempts: 2 });
    expect(received).toHaveLength(2);
  });

  it('retries a refused connection, and reports the socket error when it persists', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(client({ endpoint: `http://127.0.0.1:${port}` }).call('GetItem', {})).rejects.toMatchObject({ code: 'ECONNREFUSED', statusCode: null, attempts: 3 });
  });
});

describe('the environment of a function', () => {
  it('gives the region, or names AWS_REGION', () => {
    expect(regionFromEnv({ AWS_REGION: 'ap-northeast-1' })).toBe('ap-northeast-1');
    expect(regionFromEnv({ AWS_DEFAULT_REGION: 'ap-northeast-3' })).toBe('ap-northeast-3');
    expect(() => regionFromEnv({})).toThrow(expect.objectContaining({ variable: 'AWS_REGION' }));
  });

  it('names the secret key when only it is missing, and passes no session token when there is none', () => {
    expect(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'id' })()).toThrow(expect.objectContaining({ variable: 'AWS_SECRET_ACCESS_KEY' }));
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' })()).toEqual({ accessKeyId: 'id', secretAccessKey: 'secret' });
  });

  it('sends to the regional endpoint of the service, .com.cn in China', () => {
    expect(regionalEndpoint('dynamodb', 'ap-northeast-1')).toBe('https://dynamodb.ap-northeast-1.amazonaws.com');
    expect(regionalEndpoint('events', 'cn-north-1')).toBe('https://events.cn-north-1.amazonaws.com.cn');
  });
});
