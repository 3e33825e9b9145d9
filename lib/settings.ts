import { ConfigurationError, loadSettings } from '../functions/wiring/settings';
import { DEFAULT_BUS_NAME } from '../functions/topology/routing';

/**
 * What an operator may set per deployment, as CDK context (`cdk.json` or `-c key=value`).
 * Read and checked at synth time, so a bad value stops `cdk synth` with a message
 * naming the key instead of failing inside every Lambda after deployment.
 */
export interface DeploymentSettings {
  /** Name of the custom event bus (context `busName`). */
  busName: string;
  /** TARIFF_OVERRIDES for the functions (context `tariffOverrides`); '' keeps the shipped placeholders. */
  tariffOverrides: string;
  /** TERMINATION_FEE_TAXABLE (context `terminationFeeTaxable`); Decision T3 ships false (不課税). */
  terminationFeeTaxable: boolean;
  /** Where the alarm topic mails its notifications (context `alarmEmail`); null: subscribe your own endpoint. */
  alarmEmail: string | null;
  /**
   * Prefix of the console's Cognito sign-in domain (context `consoleDomainPrefix`), unique
   * in its region; null: `omakase-contracts-<account id>`.
   */
  consoleDomainPrefix: string | null;
  /**
   * INVOICE_ISSUER_NAME and INVOICE_REGISTRATION_NUMBER for the functions (context
   * `invoiceIssuer`: `{"name": …, "registrationNumber": "T…"}`), checked as they check
   * them; '' keeps that part's labelled placeholder (Decision I5, shown 仮 on invoices).
   */
  invoiceIssuerName: string;
  invoiceRegistrationNumber: string;
}

export class DeploymentSettingsError extends Error {
  constructor(problems: string[]) {
    super(`invalid CDK context: ${problems.join('; ')}`);
    this.name = 'DeploymentSettingsError';
  }
}

/** Context as the CLI hands it over: `-c` values arrive as strings, cdk.json values keep their JSON type. */
export type ContextReader = (key: string) => unknown;

const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
// The shape SNS accepts for an e-mail endpoint; SNS itself confirms the address by mail.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Cognito's rule for a prefix domain: lower-case letters, digits and inner hyphens, none of its reserved words.
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;

/** Context key of each variable the functions check in functions/wiring/settings.ts. */
const CONTEXT_KEY_OF: Record<string, string> = {
  TARIFF_OVERRIDES: 'tariffOverrides',
  TERMINATION_FEE_TAXABLE: 'terminationFeeTaxable',
  INVOICE_ISSUER_NAME: 'invoiceIssuer.name',
  INVOICE_REGISTRATION_NUMBER: 'invoiceIssuer.registrationNumber',
};

export function readDeploymentSettings(context: ContextReader): DeploymentSettings {
  const problems: string[] = [];
  const rawBusName = context('busName') ?? DEFAULT_BUS_NAME;
  const busName = typeof rawBusName === 'string' && BUS_NAME.test(rawBusName) && rawBusName !== 'default' ? rawBusName : null;
  if (busName === null) {
    problems.push('busName: must be a custom event bus name, 1-256 of A-Z a-z 0-9 . _ - and not "default"');
  }
  const rawAlarmEmail = context('alarmEmail') ?? null;
  const alarmEmail = rawAlarmEmail === null || (typeof rawAlarmEmail === 'string' && EMAIL.test(rawAlarmEmail)) ? rawAlarmEmail : undefined;
  if (alarmEmail === undefined) problems.push('alarmEmail: must be one e-mail address (name@example.com)');
  const rawPrefix = context('consoleDomainPrefix') ?? null;
  const consoleDomainPrefix =
    rawPrefix === null || (typeof rawPrefix === 'string' && DOMAIN_PREFIX.test(rawPrefix) && !RESERVED_IN_PREFIX.test(rawPrefix)) ? rawPrefix : undefined;
  if (consoleDomainPrefix === undefined) {
    problems.push('consoleDomainPrefix: must be 1-63 of a-z 0-9 and inner -, without "aws", "amazon" or "cognito"');
  }
  const invoiceIssuer = readInvoiceIssuer(context('invoiceIssuer'), problems);
  const env = {
    TARIFF_OVERRIDES: asText(context('tariffOverrides')),
    TERMINATION_FEE_TAXABLE: asText(context('terminationFeeTaxable')),
    INVOICE_ISSUER_NAME: invoiceIssuer.name,
    INVOICE_REGISTRATION_NUMBER: invoiceIssuer.registrationNumber,
  };
  // The same check the functions run at start-up, so synth refuses what they would refuse.
  let functionSettings: ReturnType<typeof loadSettings> | undefined;
  try {
    functionSettings = loadSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    for (const { path, message } of error.fields) {
      const variable = path.split('.')[0] ?? path;
      problems.push(`${path.replace(variable, CONTEXT_KEY_OF[variable] ?? variable)}: ${message}`);
    }
  }
  if (problems.length > 0 || !functionSettings || busName === null || alarmEmail === undefined || consoleDomainPrefix === undefined)
    throw new DeploymentSettingsError(problems);
  return {
    busName,
    tariffOverrides: functionSettings.tariffOverrides ? JSON.stringify(functionSettings.tariffOverrides) : '',
    terminationFeeTaxable: functionSettings.terminationFeeTaxable,
    alarmEmail,
    consoleDomainPrefix,
    // Text as the functions read it (trimmed, '' unset), not the placeholder values, which would read back as set.
    invoiceIssuerName: env.INVOICE_ISSUER_NAME?.trim() ?? '',
    invoiceRegistrationNumber: env.INVOICE_REGISTRATION_NUMBER?.trim() ?? '',
  };
}

const ISSUER_KEYS = ['name', 'registrationNumber'] as const;

/**
 * Context `invoiceIssuer`: an object in cdk.json, JSON text with `-c`; absent, both parts
 * unset. Its shape is checked here; its values by the functions' own rules (loadSettings).
 */
function readInvoiceIssuer(raw: unknown, problems: string[]): { name?: string; registrationNumber?: string } {
  if (raw === undefined || raw === null) return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      problems.push('invoiceIssuer: must be JSON {"name": "…", "registrationNumber": "T…"}');
      return {};
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('invoiceIssuer: must be an object {"name": "…", "registrationNumber": "T…"}');
    return {};
  }
  const fields = value as Record<string, unknown>;
  const issuer: { name?: string; registrationNumber?: string } = {};
  for (const key of Object.keys(fields)) {
    if (!(ISSUER_KEYS as readonly string[]).includes(key)) problems.push(`invoiceIssuer.${key}: unknown key (expected name or registrationNumber)`);
  }
  for (const key of ISSUER_KEYS) {
    const part = fields[key];
    if (typeof part === 'string') issuer[key] = part;
    else if (part !== undefined && part !== null) problems.push(`invoiceIssuer.${key}: must be text`);
  }
  return issuer;
}

/** cdk.json may hold an object or a boolean where `-c` gives a string: the functions get text either way. */
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
