import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { MAX_REQUEST_BYTES } from '../../functions/events/put-events-limits';
import { SqsDeadLetterSink } from '../../functions/events/sqs-dead-letter-sink';
import { DEAD_LETTER_MESSAGE_BYTES } from '../../lib/constructs/dead-letter-queue';

/** What SQS takes in a message body or a String attribute (SendMessage, "allowed characters"). */
const SQS_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

function sink(): { sink: SqsDeadLetterSink; sent: Array<SendMessageCommand['input']> } {
  const sent: Array<SendMessageCommand['input']> = [];
  const client = { send: (command: SendMessageCommand) => Promise.resolve(void sent.push(command.input)) } as unknown as SQSClient;
  return { sink: new SqsDeadLetterSink(client, 'https://sqs.ap-northeast-1.amazonaws.com/0/dlq'), sent };
}

describe('the SQS dead-letter queue', () => {
  it('sends a hostile payload with only the characters SQS takes, and the body parses back to the very payload', async () => {
    const { sink: queue, sent } = sink();
    const payload = { detail: { orderId: '', name: 'a\u0000b\u0007c\uFFFEd\uFFFFe\uD800f\uDFFFg😀h\u007F\u0085' } };
    await queue.deadLetter('no readable orderId (detail.orderId: must not be empty)', payload);
    const body = sent[0]?.MessageBody ?? '';
    expect(body).toMatch(SQS_TEXT);
    expect(JSON.parse(body)).toEqual({ reason: 'no readable orderId (detail.orderId: must not be empty)', payload });
    expect(sent[0]?.QueueUrl).toBe('https://sqs.ap-northeast-1.amazonaws.com/0/dlq');
  });

  it('cuts the reason attribute to 1000 characters without leaving half a surrogate pair or a refused character', async () => {
    const { sink: queue, sent } = sink();
    const reason = `${'x'.repeat(999)}😀 and more`;
    await queue.deadLetter(reason, {});
    const attribute = sent[0]?.MessageAttributes?.reason?.StringValue ?? '';
    expect(attribute).toMatch(SQS_TEXT);
    expect(attribute).toBe(`${'x'.repeat(999)}\uFFFD`);
    await queue.deadLetter('bad \uFFFF \u0001 reason', {});
    expect(sent[1]?.MessageAttributes?.reason?.StringValue).toBe('bad \uFFFD \uFFFD reason');
    expect(JSON.parse(sent[0]?.MessageBody ?? '')).toMatchObject({ reason });
  });
});

it('fits the largest event EventBridge delivers, with its reason, in a dead-letter queue’s message', async () => {
  const { sink: queue, sent } = sink();
  // Detail at EventBridge's 256 KB entry limit, in three-byte characters, inside the envelope Lambda receives.
  const detail = JSON.stringify({ orderId: '', name: '株'.repeat((MAX_REQUEST_BYTES - 100) / 3) });
  const event = {
    version: '0',
    id: 'e'.repeat(36),
    'detail-type': 'ContractApplicationSubmitted',
    source: 'omakase.orders',
    account: '0'.repeat(12),
    time: '2024-05-01T01:00:00Z',
    region: 'ap-northeast-1',
    resources: [],
    detail: JSON.parse(detail) as unknown,
  };
  await queue.deadLetter(`no readable orderId (detail.orderId: must not be empty) ${'x'.repeat(2000)}`, event);
  const input = sent[0];
  const attributeBytes = Object.entries(input?.MessageAttributes ?? {}).reduce(
    (sum, [name, a]) => sum + Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? '') + Buffer.byteLength(a.StringValue ?? ''),
    0,
  );
  expect(Buffer.byteLength(input?.MessageBody ?? '') + attributeBytes).toBeLessThanOrEqual(DEAD_LETTER_MESSAGE_BYTES);
  expect(Buffer.byteLength(input?.MessageBody ?? '')).toBeGreaterThan(MAX_REQUEST_BYTES - 200);
});
