/**
 * `npm run bench:escalation`: the cost of the SLA arithmetic, and how late the local scheduler
 * fires a one-time schedule after its instant. Prints figures; asserts nothing.
 *
 * 1. `addBusinessMillis` and `businessMillisBetween` for targets of 1 h to 200 business hours,
 *    in four calendars (weekdays with holidays, an office open at night, around the clock, a
 *    southern-hemisphere zone), from random instants across a year's daylight-saving changes.
 * 2. `plannedMilestones` of both timers of an escalation (eight due instants): what every
 *    routing, pause, resume and schedule reconciliation computes.
 * 3. The local one-time scheduler: 40 schedules due over the next 2-8 s (whole seconds, as
 *    `at()` takes them), each invoking a no-op; lateness = invocation - due instant.
 */
import { cpus, loadavg } from 'node:os';
import { startOneTimeScheduler } from '../../../local/one-time-scheduler';
import type { BusinessCalendar } from '../domain/sla/business-hours';
import { addBusinessMillis, businessMillisBetween } from '../domain/sla/business-hours';
import { plannedMilestones, startTimer } from '../domain/sla/timers';

const HOUR = 3_600_000;
const weekdays = (shifts: { start: string; end: string }[]) => ({
  mon: shifts,
  tue: shifts,
  wed: shifts,
  thu: shifts,
  fri: shifts,
  sat: [],
  sun: [],
});
const always = [{ start: '00:00', end: '24:00' }];
const calendars: Record<string, BusinessCalendar> = {
  'Berlin 09-17, 12 holidays': {
    timeZone: 'Europe/Berlin',
    weeklyHours: weekdays([{ start: '09:00', end: '17:00' }]),
    holidays: [
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-06-04',
      '2026-10-03',
      '2026-11-01',
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
    ],
  },
  'Berlin nights 22-06': {
    timeZone: 'Europe/Berlin',
    weeklyHours: weekdays([{ start: '22:00', end: '06:00' }]),
    holidays: [],
  },
  'New York 24x7': {
    timeZone: 'America/New_York',
    weeklyHours: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always },
    holidays: [],
  },
  'Sydney 08-12, 13-17': {
    timeZone: 'Australia/Sydney',
    weeklyHours: weekdays([
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]),
    holidays: [],
  },
};

/** mulberry32, fixed seed: the same instants on every run. */
let state = 42;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const yearStart = Date.parse('2026-01-01T00:00:00Z');
const randomInstant = () => yearStart + Math.floor(random() * 365 * 24 * HOUR);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const micros = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

const time = (runs: number, work: () => void): { median: number; p95: number } => {
  for (let i = 0; i < Math.min(200, runs); i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p95: percentile(samples, 95) };
};

const arithmetic = () => {
  console.log('\n1. Business-hours arithmetic (per call; median / p95 over 2,000 calls)\n');
  console.log('| calendar | target | addBusinessMillis | businessMillisBetween |');
  console.log('| --- | --- | --- | --- |');
  for (const [name, calendar] of Object.entries(calendars)) {
    for (const hours of [1, 8, 40, 200]) {
      const add = time(2_000, () => addBusinessMillis(calendar, randomInstant(), hours * HOUR));
      const between = time(2_000, () => {
        const from = randomInstant();
        businessMillisBetween(calendar, from, from + hours * 3 * HOUR);
      });
      console.log(
        `| ${name} | ${hours} h | ${micros(add.median)} / ${micros(add.p95)} | ${micros(between.median)} / ${micros(between.p95)} |`,
      );
    }
  }
};

const planning = () => {
  console.log('\n2. The eight milestone instants of an escalation (both timers; median / p95 over 2,000)\n');
  const calendar = calendars['Berlin 09-17, 12 holidays'] as BusinessCalendar;
  const result = time(2_000, () => {
    const at = new Date(randomInstant());
    plannedMilestones(startTimer('first-response', 1, 4 * 60, at), calendar);
    plannedMilestones(startTimer('resolution', 1, 40 * 60, at), calendar);
  });
  console.log(`medium severity (4 h / 40 h) in Berlin office hours: ${micros(result.median)} / ${micros(result.p95)}`);
};

const schedulerLateness = async () => {
  console.log('\n3. Local one-time schedules: lateness of the firing after the due instant (40 schedules)\n');
  const lateness: number[] = [];
  const dueOf = new Map<string, number>();
  const scheduler = startOneTimeScheduler({
    groups: ['bench'],
    functionKeyOfArn: () => 'noop',
    invoke: async (_key, event) => {
      const due = dueOf.get((event as { name: string }).name) ?? Date.now();
      lateness.push(Date.now() - due);
      return {
        ok: true,
        result: null,
        functionKey: 'noop',
        requestId: 'r',
        coldStart: false,
        durationMs: 0,
        startedAt: '',
      };
    },
  });
  const base = Math.ceil(Date.now() / 1000) * 1000 + 2_000;
  for (let index = 0; index < 40; index++) {
    const due = base + (index % 7) * 1000;
    const name = `s-${index}`;
    dueOf.set(name, due);
    scheduler.create({
      Name: name,
      GroupName: 'bench',
      ScheduleExpression: `at(${new Date(due).toISOString().slice(0, 19)})`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: 'arn:noop', RoleArn: 'arn:role', Input: JSON.stringify({ name }) },
    });
  }
  while (lateness.length < 40) await new Promise((resolve) => setTimeout(resolve, 100));
  scheduler.stop();
  lateness.sort((a, b) => a - b);
  console.log(
    `lateness: min ${lateness[0]} ms, median ${percentile(lateness, 50)} ms, p95 ${percentile(lateness, 95)} ms, max ${lateness.at(-1)} ms; none early: ${lateness[0] !== undefined && lateness[0] >= 0}`,
  );
};

console.log(
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
arithmetic();
planning();
await schedulerLateness();
