import type { AwsApi } from '../aws/aws-api';
import { DYNAMODB_PROTOCOL, awsClientFromEnv } from '../aws/aws-json-client';
import { catalogOf, type Settings } from '../config';
import { systemClock, type Clock } from '../domain/ports';
import type { Logger } from '../log';
import { DynamoDbContractStore } from '../store/dynamodb-contract-store';
import type { LookupDeps } from '../use-cases/deps';

/**
 * What a handler factory takes: clients and settings, so that the local stack and the
 * tests inject their own (DynamoDB Local, the local bus, a fixed clock) and Lambda
 * builds them from the environment.
 */
export interface LookupHandlerDeps {
  dynamoDb: AwsApi;
  settings: Settings;
  clock?: Clock;
  logger?: Logger;
}

export function lookupDeps(deps: LookupHandlerDeps): LookupDeps {
  return {
    store: new DynamoDbContractStore({ client: deps.dynamoDb, tableName: deps.settings.tableName, renewalShards: deps.settings.renewalShards }),
    catalog: catalogOf(deps.settings),
    clock: deps.clock ?? systemClock,
    terminationFeeTaxable: deps.settings.terminationFeeTaxable,
  };
}

export function dynamoDbClientFrom(settings: Settings): AwsApi {
  return awsClientFromEnv(DYNAMODB_PROTOCOL, settings.dynamoDbEndpoint);
}

/**
 * The exported Lambda `handler`: built from the environment on its first call, not at
 * import, so that importing a handler module for its factory needs no environment.
 */
export function fromEnvironment<E, C, R>(build: () => (event: E, context: C) => Promise<R>): (event: E, context: C) => Promise<R> {
  let built: ((event: E, context: C) => Promise<R>) | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
}
