import { InvalidRequestError, type FieldIssue } from '../domain/errors';
import { SHIPPED_CATALOG, type Catalog } from '../domain/tariff/catalog';
import { applyOverrides, type TariffOverrides } from '../domain/tariff/versioned-tariff';
import { CONTRACTS_TABLE } from '../topology/table-definition';
import { DEFAULT_BUS_NAME } from '../topology/routing';

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
  /**
   * AWS_ATTEMPT_TIMEOUT_MS (100..60000, default 3000): the longest one attempt of an AWS
   * call may take, response included; the SDK makes 3 attempts, so that 3 of them and
   * the backoff between them fit in the function's timeout.
   */
  attemptTimeoutMs: number;
}

export const DEFAULT_RENEWAL_SHARDS = 16;
/** Default of AWS_ATTEMPT_TIMEOUT_MS: the house construct sets it from each function's timeout. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 3_000;

/** The environment does not configure a working function: which variables, and why. */
export class ConfigurationError extends Error {
  constructor(readonly fields: FieldIssue[]) {
    super(`invalid environment: ${fields.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

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
    renewalShards: wholeNumber('RENEWAL_SHARDS', text('RENEWAL_SHARDS'), { min: 1, max: 1000, fallback: DEFAULT_RENEWAL_SHARDS }, issues),
    attemptTimeoutMs: wholeNumber(
      'AWS_ATTEMPT_TIMEOUT_MS',
      text('AWS_ATTEMPT_TIMEOUT_MS'),
      { min: 100, max: 60_000, fallback: DEFAULT_ATTEMPT_TIMEOUT_MS },
      issues,
    ),
  };
  if (issues.length > 0) {
    throw new ConfigurationError(issues);
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
      issues.push(...error.fields.map((f) => ({ path: f.path ? `TARIFF_OVERRIDES.${f.path}` : 'TARIFF_OVERRIDES', message: f.message })));
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

function wholeNumber(name: string, value: string | null, range: { min: number; max: number; fallback: number }, issues: FieldIssue[]): number {
  if (value === null) return range.fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    issues.push({ path: name, message: `must be a whole number from ${range.min} to ${range.max}` });
    return range.fallback;
  }
  return n;
}
