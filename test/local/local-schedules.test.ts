import type { LogPort } from '../../functions/use-cases/deps';
import {
  describeLocalSchedules,
  MAX_TIMER_MS,
  MONTHLY_BILLING,
  MONTHLY_RENEWAL,
  nextFireTime,
  startLocalSchedules,
  type LocalSchedule,
} from '../../local/local-schedules';

const at = (iso: string): Date => new Date(iso);
const SCHEDULES: Record<'renewal' | 'billing', LocalSchedule> = { renewal: MONTHLY_RENEWAL, billing: MONTHLY_BILLING };

describe('nextFireTime (the Scheduler cron in Asia/Tokyo, interface §7.4)', () => {
  it.each<[string, 'renewal' | 'billing', string, string]>([
    // Renewal, 00:05 JST on the 1st: 15:05 UTC on the last day of the month before.
    ['a minute before', 'renewal', '2025-04-30T15:04:00Z', '2025-04-30T15:05:00.000Z'],
    ['23:59:59 JST on the 30th, still 30 April in UTC', 'renewal', '2025-04-30T14:59:59Z', '2025-04-30T15:05:00.000Z'],
    ['00:00 JST on the 1st', 'renewal', '2025-04-30T15:00:00Z', '2025-04-30T15:05:00.000Z'],
    ['the fire time itself: the next month (strictly after)', 'renewal', '2025-04-30T15:05:00Z', '2025-05-31T15:05:00.000Z'],
    ['a millisecond after', 'renewal', '2025-04-30T15:05:00.001Z', '2025-05-31T15:05:00.000Z'],
    ['noon JST on the 1st', 'renewal', '2025-05-01T03:00:00Z', '2025-05-31T15:05:00.000Z'],
    ['29 Feb 23:59 JST of a leap year', 'renewal', '2024-02-29T14:59:00Z', '2024-02-29T15:05:00.000Z'],
    ['early on 29 Feb JST (28 Feb in UTC)', 'renewal', '2024-02-28T16:00:00Z', '2024-02-29T15:05:00.000Z'],
    ['28 Feb of a common year', 'renewal', '2025-02-28T12:00:00Z', '2025-02-28T15:05:00.000Z'],
    ['New Year: 00:05 JST on 1 January is 31 December in UTC', 'renewal', '2025-12-31T15:04:59Z', '2025-12-31T15:05:00.000Z'],
    ['just after New Year', 'renewal', '2025-12-31T15:05:00Z', '2026-01-31T15:05:00.000Z'],
    ['31 January to the end of February', 'renewal', '2026-01-31T15:05:00Z', '2026-02-28T15:05:00.000Z'],
    // Billing, 03:00 JST on the 2nd: 18:00 UTC on the 1st.
    ['02:59:59 JST on the 2nd', 'billing', '2025-05-01T17:59:59Z', '2025-05-01T18:00:00.000Z'],
    ['the billing fire time itself', 'billing', '2025-05-01T18:00:00Z', '2025-06-01T18:00:00.000Z'],
    ['00:00 JST on the 1st (the last day of the month before in UTC)', 'billing', '2025-01-31T15:00:00Z', '2025-02-01T18:00:00.000Z'],
    ['23:59 JST on the last day', 'billing', '2025-01-31T14:59:00Z', '2025-02-01T18:00:00.000Z'],
    ['29 Feb of a leap year', 'billing', '2024-02-29T00:00:00Z', '2024-03-01T18:00:00.000Z'],
    ['over New Year', 'billing', '2025-12-01T18:00:00Z', '2026-01-01T18:00:00.000Z'],
  ])('%s: %s after %s is %s', (_what, schedule, after, expected) => {
    expect(nextFireTime(SCHEDULES[schedule], at(after)).toISOString()).toBe(expected);
  });
});

interface Post {
  at: string;
  url: string;
  method: string | undefined;
  contentType: string | undefined;
  body: { scheduledTime: string };
}

/** A fake server: records each POST with the fake clock's time, and answers `status` with a small summary. */
function fakeServer(status: (url: string) => number = () => 200) {
  const posts: Post[] = [];
  const fetch = jest.fn(async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    posts.push({
      at: new Date(jest.now()).toISOString(),
      url,
      method: init?.method,
      contentType: new Headers(init?.headers).get('content-type') ?? undefined,
      body: JSON.parse(typeof init?.body === 'string' ? init.body : 'null') as Post['body'],
    });
    return new Response(JSON.stringify({ complete: true }), { status: status(url) });
  });
  return { posts, fetch: fetch as unknown as typeof globalThis.fetch };
}

