import { InvalidRequestError, type FieldIssue } from './domain/errors';
import { SHIPPED_CATALOG, type Catalog } from './domain/tariff/catalog';
import { applyOverrides, type TariffOverrides } from './domain/tariff/versioned-tariff';
import { CONTRACTS_TABLE } from './infra/table-definition';
import { DEFAULT_BUS_NAME } from './infra/routing';

/**
 * What a deployment configures, read once from the environment (the CDK stack on AWS,
 * the local stack on a laptop). A bad value stops the function at start-up with the
 * variable named, rather than surfacing as a wrong price months later.
 */
export interface Settings {
  /** TABLE_NAME; default the table definition's base name (the local stack's table). */
  tableName: string;
  /** EVENT_BUS_NAME; default `omakase-contracts`. */
  eventBusName: string;
  /** DYNAMODB_ENDPOINT: DynamoDB Local or another endpoint; null on AWS. */
  dynamoDbEndpoint: string | null;
  /** EVENTBRIDGE_ENDPOINT: the local bus; null on AWS. */
  eventBridgeEndpoint: string | null;
  /** DEAD_LETTER_QUEUE_URL: where unreadable events go; required where a dead-letter sink is built from env. */
  deadLetterQueueUrl: string | null;
  /** TARIFF_OVERRIDES (JSON): the operator's amounts for the seed's unstated prices (Decision P1). */
  tariffOverrides: TariffOverrides | null;
  /** TERMINATION_FEE_TAXABLE (`true` | `false`, default false): Decision T3. */
  terminationFeeTaxable: boolean;
  /** RENEWAL_SHARDS (1..1000, default 16): partitions of the renewal index; never lower it once data exists. */
  renewalShards: number;
}

export const DEFAULT_RENEWAL_SHARDS = 16;

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const issues: FieldIssue[] = [];
  const text = (name: string): string | null => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const settings: Settings = {
    tableName: text('TABLE_NAME') ?? CONTRACTS_TABLE.baseName,
    eventBusName: text('EVENT_BUS_NAME') ?? DEFAULT_BUS_NAME,
    dynamoDbEndpoint: url('DYNAMODB_ENDPOINT', text('DYNAMODB_ENDPOINT'), issues),
    eventBridgeEndpoint: url('EVENTBRIDGE_ENDPOINT', text('EVENTBRIDGE_ENDPOINT'), issues),
    deadLetterQueueUrl: url('DEAD_LETTER_QUEUE_URL', text('DEAD_LETTER_QUEUE_URL'), issues),
    tariffOverrides: overrides(text('TARIFF_OVERRIDES'), issues),
    terminationFeeTaxable: bool('TERMINATION_FEE_TAXABLE', text('TERMINATION_FEE_TAXABLE'), issues),
    renewalShards: shards(text('RENEWAL_SHARDS'), issues),
  };
  if (issues.length > 0) {
    throw new InvalidRequestError(`invalid environment: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return settings;
}

/** The shipped catalog with the operator's overrides applied (checked by applyOverrides). */
export function catalogOf(settings: Pick<Settings, 'tariffOverrides'>): Catalog {
  return settings.tariffOverrides ? applyOverrides(SHIPPED_CATALOG, settings.tariffOverrides) : SHIPPED_CATALOG;
}

function url(name: string, value: string | null, issues: FieldIssue[]): string | null {
  if (value !== null && !URL.canParse(value)) issues.push({ path: name, message: 'must be a URL' });
  return value;
}

function overrides(value: string | null, issues: FieldIssue[]): TariffOverrides | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as TariffOverrides;
    applyOverrides(SHIPPED_CATALOG, parsed);
    return parsed;
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      issues.push(...error.fields.map((f) => ({ path: `TARIFF_OVERRIDES.${f.path}`, message: f.message })));
    } else {
      issues.push({ path: 'TARIFF_OVERRIDES', message: `must be JSON (${(error as Error).message})` });
    }
    return null;
  }
}

function bool(name: string, value: string | null, issues: FieldIssue[]): boolean {
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  issues.push({ path: name, message: 'must be true or false' });
  return false;
}

function shards(value: string | null, issues: FieldIssue[]): number {
  if (value === null) return DEFAULT_RENEWAL_SHARDS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    issues.push({ path: 'RENEWAL_SHARDS', message: 'must be a whole number from 1 to 1000' });
    return DEFAULT_RENEWAL_SHARDS;
  }
  return n;
}
