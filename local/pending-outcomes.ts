import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * The facts a previous run of the local stack stored but did not publish (it stopped, or
 * DynamoDB Local died, before the stream mapping handed them on). The mapping reads the
 * stream from its end at start, so without this they would wait for a redelivery of their
 * order, or for ever (a renewal's facts). One Scan of the table at start, as stream records of the outbox items: the
 * outcome publisher publishes them and marks them, as it does the records it reads.
 * (On AWS the stream itself keeps them 24 hours and the mapping does not restart.)
 */
export async function pendingOutcomeRecords(client: DynamoDBClient, tableName: string, streamArn: string): Promise<DynamoDBRecord[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const records: DynamoDBRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'published = :no',
        ExpressionAttributeValues: { ':no': false },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const image = marshall(item, { removeUndefinedValues: true });
      records.push({
        eventID: `catch-up-${records.length + 1}`,
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ap-northeast-1',
        eventSourceARN: streamArn,
        dynamodb: {
          Keys: { PK: image.PK as never, SK: image.SK as never },
          NewImage: image as never,
          // Before every sequence number the stream hands out from now on.
          SequenceNumber: `0-catch-up-${String(records.length + 1).padStart(8, '0')}`,
          StreamViewType: 'NEW_IMAGE',
        },
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return records;
}
