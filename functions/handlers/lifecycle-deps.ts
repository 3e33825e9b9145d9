import { randomUUID } from 'node:crypto';
import type { AwsApi } from '../aws/aws-api';
import { EVENTBRIDGE_PROTOCOL, awsClientFromEnv } from '../aws/aws-json-client';
import { loadSettings } from '../config';
import type { IdGenerator } from '../domain/ports';
import { EventBridgePublisher } from '../events/publisher';
import { jsonLogger } from '../log';
import type { LifecycleDeps, PublishingDeps } from '../use-cases/deps';
import { dynamoDbClientFrom, lookupDeps, type LookupHandlerDeps } from './lookup-deps';

/** What a state-changing handler factory takes (see LookupHandlerDeps). */
export interface LifecycleHandlerDeps extends LookupHandlerDeps {
  ids?: IdGenerator;
}

/** What the factories of the functions that publish events take: the renewal and the outcome publisher. */
export interface PublishingHandlerDeps extends LifecycleHandlerDeps {
  eventBridge: AwsApi;
}

export const randomIds: IdGenerator = { next: () => randomUUID() };

export function lifecycleDeps(deps: LifecycleHandlerDeps): LifecycleDeps {
  return { ...lookupDeps(deps), ids: deps.ids ?? randomIds, logger: deps.logger ?? jsonLogger };
}

export function publishingDeps(deps: PublishingHandlerDeps): PublishingDeps {
  return { ...lifecycleDeps(deps), publisher: new EventBridgePublisher({ client: deps.eventBridge, eventBusName: deps.settings.eventBusName }) };
}

export function publishingHandlerDepsFromEnv(): PublishingHandlerDeps {
  const settings = loadSettings();
  return {
    settings,
    dynamoDb: dynamoDbClientFrom(settings),
    eventBridge: awsClientFromEnv(EVENTBRIDGE_PROTOCOL, settings.eventBridgeEndpoint),
  };
}
