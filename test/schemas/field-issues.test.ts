import { applicationDetail } from '../../bench/fixtures';
import * as z from 'zod/mini';
import { fieldIssues, MAX_KEY_SHOWN, UNKNOWN_FIELD } from '../../functions/schemas/field-issues';
import { identifier, MAX_BYTES, maxBytes } from '../../functions/schemas/fields';
import { parseInbound } from '../../functions/schemas/inbound';
import { applicationSchema } from '../../functions/schemas/orders/application';
import { cancellationSchema } from '../../functions/schemas/orders/cancellation';
import { renewalPayloadSchema } from '../../functions/schemas/renewal';

/**
 * The `fields` a refusal names (interface §1.2): a dotted path and a message per failing
 * field, in Japanese: our own messages where the schemas give one, the Japanese error map
 * (functions/schemas/japanese-issues.ts) elsewhere. The schemas use zod/mini, which has no
 * messages unless configured (functions/schemas/field-issues.ts).
 */
const issuesOf = (schema: typeof applicationSchema | typeof renewalPayloadSchema, value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error(`expected a refusal, parsed ${JSON.stringify(parsed.data)}`);
  return fieldIssues(parsed.error);
};

describe('fields of a refused inbound detail', () => {
  it('names every failing field once, unknown keys by their own path', () => {
    const valid = applicationDetail('o-1', 'l-1', 'c-1');
    const { billing: _dropped, ...withoutBilling } = valid;
    const detail = {
      ...withoutBilling,
      appliedAt: '2024-05-01T10:00:00',
      lineId: '',
      customer: { ...valid.customer, kind: 'company' },
      plan: { code: 'gold' },
      services: { edrSecurity: { terminals: -1 }, firewall: {} },
    };
    expect(issuesOf(applicationSchema, detail)).toEqual([
      { path: 'appliedAt', message: '日時は時差 (タイムゾーン) 付きで指定してください (例 2024-05-01T10:00:00+09:00)。9998年 (日本時間) までの日時に限ります' },
      { path: 'customer.kind', message: '法人 (corporation)、個人 (individual) のいずれかを指定してください' },
      { path: 'lineId', message: '空にはできません。1文字以上で指定してください' },
      { path: 'plan.code', message: 'パッケージプランなし (none)、プライムプラン (prime)、プライムPlusプラン (prime-plus) のいずれかを指定してください' },
      { path: 'services.edrSecurity.terminals', message: '0以上で指定してください' },
      { path: 'services.firewall', message: '指定できない項目です' },
      { path: 'billing', message: '指定が必須です' },
    ]);
  });

  it('names a long unknown key by its start and length, and a lone surrogate in a key as U+FFFD', () => {
    const valid = applicationDetail('o-1', 'l-1', 'c-1');
    const long = 'k'.repeat(200_000);
    const issues = issuesOf(applicationSchema, { ...valid, services: { [long]: {}, '\ud800x': {}, [`a${'😀'.repeat(40)}`]: {} } });
    expect(issues).toEqual([
      { path: `services.${'k'.repeat(MAX_KEY_SHOWN)}… (200000文字)`, message: UNKNOWN_FIELD },
      { path: 'services.\uFFFDx', message: UNKNOWN_FIELD },
      // Cut inside a surrogate pair: the half left is replaced too.
      { path: `services.a${'😀'.repeat(31)}\uFFFD… (81文字)`, message: UNKNOWN_FIELD },
    ]);
    expect(JSON.stringify(issues).length).toBeLessThan(1_000);
  });

  it('refuses text holding a lone surrogate (DynamoDB stores UTF-8), and takes a surrogate pair', () => {
    const valid = applicationDetail('o-1', 'l-1', 'c-1');
    const surrogate = (name: string) => ({ ...valid, customer: { ...valid.customer, name, phone: `06${name}` } });
    const message = '文字化けした文字 (対になっていないサロゲート) が含まれています。正しい文字で指定してください';
    expect(issuesOf(applicationSchema, surrogate('株式会社\ud83d'))).toEqual([
      { path: 'customer.name', message },
      { path: 'customer.phone', message },
    ]);
    expect(issuesOf(applicationSchema, surrogate('\ude00株式会社'))).toHaveLength(2);
    expect(applicationSchema.safeParse(surrogate('株式会社😀')).success).toBe(true);
    expect(parseInbound(cancellationSchema, { orderId: 'o-\udfff', contractId: 'c' })).toEqual({
      kind: 'unreadable',
      reason: `no readable orderId (detail.orderId: ${message}), so no outcome can be published for this event`,
    });
  });

  it('holds an orderId to the bytes its key may take in UTF-8, which DynamoDB counts, not characters', () => {
    // 700 characters (an orderId may have 1,024) but 2,100 bytes: no order item could be keyed by it.
    expect(parseInbound(cancellationSchema, { orderId: 'あ'.repeat(700), contractId: 'c' })).toEqual({
      kind: 'unreadable',
      reason: `no readable orderId (detail.orderId: 長すぎます。文字コード換算で${MAX_BYTES.orderId}バイト以内にしてください), so no outcome can be published for this event`,
    });
    // As many bytes as may be: refused through its outcome, over K2's 64 characters.
    const longest = 'あ'.repeat(Math.floor(MAX_BYTES.orderId / 3));
    expect(parseInbound(cancellationSchema, { orderId: longest, contractId: 'c' })).toMatchObject({
      kind: 'invalid',
      orderId: longest,
      reason: { fields: expect.arrayContaining([{ path: 'orderId', message: '64文字以内で指定してください' }]) },
    });
  });

  it('counts bytes of UTF-8: 1 to 3 a character, 4 a surrogate pair', () => {
    const fourBytes = z.string().check(maxBytes(4));
    expect(['abcd', 'あa', '😀'].map((value) => fourBytes.safeParse(value).success)).toEqual([true, true, true]);
    const refused = fourBytes.safeParse('ああ');
    expect(refused.success ? [] : fieldIssues(refused.error)).toEqual([{ path: '(root)', message: '長すぎます。文字コード換算で4バイト以内にしてください' }]);
    // An id's 64 characters stay within its bytes whatever they are: 128 bytes of surrogate pairs pass.
    expect(identifier.safeParse('😀'.repeat(32)).success).toBe(true);
  });

  it('fills the defaults of interface §1.1 on a valid detail', () => {
    const parsed = parseInbound(cancellationSchema, { orderId: 'o', requestedAt: '2024-06-01T10:00:00+09:00', contractId: 'c' });
    expect(parsed).toEqual({
      kind: 'valid',
      orderId: 'o',
      request: { orderId: 'o', requestedAt: '2024-06-01T10:00:00+09:00', contractId: 'c', effectiveDate: '2024-06-01' },
    });
  });

  it('refuses a detail with a readable orderId through its fields, and dead-letters one without', () => {
    const invalid = parseInbound(cancellationSchema, { orderId: 'o', contractId: 'c', effectiveDate: '2024-02-30' });
    expect(invalid).toMatchObject({
      kind: 'invalid',
      orderId: 'o',
      contractId: 'c',
      reason: {
        code: 'INVALID_REQUEST',
        fields: [
          { path: 'requestedAt', message: '指定が必須です' },
          { path: 'effectiveDate', message: '実在する日付を 2024-05-10 の形式で指定してください (9998年まで)' },
        ],
      },
    });
    expect(parseInbound(cancellationSchema, { orderId: '', contractId: 'c' })).toEqual({
      kind: 'unreadable',
      reason: 'no readable orderId (detail.orderId: 空にはできません。1文字以上で指定してください), so no outcome can be published for this event',
    });
  });
});

describe('fields of a refused renewal payload', () => {
  it.each([
    [{}, [{ path: 'scheduledTime', message: '指定が必須です' }]],
    [{ scheduledTime: '2024-06-01T00:00:00+09:00', shards: [] }, [{ path: 'shards', message: '1件以上指定してください' }]],
    [
      { scheduledTime: 5, shards: [1.5, -1, 'a'] },
      [
        { path: 'scheduledTime', message: '文字列で指定してください' },
        { path: 'shards.0', message: '整数で指定してください' },
        { path: 'shards.1', message: '0以上で指定してください' },
        { path: 'shards.2', message: '数値で指定してください' },
      ],
    ],
    [null, [{ path: '(root)', message: 'オブジェクト形式で指定してください' }]],
  ])('%j', (payload, fields) => {
    expect(issuesOf(renewalPayloadSchema, payload)).toEqual(fields);
  });
});
