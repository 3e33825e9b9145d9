import { addMonths, jstDateOf, monthOf, toJstIso, type YearMonth } from '../functions/domain/calendar';
import type { Clock, LogPort } from '../functions/use-cases/deps';

/**
 * `npm start`'s stand-in for the EventBridge Scheduler schedules (interface §7.4): on
 * the machine's clock, it POSTs to the local server's /_local/schedules endpoints what
 * the Scheduler sends the functions on AWS, at the instants it would send it.
 * LOCAL_SCHEDULES=off (local/options.ts) leaves it off.
 */

/** A monthly schedule as the CDK stack declares it: cron(minute hour day * ? *) in Asia/Tokyo. */
export interface LocalSchedule {
  name: 'monthly-renewal' | 'monthly-billing';
  /** The local server's endpoint that runs it as the Scheduler's invocation would. */
  path: string;
  /** JST day of the month (at most 28, so every month has it), hour and minute. */
  day: number;
  hour: number;
  minute: number;
}

/** Interface §4: 00:05 on the 1st. */
export const MONTHLY_RENEWAL: LocalSchedule = { name: 'monthly-renewal', path: '/_local/schedules/monthly-renewal', day: 1, hour: 0, minute: 5 };
/** Interface §7.4: 03:00 on the 2nd, after the renewal has settled the month's terms. */
export const MONTHLY_BILLING: LocalSchedule = { name: 'monthly-billing', path: '/_local/schedules/monthly-billing', day: 2, hour: 3, minute: 0 };
export const LOCAL_SCHEDULES: readonly LocalSchedule[] = [MONTHLY_RENEWAL, MONTHLY_BILLING];

/** setTimeout's longest delay (a signed 32-bit count of ms); a longer one fires at once, so long waits are re-armed. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const pad = (n: number): string => String(n).padStart(2, '0');

function fireTimeIn(schedule: LocalSchedule, month: YearMonth): Date {
  // An instant with its offset: read the same on any host zone.
  return new Date(`${month}-${pad(schedule.day)}T${pad(schedule.hour)}:${pad(schedule.minute)}:00+09:00`);
}

/**
 * The schedule's first fire strictly after `after`, as the Scheduler's cron in
 * Asia/Tokyo fires: 00:05 JST on the 1st is 15:05 UTC on the last day of the month before.
 */
export function nextFireTime(schedule: LocalSchedule, after: Date): Date {
  const month = monthOf(jstDateOf(after));
  const thisMonth = fireTimeIn(schedule, month);
  return thisMonth.getTime() > after.getTime() ? thisMonth : fireTimeIn(schedule, addMonths(month, 1));
}

/** `scheduledTime` as the Scheduler's `<aws.scheduler.scheduled-time>` gives it: UTC, whole seconds. */
export function scheduledTimeOf(fireTime: Date): string {
  return fireTime.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface LocalSchedulesOptions {
  /** The local server, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  log: LogPort;
  /** False (LOCAL_SCHEDULES=off): nothing is armed and nothing fires. Default true. */
  enabled?: boolean;
  /** The machine's clock by default. */
  clock?: Clock;
  fetch?: typeof fetch;
  schedules?: readonly LocalSchedule[];
}

export interface LocalSchedules {
  enabled: boolean;
  /** Each schedule's next fire; empty when off or stopped. */
  upcoming(): Array<{ schedule: LocalSchedule; at: Date }>;
  /** Disarms the timer and abandons the requests still waiting for an answer. */
  stop(): void;
}

// A run's summary can list every contract it skipped: the log line keeps the first part.
const MAX_ANSWER_LOGGED = 2_000;

const systemClock: Clock = { now: () => new Date() };

/**
 * Fires `schedules` on `clock`, one timer for whichever is due first. The timer only
 * wakes the loop: what is due is decided by the clock, so a timer that wakes before the
 * wall clock reaches the fire time is re-armed, and one that wakes late (a machine that
 * slept) fires the latest missed instant once; the runs catch up the months before it
 * (interface §4, Decision I2). Each fire is a POST that is not awaited before the next
 * timer is armed, so a long run delays no other schedule.
 */
export function startLocalSchedules(options: LocalSchedulesOptions): LocalSchedules {
  const { baseUrl, log } = options;
  const enabled = options.enabled ?? true;
  const clock = options.clock ?? systemClock;
  const post = options.fetch ?? fetch;
  const due = new Map<LocalSchedule, Date>();
  if (enabled) for (const schedule of options.schedules ?? LOCAL_SCHEDULES) due.set(schedule, nextFireTime(schedule, clock.now()));
  const requests = new Set<AbortController>();
  let timer: NodeJS.Timeout | null = null;

  const fire = async (schedule: LocalSchedule, at: Date): Promise<void> => {
    const scheduledTime = scheduledTimeOf(at);
    const fields = { schedule: schedule.name, scheduledTime, jst: toJstIso(at) };
    const request = new AbortController();
    requests.add(request);
    try {
      const response = await post(new URL(schedule.path, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scheduledTime }),
        signal: request.signal,
      });
      const answer = answerOf(await response.text());
      if (response.ok) log.info('local schedule fired', { ...fields, status: response.status, answer });
      else log.error('local schedule fired; the run failed', { ...fields, status: response.status, answer });
    } catch (error) {
      if (request.signal.aborted) log.warn('local schedule fired; abandoned by npm start stopping', fields);
      else log.error('local schedule fired; the local server did not answer', { ...fields, error });
    } finally {
      requests.delete(request);
    }
  };

  const wake = (): void => {
    timer = null;
    const now = clock.now();
    for (const [schedule, at] of due) {
      if (at.getTime() > now.getTime()) continue;
      let latest = at;
      let next = nextFireTime(schedule, at);
      while (next.getTime() <= now.getTime()) [latest, next] = [next, nextFireTime(schedule, next)];
      due.set(schedule, next);
      void fire(schedule, latest);
    }
    arm();
  };

  const arm = (): void => {
    if (due.size === 0) return;
    const soonest = Math.min(...[...due.values()].map((at) => at.getTime()));
    timer = setTimeout(wake, Math.min(Math.max(soonest - clock.now().getTime(), 0), MAX_TIMER_MS));
    // The server keeps `npm start` running; the schedules alone never do.
    timer.unref();
  };

  arm();
  return {
    enabled,
    upcoming: () => [...due].map(([schedule, at]) => ({ schedule, at })),
    stop: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      due.clear();
      for (const request of requests) request.abort();
    },
  };
}

function answerOf(text: string): unknown {
  if (text.length > MAX_ANSWER_LOGGED) return `${text.slice(0, MAX_ANSWER_LOGGED)}… (${text.length} characters)`;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The banner's line: whether the schedules are on and, if so, when each fires next (JST). */
export function describeLocalSchedules(schedules: LocalSchedules): string {
  if (!schedules.enabled) return 'off (LOCAL_SCHEDULES=off): POST /_local/schedules/monthly-renewal or /monthly-billing runs one';
  const next = schedules.upcoming().map(({ schedule, at }) => `${schedule.name} ${toJstIso(at).slice(0, 16).replace('T', ' ')} JST`);
  return `on, on this machine's clock; next: ${next.join(', ')} (LOCAL_SCHEDULES=off turns them off)`;
}
