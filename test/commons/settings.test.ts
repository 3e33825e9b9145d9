import { catalogOf, ConfigurationError, DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_RENEWAL_SHARDS, loadSettings } from '../../functions/commons/settings';
import { priceOf, revisionInForceOn } from '../../functions/domain/tariff/versioned-tariff';

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
    });
    expect(settings).toMatchObject({
      tableName: 'contracts-prod',
      terminationFeeTaxable: true,
      renewalShards: 32,
      dynamoDbEndpoint: 'http://127.0.0.1:8000',
      attemptTimeoutMs: 2500,
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
    ]);
  });

  it('names TARIFF_OVERRIDES itself when its JSON is not an object', () => {
    expect(() => loadSettings({ TARIFF_OVERRIDES: '[]' })).toThrow(/TARIFF_OVERRIDES: must be an object/);
  });

  it('refuses TARIFF_OVERRIDES that is not JSON', () => {
    expect(() => loadSettings({ TARIFF_OVERRIDES: '{prices:' })).toThrow(/TARIFF_OVERRIDES: must be JSON/);
  });
});
