import { DEFAULT_BUS_NAME } from '../../functions/topology/routing';
import { DeploymentSettingsError, readDeploymentSettings } from '../../lib/settings';

const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

describe('readDeploymentSettings (CDK context)', () => {
  it('defaults to the routing module bus, the shipped placeholders and a non-taxable fee (Decision T3)', () => {
    expect(readDeploymentSettings(contextOf({}))).toEqual({
      busName: DEFAULT_BUS_NAME,
      tariffOverrides: '',
      terminationFeeTaxable: false,
      alarmEmail: null,
      consoleDomainPrefix: null,
      invoiceIssuerName: '',
      invoiceRegistrationNumber: '',
    });
  });

  it('takes -c strings as the CLI passes them', () => {
    const settings = readDeploymentSettings(
      contextOf({
        busName: 'omakase-staging',
        tariffOverrides: '{"prices":{"cloudProxy":450}}',
        terminationFeeTaxable: 'true',
        alarmEmail: 'ops@example.co.jp',
        consoleDomainPrefix: 'omakase-staging-console',
        invoiceIssuer: '{"name":"西日本電信電話株式会社","registrationNumber":"T7000012050002"}',
      }),
    );
    expect(settings).toEqual({
      busName: 'omakase-staging',
      tariffOverrides: '{"prices":{"cloudProxy":450}}',
      terminationFeeTaxable: true,
      alarmEmail: 'ops@example.co.jp',
      consoleDomainPrefix: 'omakase-staging-console',
      invoiceIssuerName: '西日本電信電話株式会社',
      invoiceRegistrationNumber: 'T7000012050002',
    });
  });

  it('takes cdk.json values with their JSON types and hands the functions JSON text', () => {
    const settings = readDeploymentSettings(contextOf({ tariffOverrides: { revisions: { '2024-04-01': { elgana: 330 } } }, terminationFeeTaxable: false }));
    expect(JSON.parse(settings.tariffOverrides)).toEqual({ revisions: { '2024-04-01': { elgana: 330 } } });
    expect(settings.terminationFeeTaxable).toBe(false);
  });

  it('takes invoiceIssuer as a cdk.json object, trimmed; a part left out or blank stays unset for the functions (their placeholder, 仮)', () => {
    expect(readDeploymentSettings(contextOf({ invoiceIssuer: { name: ' 西日本電信電話株式会社 ', registrationNumber: 'T1180301018771' } }))).toMatchObject({
      invoiceIssuerName: '西日本電信電話株式会社',
      invoiceRegistrationNumber: 'T1180301018771',
    });
    expect(readDeploymentSettings(contextOf({ invoiceIssuer: { name: '西日本電信電話株式会社' } }))).toMatchObject({
      invoiceIssuerName: '西日本電信電話株式会社',
      invoiceRegistrationNumber: '',
    });
    expect(readDeploymentSettings(contextOf({ invoiceIssuer: { registrationNumber: ' ', name: null } }))).toMatchObject({
      invoiceIssuerName: '',
      invoiceRegistrationNumber: '',
    });
  });

  it.each([
    [
      { registrationNumber: 'T8000012050002' },
      'invoiceIssuer.registrationNumber: its first digit is not the 法人番号 check digit of the 12 after it: a digit is mistyped',
    ],
    [
      { registrationNumber: '7000012050002' },
      'invoiceIssuer.registrationNumber: must be T and 13 half-width digits (適格請求書発行事業者登録番号, e.g. T7000012050002)',
    ],
    [
      '{"registrationNumber":"T700001205000"}',
      'invoiceIssuer.registrationNumber: must be T and 13 half-width digits (適格請求書発行事業者登録番号, e.g. T7000012050002)',
    ],
    [{ registrationNumber: 7000012050002 }, 'invoiceIssuer.registrationNumber: must be text'],
    [{ name: ['NTT'] }, 'invoiceIssuer.name: must be text'],
    [{ name: 'NTT', registrationNo: 'T7000012050002' }, 'invoiceIssuer.registrationNo: unknown key (expected name or registrationNumber)'],
    ['T7000012050002', 'invoiceIssuer: must be JSON {"name": "…", "registrationNumber": "T…"}'],
    [['T7000012050002'], 'invoiceIssuer: must be an object {"name": "…", "registrationNumber": "T…"}'],
  ])('stops synth on invoiceIssuer %j with one line naming the setting', (invoiceIssuer, line) => {
    expect(() => readDeploymentSettings(contextOf({ invoiceIssuer }))).toThrow(new DeploymentSettingsError([line]));
    expect(() => readDeploymentSettings(contextOf({ invoiceIssuer }))).toThrow(/^invalid CDK context: [^\n]+$/);
  });

  it.each([
    [{ tariffOverrides: '{"prices": ' }, /tariffOverrides: must be JSON/],
    [{ tariffOverrides: '{"prices":{"endpointSecurity":1}}' }, /tariffOverrides\.prices\.endpointSecurity: only amounts the seed does not state/],
    [{ tariffOverrides: '{"prices":{"cloudProxy":1.5}}' }, /tariffOverrides\.prices\.cloudProxy: must be a whole number of yen/],
    [{ terminationFeeTaxable: 'yes' }, /terminationFeeTaxable: must be true or false/],
    [{ busName: 'default' }, /busName: must be a custom event bus name/],
    [{ busName: 'bus with spaces' }, /busName: must be a custom event bus name/],
    [{ alarmEmail: 'ops' }, /alarmEmail: must be one e-mail address/],
    [{ alarmEmail: 'a@example.com,b@example.com' }, /alarmEmail: must be one e-mail address/],
    [{ alarmEmail: true }, /alarmEmail: must be one e-mail address/],
    [{ consoleDomainPrefix: 'Omakase' }, /consoleDomainPrefix: must be 1-63 of a-z 0-9 and inner -/],
    [{ consoleDomainPrefix: '-omakase' }, /consoleDomainPrefix: must be 1-63/],
    [{ consoleDomainPrefix: 'x'.repeat(64) }, /consoleDomainPrefix: must be 1-63/],
    [{ consoleDomainPrefix: 'omakase-cognito' }, /without "aws", "amazon" or "cognito"/],
    [{ consoleDomainPrefix: '' }, /consoleDomainPrefix: must be 1-63/],
  ])('refuses %j, naming the key and the rule', (context, message) => {
    expect(() => readDeploymentSettings(contextOf(context))).toThrow(DeploymentSettingsError);
    expect(() => readDeploymentSettings(contextOf(context))).toThrow(message);
  });

  it('lists every bad key at once', () => {
    expect(() => readDeploymentSettings(contextOf({ busName: 'default', terminationFeeTaxable: 'no' }))).toThrow(/busName: .*; terminationFeeTaxable: /);
  });
});
