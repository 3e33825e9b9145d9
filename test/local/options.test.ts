import { ConfigurationError } from '../../functions/wiring/settings';
import { DEFAULT_RETRY } from '../../local/event-bus';
import { parseStartOptions, UsageError } from '../../local/options';
import { DEFAULT_PORT } from '../../local/stack';

describe("npm start's options (local/options.ts)", () => {
  it('has defaults, a blank variable counting as unset', () => {
    expect(parseStartOptions([], { PORT: ' ', LOCAL_DATA_DIR: '' })).toMatchObject({
      help: false,
      port: DEFAULT_PORT,
      dataDir: null,
      retry: DEFAULT_RETRY,
      settings: { tableName: 'omakase-contracts' },
    });
  });

  it('reads flags and variables', () => {
    expect(
      parseStartOptions(['--data-dir', '/tmp/data', '-h'], { PORT: '0', LOCAL_RETRY_ATTEMPTS: '3', LOCAL_RETRY_DELAY_MS: '10', RENEWAL_SHARDS: '4' }),
    ).toMatchObject({ help: true, port: 0, dataDir: '/tmp/data', retry: { maxAttempts: 3, baseDelayMs: 10 }, settings: { renewalShards: 4 } });
    expect(parseStartOptions([], { LOCAL_DATA_DIR: ' /tmp/kept ' }).dataDir).toBe('/tmp/kept');
  });

  it('refuses bad values all at once, in one line naming each option, its rule and the value given', () => {
    expect(() => parseStartOptions([], { PORT: '70000', LOCAL_RETRY_ATTEMPTS: '0', LOCAL_RETRY_DELAY_MS: '1.5' })).toThrow(
      new UsageError(
        'invalid options: PORT: must be a whole number from 0 to 65535, not "70000"; ' +
          'LOCAL_RETRY_ATTEMPTS: must be a whole number from 1 to 100, not "0"; ' +
          'LOCAL_RETRY_DELAY_MS: must be a whole number from 0 to 3600000, not "1.5"',
      ),
    );
  });

  it('fires the schedules unless LOCAL_SCHEDULES=off (interface §7.4)', () => {
    expect(parseStartOptions([], {}).localSchedules).toBe(true);
    expect(parseStartOptions([], { LOCAL_SCHEDULES: ' ' }).localSchedules).toBe(true);
    expect(parseStartOptions([], { LOCAL_SCHEDULES: 'on' }).localSchedules).toBe(true);
    expect(parseStartOptions([], { LOCAL_SCHEDULES: 'off' }).localSchedules).toBe(false);
    expect(parseStartOptions([], { LOCAL_SCHEDULES: ' off ' }).localSchedules).toBe(false);
    expect(() => parseStartOptions([], { LOCAL_SCHEDULES: 'false' })).toThrow(
      new UsageError('invalid options: LOCAL_SCHEDULES: must be on or off, not "false"'),
    );
  });

  it('stops on an invoice registration number with a wrong check digit, naming the variable (Decision I5)', () => {
    expect(() => parseStartOptions([], { INVOICE_REGISTRATION_NUMBER: 'T8000012050002' })).toThrow(ConfigurationError);
    expect(() => parseStartOptions([], { INVOICE_REGISTRATION_NUMBER: 'T8000012050002' })).toThrow(
      /^invalid environment: INVOICE_REGISTRATION_NUMBER: its first digit is not the 法人番号 check digit/,
    );
  });

  it('refuses an unknown flag with the usage', () => {
    expect(() => parseStartOptions(['--nope'], {})).toThrow(UsageError);
    expect(() => parseStartOptions(['--nope'], {})).toThrow(/Usage: npm start/);
  });

  it("refuses the functions' settings as they do", () => {
    expect(() => parseStartOptions([], { RENEWAL_SHARDS: 'many' })).toThrow(ConfigurationError);
    expect(() => parseStartOptions([], { RENEWAL_SHARDS: 'many' })).toThrow('invalid environment: RENEWAL_SHARDS: must be a whole number from 1 to 1000');
  });

  it('refuses a data folder with another DynamoDB', () => {
    expect(() => parseStartOptions(['--data-dir', '/tmp/d'], { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toThrow(/exclude each other/);
  });
});
