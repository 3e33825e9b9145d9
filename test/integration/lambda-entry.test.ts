import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, Context, DynamoDBStreamEvent } from 'aws-lambda';
import { handler as applicationHandler } from '../../functions/handlers/contract-application';
import { handler as lookupHandler } from '../../functions/handlers/lookup-api';
import { handler as outcomePublisherHandler } from '../../functions/handlers/outcome-publisher';
import { ORDER_SLOT } from '../../functions/store/records';
import { bodyOf, listenOnLoopback, type Listening } from '../../local/pass-through';
import { capturedJsonLines } from '../support/observability';
import { dynamoDbEndpoint, freshTable, type TestTable } from './support/dynamodb';
import { application, inboundEvent } from './support/fixtures';

/**
 * The exported `handler`s as Lambda runs them: built from the environment on the first
 * call (region, credentials, table, endpoints), with the SDK clients the composition
 * root makes signing every request. SQS and EventBridge are played by one local server
 * that keeps what it is sent and answers as they do (SQS with the body's MD5, which the
 * SDK checks).
 */
interface Sent {
  target: string;
  authorization: string;
  body: Record<string, any>;
}

let table: TestTable;
let local: Listening;
const sent: Sent[] = [];
const savedEnv = { ...process.env };
const context = {} as Context;
/** What the functions' Powertools loggers wrote, from beforeAll on. */
let logged: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  table = await freshTable('lambda-entry');
  const server = createServer((request, response) => {
    void bodyOf(request).then((raw) => {
      const headers: IncomingHttpHeaders = request.headers;
      const body = JSON.parse(raw.toString('utf8')) as Record<string, any>;
      sent.push({ target: String(headers['x-amz-target']), authorization: String(headers.authorization), body });
      const answer =
        headers['x-amz-target'] === 'AWSEvents.PutEvents'
          ? { FailedEntryCount: 0, Entries: body.Entries.map((_: unknown, i: number) => ({ EventId: `e-${i}` })) }
          : { MessageId: 'm-1', MD5OfMessageBody: createHash('md5').update(String(body.MessageBody)).digest('hex') };
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
    });
  });
  local = await listenOnLoopback(server);
  logged = capturedJsonLines();
  Object.assign(process.env, {
    // What Lambda sets in an on-demand execution environment; Powertools reports cold starts only there.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDA',
    AWS_SECRET_ACCESS_KEY: 'lambda-secret',
    AWS_SESSION_TOKEN: 'lambda-session',
    TABLE_NAME: table.settings.tableName,
    RENEWAL_SHARDS: String(table.settings.renewalShards),
    DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
    EVENTBRIDGE_ENDPOINT: local.url,
    DEAD_LETTER_QUEUE_URL: `${local.url}/000000000000/omakase-contracts-dead-letters`,
  });
});

afterAll(async () => {
  jest.restoreAllMocks();
  process.env = savedEnv;
  table.client.destroy();
  await local.close();
});

it('applies, dead-letters, publishes and answers lookups through the environment they are given, logging a cold start on each function’s first invocation only', async () => {
  const detail = application();
  const applied = await applicationHandler(inboundEvent('ContractApplicationSubmitted', detail), context);
  expect(applied).toMatchObject({ outcome: 'ContractCreated', duplicate: false });

  const unreadable = await applicationHandler(inboundEvent('ContractApplicationSubmitted', { ...detail, orderId: '' }), context);
  expect(unreadable).toMatchObject({ deadLettered: true });
  const letter = sent.find((s) => s.target === 'AmazonSQS.SendMessage');
  expect(letter?.body).toMatchObject({ QueueUrl: process.env.DEAD_LETTER_QUEUE_URL, MessageAttributes: { reason: { DataType: 'String' } } });
  expect(JSON.parse(letter?.body.MessageBody)).toMatchObject({ reason: expect.stringContaining('orderId'), payload: { detail: { orderId: '' } } });
  expect(letter?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLAMBDA\/\d{8}\/ap-northeast-1\/sqs\/aws4_request/);

  // The order item as the table's stream would hand it to the outcome publisher.
  const Keys = { PK: { S: `ORDER#${detail.orderId}` }, SK: { S: ORDER_SLOT } };
  const { Item } = await table.client.send(new GetItemCommand({ TableName: table.settings.tableName, Key: Keys }));
  const stream: DynamoDBStreamEvent = { Records: [{ eventName: 'INSERT', dynamodb: { Keys, NewImage: Item as never, SequenceNumber: '100' } }] };
  await expect(outcomePublisherHandler(stream, context)).resolves.toEqual({ batchItemFailures: [] });
  const published = sent.find((s) => s.target === 'AWSEvents.PutEvents');
  expect(published?.body.Entries).toEqual([expect.objectContaining({ EventBusName: table.settings.eventBusName, DetailType: 'ContractCreated' })]);
  expect(published?.authorization).toMatch(/Credential=AKIDLAMBDA\/\d{8}\/ap-northeast-1\/events\/aws4_request/);

  const contractId = JSON.parse(published?.body.Entries[0].Detail).contract.contractId as string;
  const lookup = await lookupHandler({ httpMethod: 'GET', path: `/contracts/${contractId}`, queryStringParameters: null } as APIGatewayProxyEvent, context);
  expect(lookup.statusCode).toBe(200);
  expect(JSON.parse(lookup.body)).toMatchObject({ contractId, lineId: detail.lineId, status: 'live' });

  const coldStarts = logged.map((line) => [line.message, line.cold_start]);
  expect(coldStarts).toEqual([
    ['order processed', true],
    ['event dead-lettered', false],
    ['outcomes published', true],
  ]);
});
