import { yenLabel } from '../../functions/domain/yen';

describe('yenLabel', () => {
  it.each([
    [0, '0円'],
    [999, '999円'],
    [1000, '1,000円'],
    [19000, '19,000円'],
    [1234567, '1,234,567円'],
    [-3000, '-3,000円'],
  ])('%i is %s', (amount, label) => {
    expect(yenLabel(amount)).toBe(label);
  });

  it('reads as the ja-JP locale does, for any amount', () => {
    for (const amount of [1, 12, 123, 1234, 12345, 123456, 1234567890, Number.MAX_SAFE_INTEGER]) {
      expect(yenLabel(amount)).toBe(`${amount.toLocaleString('ja-JP')}円`);
    }
  });

  it('refuses a fraction of a yen', () => {
    expect(() => yenLabel(1.5)).toThrow(RangeError);
  });
});
