import { applicationDetail } from '../../bench/fixtures';
import * as z from 'zod/mini';
import { fieldIssues, MAX_KEY_SHOWN } from '../../functions/schemas/field-issues';
import { identifier, MAX_BYTES, maxBytes } from '../../functions/schemas/fields';
import { parseInbound } from '../../functions/schemas/inbound';
import { applicationSchema } from '../../functions/schemas/orders/application';
import { cancellationSchema } from '../../functions/schemas/orders/cancellation';
import { renewalPayloadSchema } from '../../functions/schemas/renewal';

/**
 * The `fields` a refusal names (interface §1.2): a dotted path and a message per failing
 * field, our own messages where the schemas give one and zod's English ones elsewhere.
 * The schemas use zod/mini, which has no messages unless configured (functions/schemas/field-issues.ts).
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
      { path: 'appliedAt', message: 'must be an instant with its UTC offset, e.g. 2024-05-01T10:00:00+09:00, in 9998 (JST) at the latest' },
      { path: 'customer.kind', message: 'Invalid option: expected one of "corporation"|"individual"' },
      { path: 'lineId', message: 'must not be empty' },
      { path: 'plan.code', message: 'Invalid option: expected one of "none"|"prime"|"prime-plus"' },
      { path: 'services.edrSecurity.terminals', message: 'must be 0 or more' },
      { path: 'services.firewall', message: 'unknown field' },
      { path: 'billing', message: 'Invalid input: expected object, received undefined' },
    ]);
  });

  it('names a long unknown key by its start and length, and a lone surrogate in a key as U+FFFD', () => {
    const valid = applicationDetail('o-1', 'l-1', 'c-1');
    const long = 'k'.repeat(200_000);
    const issues = issuesOf(applicationSchema, { ...valid, services: { [long]: {}, '\ud800x': {}, [`a${'😀'.repeat(40)}`]: {} } });
    expect(issues).toEqual([
      { path: `services.${'k'.repeat(MAX_KEY_SHOWN)}… (200000 characters)`, message: 'unknown field' },
      { path: 'services.\uFFFDx', message: 'unknown field' },
      // Cut inside a surrogate pair: the half left is replaced too.
      { path: `services.a${'😀'.repeat(31)}\uFFFD… (81 characters)`, message: 'unknown field' },
    ]);
    expect(JSON.stringify(issues).length).toBeLessThan(1_000);
  });

  it('refuses text holding a lone surrogate (DynamoDB stores UTF-8), and takes a surrogate pair', () => {
    const valid = applicationDetail('o-1', 'l-1', 'c-1');
    const surrogate = (name: string) => ({ ...valid, customer: { ...valid.customer, name, phone: `06${name}` } });
    const message = 'must be well-formed Unicode text (no lone surrogate)';
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
      reason: `no readable orderId (detail.orderId: must be at most ${MAX_BYTES.orderId} bytes in UTF-8), so no outcome can be published for this event`,
    });
    // As many bytes as may be: refused through its outcome, over K2's 64 characters.
    const longest = 'あ'.repeat(Math.floor(MAX_BYTES.orderId / 3));
    expect(parseInbound(cancellationSchema, { orderId: longest, contractId: 'c' })).toMatchObject({
      kind: 'invalid',
      orderId: longest,
      reason: { fields: expect.arrayContaining([{ path: 'orderId', message: 'must be at most 64 characters' }]) },
    });
  });

  it('counts bytes of UTF-8: 1 to 3 a character, 4 a surrogate pair', () => {
    const fourBytes = z.string().check(maxBytes(4));
    expect(['abcd', 'あa', '😀'].map((value) => fourBytes.safeParse(value).success)).toEqual([true, true, true]);
    const refused = fourBytes.safeParse('ああ');
    expect(refused.success ? [] : fieldIssues(refused.error)).toEqual([{ path: '(root)', message: 'must be at most 4 bytes in UTF-8' }]);
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
          { path: 'requestedAt', message: 'Invalid input: expected string, received undefined' },
          { path: 'effectiveDate', message: 'must be a real JST calendar date YYYY-MM-DD, in 9998 at the latest' },
        ],
      },
    });
    expect(parseInbound(cancellationSchema, { orderId: '', contractId: 'c' })).toEqual({
      kind: 'unreadable',
      reason: 'no readable orderId (detail.orderId: must not be empty), so no outcome can be published for this event',
    });
  });
});

describe('fields of a refused renewal payload', () => {
  it.each([
    [{}, [{ path: 'scheduledTime', message: 'Invalid input: expected string, received undefined' }]],
    [{ scheduledTime: '2024-06-01T00:00:00+09:00', shards: [] }, [{ path: 'shards', message: 'Too small: expected array to have >=1 items' }]],
    [
      { scheduledTime: 5, shards: [1.5, -1, 'a'] },
      [
        { path: 'scheduledTime', message: 'Invalid input: expected string, received number' },
        { path: 'shards.0', message: 'Invalid input: expected int, received number' },
        { path: 'shards.1', message: 'Too small: expected number to be >=0' },
        { path: 'shards.2', message: 'Invalid input: expected number, received string' },
      ],
    ],
    [null, [{ path: '(root)', message: 'Invalid input: expected object, received null' }]],
  ])('%j', (payload, fields) => {
    expect(issuesOf(renewalPayloadSchema, payload)).toEqual(fields);
  });
});