function recordingLog() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const write =
    (level: string) =>
    (message: string, ...fields: Array<Record<string, unknown>>) =>
      lines.push({ level, message, fields: Object.assign({}, ...fields) as Record<string, unknown> });
  const log: LogPort = { info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
  return { lines, log };
}

const BASE = 'http://127.0.0.1:3999';

/** The POST a schedule makes at its fire time `scheduledTime` (whole seconds, UTC), as the Scheduler would send it. */
const scheduledPost = (schedule: 'renewal' | 'billing', scheduledTime: string): Post => ({
  at: at(scheduledTime).toISOString(),
  url: `${BASE}/_local/schedules/monthly-${schedule}`,
  method: 'POST',
  contentType: 'application/json',
  body: { scheduledTime },
});
const clock = { now: () => new Date(jest.now()) };
const DAY = 86_400_000;

describe('startLocalSchedules (npm start, interface §7.4)', () => {
  let delays: number[];

  beforeEach(() => {
    jest.useFakeTimers({ now: at('2025-04-30T12:00:00Z') });
    delays = [];
    const setTimeoutOf = globalThis.setTimeout;
    const recording = (callback: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return setTimeoutOf(callback, ms);
    };
    jest.spyOn(globalThis, 'setTimeout').mockImplementation(recording);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('fires both schedules at their instants for two months, POSTing what the Scheduler sends', async () => {
    const server = fakeServer();
    const { log } = recordingLog();
    const schedules = startLocalSchedules({ baseUrl: BASE, clock, log, fetch: server.fetch });
    await jest.advanceTimersByTimeAsync(at('2025-06-02T00:00:00Z').getTime() - jest.now());
    schedules.stop();

    expect(server.posts).toEqual([
      scheduledPost('renewal', '2025-04-30T15:05:00Z'),
      scheduledPost('billing', '2025-05-01T18:00:00Z'),
      scheduledPost('renewal', '2025-05-31T15:05:00Z'),
      scheduledPost('billing', '2025-06-01T18:00:00Z'),
    ]);
  });

  it('keeps one timer, never longer than setTimeout takes, re-armed over a gap of 30 days', async () => {
    // Just after billing on 2 January: the next fire is renewal on 1 February, 29.9 days on.
    jest.setSystemTime(at('2025-01-01T18:00:00Z'));
    const server = fakeServer();
    const schedules = startLocalSchedules({ baseUrl: BASE, clock, log: recordingLog().log, fetch: server.fetch });
    expect(jest.getTimerCount()).toBe(1);
    expect(delays).toEqual([MAX_TIMER_MS]);

    await jest.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(server.posts).toEqual([]);
    expect(jest.getTimerCount()).toBe(1);
    expect(delays[1]).toBe(at('2025-01-31T15:05:00Z').getTime() - jest.now());

    await jest.advanceTimersByTimeAsync(delays[1]);
    expect(server.posts.map((post) => [post.at, post.body.scheduledTime])).toEqual([['2025-01-31T15:05:00.000Z', '2025-01-31T15:05:00Z']]);
    expect(jest.getTimerCount()).toBe(1);
    expect(delays).toEqual([MAX_TIMER_MS, delays[1], at('2025-02-01T18:00:00Z').getTime() - at('2025-01-31T15:05:00Z').getTime()]);
    schedules.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('logs one line per fire with the answer’s status, an error line for a failed run or a server that does not answer', async () => {
    let answering = true;
    const server = fakeServer((url) => (url.endsWith('monthly-billing') ? 500 : 200));
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (!answering) throw new TypeError('fetch failed');
      return server.fetch(input, init);
    };
    const { lines, log } = recordingLog();
    const schedules = startLocalSchedules({ baseUrl: BASE, clock, log, fetch });
    await jest.advanceTimersByTimeAsync(2 * DAY);
    answering = false;
    await jest.advanceTimersByTimeAsync(30 * DAY);
    schedules.stop();

    expect(lines).toEqual([
      {
        level: 'INFO',
        message: 'local schedule fired',
        fields: {
          schedule: 'monthly-renewal',
          scheduledTime: '2025-04-30T15:05:00Z',
          jst: '2025-05-01T00:05:00+09:00',
          status: 200,
          answer: { complete: true },
        },
      },
      {
        level: 'ERROR',
        message: 'local schedule fired; the run failed',
        fields: {
          schedule: 'monthly-billing',
          scheduledTime: '2025-05-01T18:00:00Z',
          jst: '2025-05-02T03:00:00+09:00',
          status: 500,
          answer: { complete: true },
        },
      },
      {
        level: 'ERROR',
        message: 'local schedule fired; the local server did not answer',
        fields: {
          schedule: 'monthly-renewal',
          scheduledTime: '2025-05-31T15:05:00Z',
          jst: '2025-06-01T00:05:00+09:00',
          error: new TypeError('fetch failed'),
        },
      },
    ]);
  });

  it('does not fire before the machine’s clock reaches the fire time, even when the timer wakes early', async () => {
    // The wall clock is set back 10 s after the timer was armed: the timer wakes when the clock says 00:04:50 JST.
    let offset = 0;
    const setBack = { now: () => new Date(jest.now() + offset) };
    const server = fakeServer();
    const schedules = startLocalSchedules({ baseUrl: BASE, clock: setBack, log: recordingLog().log, fetch: server.fetch });
    offset = -10_000;
    await jest.advanceTimersByTimeAsync(at('2025-04-30T15:05:00Z').getTime() - jest.now());
    expect(server.posts).toEqual([]);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(server.posts).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(server.posts.map((post) => post.body)).toEqual([{ scheduledTime: '2025-04-30T15:05:00Z' }]);
    schedules.stop();
  });

  it('after a machine slept through fire times, fires each schedule once, for its latest missed instant', async () => {
    // The clock jumps 70 days while the timer (a monotonic wait) still waits for 1 May.
    let offset = 0;
    const sleeper = { now: () => new Date(jest.now() + offset) };
    const server = fakeServer();
    const schedules = startLocalSchedules({ baseUrl: BASE, clock: sleeper, log: recordingLog().log, fetch: server.fetch });
    offset = 70 * DAY; // 2025-07-09T12:00Z on the clock
    await jest.advanceTimersByTimeAsync(at('2025-04-30T15:05:00Z').getTime() - jest.now());
    expect(server.posts.map((post) => post.body)).toEqual([{ scheduledTime: '2025-06-30T15:05:00Z' }, { scheduledTime: '2025-07-01T18:00:00Z' }]);
    expect(schedules.upcoming().map(({ schedule, at }) => [schedule.name, at.toISOString()])).toEqual([
      ['monthly-renewal', '2025-07-31T15:05:00.000Z'],
      ['monthly-billing', '2025-08-01T18:00:00.000Z'],
    ]);
    schedules.stop();
  });

  it('fires nothing once stopped, and abandons a run still waiting for its answer', async () => {
    const { lines, log } = recordingLog();
    let posted = 0;
    const hanging: typeof globalThis.fetch = (_input, init) => {
      posted += 1;
      return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    };
    const schedules = startLocalSchedules({ baseUrl: BASE, clock, log, fetch: hanging });
    await jest.advanceTimersByTimeAsync(at('2025-04-30T15:05:00Z').getTime() - jest.now());
    expect(posted).toBe(1);
    schedules.stop();
    await jest.advanceTimersByTimeAsync(0);
    expect(lines).toEqual([expect.objectContaining({ level: 'WARN', message: 'local schedule fired; abandoned by npm start stopping' })]);
    await jest.advanceTimersByTimeAsync(90 * DAY);
    expect(posted).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('LOCAL_SCHEDULES=off (enabled: false) arms nothing and fires nothing', async () => {
    const server = fakeServer();
    const { lines, log } = recordingLog();
    const schedules = startLocalSchedules({ baseUrl: BASE, clock, log, fetch: server.fetch, enabled: false });
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(90 * DAY);
    expect(server.posts).toEqual([]);
    expect(lines).toEqual([]);
    expect(schedules.upcoming()).toEqual([]);
    expect(describeLocalSchedules(schedules)).toMatch(/^off \(LOCAL_SCHEDULES=off\)/);
  });

  it('says in the banner that they are on and when each fires next, in JST', () => {
    const schedules = startLocalSchedules({ baseUrl: BASE, clock, log: recordingLog().log, fetch: fakeServer().fetch });
    expect(describeLocalSchedules(schedules)).toBe(
      "on, on this machine's clock; next: monthly-renewal 2025-05-01 00:05 JST, monthly-billing 2025-05-02 03:00 JST (LOCAL_SCHEDULES=off turns them off)",
    );
    schedules.stop();
  });
});
