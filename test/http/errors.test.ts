import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { clientConfig, lookupDependencies } from '../../functions/wiring/dependencies';
import { loadSettings } from '../../functions/wiring/settings';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { errorResponse, RETRY_AFTER_SECONDS } from '../../functions/http/errors';
import { listenOnLoopback, type Listening } from '../../local/pass-through';
import { silentLogger } from '../support/observability';

/**
 * A lookup whose store fails, through the real SDK client: a store that is down or too
 * slow is a 503 with Retry-After (the caller may ask again); any other failure stays a 500.
 */
type Failure = 'no answer' | 'InternalServerError' | 'ThrottlingException' | 'ValidationException';
let failure: Failure;
let fake: Listening;

function dynamoDb(server: Server): Server {
  return server.on('request', (request, response) => {
    request.resume();
    if (failure === 'no answer') return;
    const status = failure === 'InternalServerError' ? 500 : 400;
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${failure}`, message: 'injected' }));
  });
}

beforeAll(async () => {
  fake = await listenOnLoopback(dynamoDb(createServer()));
});

afterAll(() => fake.close());

// Contract lookups link no files.
const NO_FILES = { urls: () => Promise.reject(new Error('no file is linked by this lookup')) };

async function lookUp(endpoint: string) {
  const settings = loadSettings({ TABLE_NAME: 'contracts', AWS_ATTEMPT_TIMEOUT_MS: '200' });
  const client = new DynamoDBClient({ ...clientConfig(settings, endpoint), region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const lookup = createLookupApiHandler({ ...lookupDependencies(settings, client, NO_FILES), logger: silentLogger() });
    const response = await lookup({ httpMethod: 'GET', path: '/contracts/C-1', queryStringParameters: null } as APIGatewayProxyEvent);
    return {
      status: response.statusCode,
      retryAfter: response.headers?.['retry-after'],
      code: (JSON.parse(response.body) as { error: { code: string } }).error.code,
    };
  } finally {
    client.destroy();
  }
}

const unavailable = { status: 503, retryAfter: String(RETRY_AFTER_SECONDS), code: 'SERVICE_UNAVAILABLE' };

it.each<Failure>(['no answer', 'InternalServerError', 'ThrottlingException'])('answers 503 with Retry-After when DynamoDB gives %s', async (given) => {
  failure = given;
  expect(await lookUp(fake.url)).toEqual(unavailable);
});

/**
 * Node's errors come from another realm than jest's sandbox, where the SDK's retry step
 * rewraps them without their code: they are built here as the SDK hands them over on Lambda.
 */
it.each([
  ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } })],
  ['reset', Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: { attempts: 3 } })],
])('answers 503 with Retry-After when the connection to DynamoDB is %s', (_, error) => {
  const response = errorResponse(error);
  expect({ status: response.statusCode, retryAfter: response.headers?.['retry-after'], code: JSON.parse(response.body).error.code }).toEqual(unavailable);
});

it('answers 500 for a failure asking again will not mend', async () => {
  failure = 'ValidationException';
  expect(await lookUp(fake.url)).toEqual({ status: 500, retryAfter: undefined, code: 'INTERNAL_ERROR' });
});
