import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { dynamoDbCall, type MinimalCall } from './dynamodb-calls';

/** Figure 4's reference for the functions that publish (outcome publisher, renewal): DynamoDB and EventBridge. */
let eventBridge: EventBridgeClient | undefined;

export const handler = async (event: { calls: MinimalCall[] }): Promise<void> => {
  eventBridge ??= new EventBridgeClient({ endpoint: process.env.EVENTBRIDGE_ENDPOINT });
  for (const call of event.calls) {
    if (call.op === 'PutEvents') await eventBridge.send(new PutEventsCommand(call.input as PutEventsCommandInput));
    else await dynamoDbCall(call);
  }
};
