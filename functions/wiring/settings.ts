import * as z from 'zod/mini';
import type { FieldIssue } from '../domain/errors';
import type { Issuer } from '../domain/invoices/invoice';
import { issuerOf } from '../domain/invoices/issuer';
import { SHIPPED_CATALOG, type Catalog } from '../domain/tariff/catalog';
import { applyOverrides, type TariffOverrides } from '../domain/tariff/versioned-tariff';
import { fieldIssues } from '../schemas/field-issues';
import { booleanText, jsonText, registrationNumberText, tariffOverridesSchema, urlText, wholeNumberText } from '../schemas/settings';
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
  /**
   * INVOICE_ISSUER_NAME and INVOICE_REGISTRATION_NUMBER (`T` + 法人番号): who issues the
   * invoices (Decision I5). Each one unset is its labelled placeholder, `placeholder: true`
   * until both are set; a registration number with a wrong check digit stops start-up.
   */
  invoiceIssuer: Issuer;
  /** INVOICE_BUCKET_NAME: the S3 bucket of the month's files (I7); required where they are written or linked on AWS. */
  invoiceBucketName: string | null;
  /** BILLING_QUEUE_URL: the queue that fans the billing run out, one message per shard (docs/design.md). */
  billingQueueUrl: string | null;
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

/**
 * The environment's variables as Settings, a blank one counting as unset: one schema,
 * whose refusals name the variable and its rule (`RENEWAL_SHARDS: must be a whole
 * number from 1 to 1000`), all at once.
 */
const variables = z.object({
  TABLE_NAME: z._default(z.string(), CONTRACTS_TABLE.baseName),
  EVENT_BUS_NAME: z._default(z.string(), DEFAULT_BUS_NAME),
  DYNAMODB_ENDPOINT: z.optional(urlText),
  EVENTBRIDGE_ENDPOINT: z.optional(urlText),
  DEAD_LETTER_QUEUE_URL: z.optional(urlText),
  TARIFF_OVERRIDES: z.optional(jsonText(tariffOverridesSchema(SHIPPED_CATALOG))),
  TERMINATION_FEE_TAXABLE: z._default(booleanText, false),
  RENEWAL_SHARDS: z._default(wholeNumberText(1, 1000), DEFAULT_RENEWAL_SHARDS),
  AWS_ATTEMPT_TIMEOUT_MS: z._default(wholeNumberText(100, 60_000), DEFAULT_ATTEMPT_TIMEOUT_MS),
  INVOICE_ISSUER_NAME: z.optional(z.string()),
  INVOICE_REGISTRATION_NUMBER: z.optional(registrationNumberText),
  INVOICE_BUCKET_NAME: z.optional(z.string()),
  BILLING_QUEUE_URL: z.optional(urlText),
});
const environmentSchema = z.pipe(
  variables,
  z.transform((env): Settings => ({
    tableName: env.TABLE_NAME,
    eventBusName: env.EVENT_BUS_NAME,
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT ?? null,
    eventBridgeEndpoint: env.EVENTBRIDGE_ENDPOINT ?? null,
    deadLetterQueueUrl: env.DEAD_LETTER_QUEUE_URL ?? null,
    tariffOverrides: env.TARIFF_OVERRIDES ?? null,
    terminationFeeTaxable: env.TERMINATION_FEE_TAXABLE,
    renewalShards: env.RENEWAL_SHARDS,
    attemptTimeoutMs: env.AWS_ATTEMPT_TIMEOUT_MS,
    // The schema has checked the number, so issuerOf does not refuse it here.
    invoiceIssuer: issuerOf({ name: env.INVOICE_ISSUER_NAME, registrationNumber: env.INVOICE_REGISTRATION_NUMBER }),
    invoiceBucketName: env.INVOICE_BUCKET_NAME ?? null,
    billingQueueUrl: env.BILLING_QUEUE_URL ?? null,
  })),
);

/** The variables loadSettings reads. */
export const SETTING_NAMES = Object.keys(variables.def.shape) as Array<keyof typeof variables.def.shape>;

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const present = Object.fromEntries(SETTING_NAMES.map((name) => [name, env[name]?.trim() || undefined]));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) throw new ConfigurationError(fieldIssues(parsed.error));
  return parsed.data;
}

/** The shipped catalog with the operator's overrides applied (checked by applyOverrides). */
export function catalogOf(settings: Pick<Settings, 'tariffOverrides'>): Catalog {
  return settings.tariffOverrides ? applyOverrides(SHIPPED_CATALOG, settings.tariffOverrides) : SHIPPED_CATALOG;
}
