import { BenchUsageError, DEFAULT_OUT, FIGURES, FULL, parseBenchArgs, QUICK } from '../../bench/options';

describe('npm run bench options', () => {
  it('measures every figure group at the sizes of issue 6 by default', () => {
    expect(parseBenchArgs([])).toEqual({ ...FULL, figures: [...FIGURES], out: DEFAULT_OUT });
    expect(FULL.renewalContracts).toBe(100_000);
  });

  it('scales every size down with --quick, and takes each size on its own', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject(QUICK);
    expect(parseBenchArgs(['--quick', '--renewal-contracts', '5000', '--load-runs', '3'])).toMatchObject({ ...QUICK, renewalContracts: 5_000, loadRuns: 3 });
  });

  it('runs only the groups --only names, in the order of the table', () => {
    expect(parseBenchArgs(['--only', 'domain,applications'])?.figures).toEqual(['applications', 'domain']);
  });

  it('answers --help with null (the usage is printed)', () => {
    expect(parseBenchArgs(['--help'])).toBeNull();
  });

  it.each([
    [['--applications', '0'], /--applications must be a whole number of 1 or more, not 0/],
    [['--concurrency', '2.5'], /--concurrency must be a whole number/],
    [['--only', 'renewal,speed'], /unknown: speed/],
    [['--fast'], /Unknown option '--fast'/],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
