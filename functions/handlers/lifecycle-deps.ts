import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadSettings, type Settings } from '../config';
import { InvalidRequestError } from '../domain/errors';
import type { IdGenerator } from '../domain/ports';
import type { DeadLetterSink } from '../events/dead-letter';
import { EventBridgePublisher } from '../events/publisher';
import { SqsDeadLetterSink } from '../events/sqs-dead-letter-sink';
import { jsonLogger } from '../log';
import type { LifecycleDeps } from '../use-cases/deps';
import { dynamoDbClientFrom, lookupDeps, type LookupHandlerDeps } from './lookup-deps';

/** What the renewal handler factory takes (see LookupHandlerDeps). */
export interface RenewalHandlerDeps extends LookupHandlerDeps {
  eventBridge: EventBridgeClient;
  ids?: IdGenerator;
}

/** What the inbound handler factories take: also where unreadable events go. */
export interface InboundHandlerDeps extends RenewalHandlerDeps {
  deadLetters: DeadLetterSink;
}

export const randomIds: IdGenerator = { next: () => randomUUID() };

export function lifecycleDeps(deps: RenewalHandlerDeps): LifecycleDeps {
  return {
    ...lookupDeps(deps),
    publisher: new EventBridgePublisher({ client: deps.eventBridge, eventBusName: deps.settings.eventBusName }),
    ids: deps.ids ?? randomIds,
    logger: deps.logger ?? jsonLogger,
  };
}

export function renewalHandlerDepsFromEnv(settings: Settings = loadSettings()): RenewalHandlerDeps {
  return {
    settings,
    dynamoDb: dynamoDbClientFrom(settings),
    eventBridge: new EventBridgeClient(settings.eventBridgeEndpoint ? { endpoint: settings.eventBridgeEndpoint } : {}),
  };
}

export function inboundHandlerDepsFromEnv(): InboundHandlerDeps {
  const settings = loadSettings();
  if (!settings.deadLetterQueueUrl) {
    throw new InvalidRequestError('DEAD_LETTER_QUEUE_URL is not set', [{ path: 'DEAD_LETTER_QUEUE_URL', message: 'required: unreadable events go there' }]);
  }
  return { ...renewalHandlerDepsFromEnv(settings), deadLetters: new SqsDeadLetterSink(new SQSClient({}), settings.deadLetterQueueUrl) };
}
