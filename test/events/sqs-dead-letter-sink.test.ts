import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsDeadLetterSink } from '../../functions/events/sqs-dead-letter-sink';

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
