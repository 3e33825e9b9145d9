import { VOLUME_GB_RULE } from '../../functions/domain/charges/one-off-fees';
import { fieldIssues } from '../../functions/schemas/field-issues';
import { oneOffOrderSchema } from '../../functions/schemas/orders/one-off-order';

/** docs/terms.md V3 at the edge: a device's volume in GB with up to 3 decimals. */
const order = (volumeGB: unknown) => ({
  orderId: 'ORD-V3',
  requestedAt: '2024-06-03T09:00:00+09:00',
  contractId: 'K-1',
  dataMigration: { devices: [{ volumeGB }] },
});

describe('OneOffServiceOrdered: dataMigration.devices[].volumeGB (V3)', () => {
  it.each([0.001, 4.5, 4.7, 4.701, 1.005, 5_200, 1_000_000])('takes %d GB', (volumeGB) => {
    expect(oneOffOrderSchema.safeParse(order(volumeGB)).success).toBe(true);
  });

  it.each([
    [4.7001, VOLUME_GB_RULE],
    [0, VOLUME_GB_RULE],
    [-4.5, VOLUME_GB_RULE],
    [1_000_000.001, '1,000,000以下で指定してください'],
    ['4.5', '数値で指定してください'],
  ])('refuses %p naming the field: %s', (volumeGB, message) => {
    const parsed = oneOffOrderSchema.safeParse(order(volumeGB));
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(fieldIssues(parsed.error)).toEqual([{ path: 'dataMigration.devices.0.volumeGB', message }]);
  });
});
