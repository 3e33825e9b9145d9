import fc from 'fast-check';
import {
  catalogOf,
  ConfigurationError,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_RENEWAL_SHARDS,
  loadSettings,
  SETTING_NAMES,
} from '../../functions/wiring/settings';
import { CatalogError } from '../../functions/domain/errors';
import { PLACEHOLDER_ISSUER } from '../../functions/domain/invoices/issuer';
import { PLACEHOLDER_ITEMS, SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import { applyOverrides, priceOf, revisionInForceOn, type TariffOverrides } from '../../functions/domain/tariff/versioned-tariff';
import { fieldIssues } from '../../functions/schemas/field-issues';
import { tariffOverridesSchema } from '../../functions/schemas/settings';

describe('loadSettings', () => {
  it('has defaults for a local run', () => {
    expect(loadSettings({})).toEqual({
      tableName: 'omakase-contracts',
      eventBusName: 'omakase-contracts',
      dynamoDbEndpoint: null,
      eventBridgeEndpoint: null,
      deadLetterQueueUrl: null,
      tariffOverrides: null,
      terminationFeeTaxable: false,
      renewalShards: DEFAULT_RENEWAL_SHARDS,
      attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
      invoiceIssuer: { name: '（仮）発行事業者名未設定', registrationNumber: 'T0000000000000', placeholder: true },
      invoiceBucketName: null,
      billingQueueUrl: null,
    });
  });

  it('reads every variable', () => {
    const settings = loadSettings({
      TABLE_NAME: 'contracts-prod',
      EVENT_BUS_NAME: 'bus',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      EVENTBRIDGE_ENDPOINT: 'http://127.0.0.1:3000',
      DEAD_LETTER_QUEUE_URL: 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/dlq',
      TARIFF_OVERRIDES: '{"prices":{"basicFee.withGateway":2500}}',
      TERMINATION_FEE_TAXABLE: 'true',
      RENEWAL_SHARDS: '32',
      AWS_ATTEMPT_TIMEOUT_MS: '2500',
      INVOICE_ISSUER_NAME: '西日本電信電話株式会社',
      INVOICE_REGISTRATION_NUMBER: 'T7000012050002',
    });
    expect(settings).toMatchObject({
      tableName: 'contracts-prod',
      terminationFeeTaxable: true,
      renewalShards: 32,
      dynamoDbEndpoint: 'http://127.0.0.1:8000',
      attemptTimeoutMs: 2500,
      invoiceIssuer: { name: '西日本電信電話株式会社', registrationNumber: 'T7000012050002', placeholder: false },
    });
    const withGateway = priceOf(revisionInForceOn(catalogOf(settings), '2024-04-01'), 'basicFee.withGateway');
    expect(withGateway).toMatchObject({ amount: 2500, placeholder: false });
  });

  it('refuses bad values all at once, naming each variable', () => {
    let error: unknown;
    try {
      loadSettings({
        TARIFF_OVERRIDES: '{"prices":{"edrSecurity":1}}',
        TERMINATION_FEE_TAXABLE: 'yes',
        RENEWAL_SHARDS: '0',
        DYNAMODB_ENDPOINT: 'not a url',
        AWS_ATTEMPT_TIMEOUT_MS: '99',
        INVOICE_REGISTRATION_NUMBER: 'T8000012050002',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).fields.map((f) => f.path)).toEqual([
      'DYNAMODB_ENDPOINT',
      'TARIFF_OVERRIDES.prices.edrSecurity',
      'TERMINATION_FEE_TAXABLE',
      'RENEWAL_SHARDS',
      'AWS_ATTEMPT_TIMEOUT_MS',
      'INVOICE_REGISTRATION_NUMBER',
    ]);
  });

  it('names TARIFF_OVERRIDES itself when its JSON is not an object', () => {
    expect(() => loadSettings({ TARIFF_OVERRIDES: '[]' })).toThrow(/TARIFF_OVERRIDES: must be an object/);
  });

  it('refuses TARIFF_OVERRIDES that is not JSON', () => {
    expect(() => loadSettings({ TARIFF_OVERRIDES: '{prices:' })).toThrow(/TARIFF_OVERRIDES: must be JSON/);
  });

  describe('the invoice issuer (Decision I5)', () => {
    it.each([
      ['a wrong check digit', 'T8000012050002', 'its first digit is not the 法人番号 check digit of the 12 after it: a digit is mistyped'],
      ['12 digits', 'T700001205000', 'must be T and 13 half-width digits (適格請求書発行事業者登録番号, e.g. T7000012050002)'],
      ['a lower-case t', 't7000012050002', 'must be T and 13 half-width digits (適格請求書発行事業者登録番号, e.g. T7000012050002)'],
      ['full-width digits', 'T７００００１２０５０００２', 'must be T and 13 half-width digits (適格請求書発行事業者登録番号, e.g. T7000012050002)'],
    ])('stops start-up on %s, in one line naming INVOICE_REGISTRATION_NUMBER', (_what, value, rule) => {
      expect(() => loadSettings({ INVOICE_ISSUER_NAME: '西日本電信電話株式会社', INVOICE_REGISTRATION_NUMBER: value })).toThrow(
        new ConfigurationError([{ path: 'INVOICE_REGISTRATION_NUMBER', message: rule }]),
      );
      expect(() => loadSettings({ INVOICE_REGISTRATION_NUMBER: value })).toThrow(/^invalid environment: INVOICE_REGISTRATION_NUMBER: [^\n]+$/);
    });

    it('keeps the placeholder for the part left unset or blank, flagged until both are set', () => {
      expect(loadSettings({ INVOICE_ISSUER_NAME: ' 西日本電信電話株式会社 ', INVOICE_REGISTRATION_NUMBER: ' ' }).invoiceIssuer).toEqual({
        name: '西日本電信電話株式会社',
        registrationNumber: PLACEHOLDER_ISSUER.registrationNumber,
        placeholder: true,
      });
      expect(loadSettings({ INVOICE_REGISTRATION_NUMBER: ' T7000012050002 ' }).invoiceIssuer).toEqual({
        name: PLACEHOLDER_ISSUER.name,
        registrationNumber: 'T7000012050002',
        placeholder: true,
      });
    });
  });
});

describe('TARIFF_OVERRIDES schema', () => {
  const schema = tariffOverridesSchema(SHIPPED_CATALOG);
  const domainIssues = (overrides: unknown): string[] => {
    try {
      applyOverrides(SHIPPED_CATALOG, overrides as TariffOverrides);
      return [];
    } catch (error) {
      if (!(error instanceof CatalogError)) throw error;
      return error.fields.map((f) => `${f.path || '(root)'}: ${f.message}`);
    }
  };
  const schemaIssues = (overrides: unknown): string[] => {
    const parsed = schema.safeParse(overrides);
    return parsed.success ? [] : fieldIssues(parsed.error).map((f) => `${f.path}: ${f.message}`);
  };

  it('refuses what the tariff refuses, with the same paths and rules', () => {
    const item = fc.constantFrom(...PLACEHOLDER_ITEMS, 'edrSecurity', 'nonsense');
    const amount = fc.oneof(fc.integer({ min: -2, max: 10_000_002 }), fc.constantFrom(10_000_000, 10_000_001, 1.5, Number.NaN), fc.string(), fc.constant(null));
    const prices = fc.oneof(fc.dictionary(item, amount, { maxKeys: 3 }), fc.constantFrom(null, [], 'x', 5));
    const revisionId = fc.constantFrom(...SHIPPED_CATALOG.map((r) => r.id), '2099-01-01');
    const overrides = fc.oneof(
      fc.record(
        { prices, revisions: fc.oneof(fc.dictionary(revisionId, prices, { maxKeys: 3 }), fc.constantFrom(null, [])), other: fc.integer() },
        { requiredKeys: [] },
      ),
      fc.constantFrom(null, [], 'text', 3),
    );
    fc.assert(
      fc.property(overrides, (value) => {
        // The same refusals, in the order each finds them.
        expect(schemaIssues(value).sort()).toEqual(domainIssues(value).sort());
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts what the tariff applies', () => {
    const revision = SHIPPED_CATALOG[SHIPPED_CATALOG.length - 1];
    const overrides = { prices: { cloudProxy: 0 }, revisions: { [revision.id]: { cloudProxy: 10_000_000 } } };
    expect(schema.parse(overrides)).toEqual(overrides);
    expect(domainIssues(overrides)).toEqual([]);
  });
});

describe('setting names', () => {
  it('lists every variable loadSettings reads', () => {
    expect(SETTING_NAMES).toEqual([
      'TABLE_NAME',
      'EVENT_BUS_NAME',
      'DYNAMODB_ENDPOINT',
      'EVENTBRIDGE_ENDPOINT',
      'DEAD_LETTER_QUEUE_URL',
      'TARIFF_OVERRIDES',
      'TERMINATION_FEE_TAXABLE',
      'RENEWAL_SHARDS',
      'AWS_ATTEMPT_TIMEOUT_MS',
      'INVOICE_ISSUER_NAME',
      'INVOICE_REGISTRATION_NUMBER',
      'INVOICE_BUCKET_NAME',
      'BILLING_QUEUE_URL',
    ]);
  });

  it('treats a blank variable as unset, trims the others, and refuses a fraction in one line', () => {
    expect(loadSettings({ RENEWAL_SHARDS: '  ', TERMINATION_FEE_TAXABLE: ' true ' })).toMatchObject({
      renewalShards: DEFAULT_RENEWAL_SHARDS,
      terminationFeeTaxable: true,
    });
    expect(() => loadSettings({ RENEWAL_SHARDS: '1.5' })).toThrow(/^invalid environment: RENEWAL_SHARDS: must be a whole number from 1 to 1000$/);
  });
});
