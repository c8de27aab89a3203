import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallClockAt } from '../../../shared/time-zones';
import { outboxEvents, type SchedulingTestContext, schedulingTestContext } from '../test-support/context';
import { applyMenteeAtRisk } from './directory';
import { PlanStateError, UnprocessableRequestError } from './errors';
import { confirmPlan, moveEntry, type PlanCandidate, planSkipLevels, proposePlan, quarterWeeks } from './skip-levels';
import { sweepDueNotices } from './sweep';
import { type Availability, DAY, MINUTE, overlaps } from './working-time';

const at = (iso: string) => Date.parse(iso);
const person = (personId: string, timezone: string, start = '09:00', end = '17:00'): Availability => ({
  personId,
  timezone,
  workingHours: { start, end },
});
const candidate = (availability: Availability, overrides: Partial<PlanCandidate> = {}): PlanCandidate => ({
  person: availability,
  atRisk: false,
  flaggedAt: null,
  domain: 'backend',
  busy: [],
  ...overrides,
});

/** Independent check, by the wall clock: Monday-Friday, inside the hours (night shifts belong to their start day). */
const atWork = (someone: Availability, instant: number) => {
  const wall = wallClockAt(instant, someone.timezone);
  const minute = wall.hour * 60 + wall.minute;
  const toMinutes = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3));
  const start = toMinutes(someone.workingHours.start);
  const end = toMinutes(someone.workingHours.end);
  const day = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
  const workday = (d: number) => d >= 1 && d <= 5;
  return start < end
    ? workday(day) && minute >= start && minute < end
    : (workday(day) && minute >= start) || (workday((day + 6) % 7) && minute < end);
};

describe('the quarter’s weeks', () => {
  it('run Monday to Sunday in the coach’s zone, cut by the quarter and by today', () => {
    const weeks = quarterWeeks('2027-Q2', 'Europe/Berlin', 0);
    expect(weeks).toHaveLength(14);
    expect(weeks[0]).toMatchObject({ week: 1, startsOn: '2027-04-01', endsOn: '2027-04-04' });
    expect(weeks.at(-1)).toMatchObject({ week: 14, startsOn: '2027-06-28', endsOn: '2027-06-30' });
    const later = quarterWeeks('2027-Q2', 'Europe/Berlin', at('2027-05-12T12:00:00Z'));
    expect(later[0]).toMatchObject({ week: 7 });
    expect(later[0]?.from).toBe(at('2027-05-12T12:00:00Z'));
    expect(quarterWeeks('2027-Q1', 'Europe/Berlin', at('2027-04-01T00:00:00Z'))).toEqual([]);
  });
});

describe('planning skip-levels', () => {
  const coach = person('coach', 'Europe/Berlin');
  const weeks = quarterWeeks('2027-Q2', 'Europe/Berlin', at('2027-03-20T00:00:00Z'));

  it('spreads everyone evenly over the weeks, within the weekly limit, people at risk first', () => {
    const people = Array.from({ length: 30 }, (_, index) =>
      candidate(person(`p${String(index).padStart(2, '0')}`, index % 2 ? 'Europe/London' : 'Europe/Warsaw'), {
        atRisk: index === 17 || index === 23,
        flaggedAt: index === 17 ? '2027-03-01T00:00:00Z' : index === 23 ? '2027-02-01T00:00:00Z' : null,
      }),
    );
    const plan = planSkipLevels({ coach, coachBusy: [], people, weeks, weeklyLimit: 3, durationMinutes: 45 });
    expect(plan.unplanned).toEqual([]);
    expect(plan.entries).toHaveLength(30);
    const perWeek = weeks.map((week) => plan.entries.filter((entry) => entry.week === week.week).length);
    expect(Math.max(...perWeek) - Math.min(...perWeek)).toBeLessThanOrEqual(1);
    // At risk: in the first week, the longest-flagged first.
    const atRisk = plan.entries.filter((entry) => entry.atRisk);
    expect(atRisk.map((entry) => entry.personId)).toEqual(['p23', 'p17']);
    expect(atRisk.every((entry) => entry.week === weeks[0]?.week)).toBe(true);
  });

  it('reports who does not fit: the weekly limit, or no shared working hours at all', () => {
    const people = [
      ...Array.from({ length: 30 }, (_, index) =>
        candidate(person(`p${String(index).padStart(2, '0')}`, 'Europe/Paris')),
      ),
      // 09:00-17:00 in Honolulu never meets 09:00-17:00 in Berlin.
      candidate(person('far', 'Pacific/Honolulu')),
    ];
    const plan = planSkipLevels({ coach, coachBusy: [], people, weeks, weeklyLimit: 2, durationMinutes: 30 });
    expect(plan.entries).toHaveLength(weeks.length * 2);
    expect(plan.unplanned).toContainEqual({ personId: 'far', reason: 'no-common-working-hours' });
    expect(plan.unplanned.filter((entry) => entry.reason === 'weekly-limit-reached')).toHaveLength(
      31 - 1 - weeks.length * 2,
    );
  });

  it('keeps every meeting inside both people’s hours by the wall clock, off their sessions and each other, across zones and DST', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Sydney',
      'Asia/Kolkata',
      'America/Sao_Paulo',
      'Europe/London',
    ];
    const hours = fc.constantFrom(['09:00', '17:00'], ['07:00', '15:00'], ['12:00', '20:00'], ['22:00', '06:00']);
    const availability = (id: string) =>
      fc
        .record({ zone: fc.constantFrom(...zones), hours })
        .map(({ zone, hours: [start, end] }) => person(id, zone, start, end));
    fc.assert(
      fc.property(
        availability('coach'),
        fc.array(
          fc.tuple(availability('x'), fc.boolean(), fc.array(fc.integer({ min: 0, max: 90 * 24 }), { maxLength: 5 })),
          { minLength: 1, maxLength: 25 },
        ),
        fc.constantFrom('2027-Q1', '2027-Q2', '2027-Q4'),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(30, 45, 60),
        (coachAvailability, drafts, quarter, weeklyLimit, durationMinutes) => {
          const quarterWeeksList = quarterWeeks(quarter, coachAvailability.timezone, at('2026-12-01T00:00:00Z'));
          const first = quarterWeeksList[0]?.from ?? 0;
          const people = drafts.map(([draft, atRisk, hoursIn], index) =>
            candidate(
              { ...draft, personId: `p${index}` },
              {
                atRisk,
                flaggedAt: atRisk ? '2027-01-01T00:00:00Z' : null,
                busy: hoursIn.map((hour) => ({
                  start: first + hour * 60 * MINUTE,
                  end: first + hour * 60 * MINUTE + 60 * MINUTE,
                })),
              },
            ),
          );
          const plan = planSkipLevels({
            coach: coachAvailability,
            coachBusy: [],
            people,
            weeks: quarterWeeksList,
            weeklyLimit,
            durationMinutes,
          });
          expect(plan.entries.length + plan.unplanned.length).toBe(people.length);
          for (const entry of plan.entries) {
            const who = people.find((candidateEntry) => candidateEntry.person.personId === entry.personId);
            expect(entry.end - entry.start).toBe(durationMinutes * MINUTE);
            for (let t = entry.start; t < entry.end; t += 5 * MINUTE) {
              expect(atWork(coachAvailability, t)).toBe(true);
              if (who) expect(atWork(who.person, t)).toBe(true);
            }
            expect(who?.busy.some((block) => overlaps(block, { start: entry.start, end: entry.end }))).toBe(false);
            const week = quarterWeeksList.find((candidateWeek) => candidateWeek.week === entry.week);
            expect(week && entry.start >= week.from && entry.end <= week.to).toBe(true);
          }
          for (const [index, a] of plan.entries.entries()) {
            for (const b of plan.entries.slice(index + 1))
              expect(overlaps({ start: a.start, end: a.end }, { start: b.start, end: b.end })).toBe(false);
          }
          for (const week of quarterWeeksList)
            expect(plan.entries.filter((entry) => entry.week === week.week).length).toBeLessThanOrEqual(weeklyLimit);
          // Nobody at risk waits while someone not at risk got an earlier week.
          const atRiskWeeks = plan.entries.filter((entry) => entry.atRisk).map((entry) => entry.week);
          const othersWeeks = plan.entries.filter((entry) => !entry.atRisk).map((entry) => entry.week);
          if (atRiskWeeks.length && othersWeeks.length && plan.unplanned.length === 0) {
            expect(Math.min(...atRiskWeeks)).toBeLessThanOrEqual(Math.min(...othersWeeks));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('skip-level plans against DynamoDB Local', () => {
  let ctx: SchedulingTestContext;
  const coach = { personId: 'coach', isLifeCoach: true };
  const write = { correlationId: 'test' };

  beforeAll(async () => {
    ctx = await schedulingTestContext({ now: '2027-03-22T09:00:00Z' });
    await ctx.person({
      personId: 'coach',
      name: 'Cora Coach',
      timezone: 'Europe/Berlin',
      roles: ['employee', 'life-coach'],
    });
    for (let index = 1; index <= 12; index++) {
      await ctx.person({
        personId: `p${index}`,
        timezone: index % 3 === 0 ? 'America/New_York' : 'Europe/Madrid',
        domain: index % 2 ? 'backend' : 'data',
      });
    }
    await applyMenteeAtRisk(
      ctx.deps,
      {
        menteeId: 'p9',
        mentorId: 'm',
        podId: null,
        checkInId: 'c1',
        risk: 'high',
        previousRisk: 'medium',
        trigger: 'high-risk',
        droppedMeasures: [],
      },
      ctx.event(),
    );
  });
  afterAll(() => ctx.drop());

  it('proposes, edits, confirms once per quarter, and invites everyone', async () => {
    const { plan, entries } = await proposePlan(
      ctx.deps,
      coach,
      { quarter: '2027-Q2', weeklyLimit: 1, durationMinutes: 45 },
      write,
    );
    expect(plan).toMatchObject({ status: 'proposed', quarter: '2027-Q2', unplanned: [] });
    expect(entries).toHaveLength(12);
    expect(entries[0]).toMatchObject({ personId: 'p9', atRisk: true, week: 1 });
    expect(new Set(entries.map((entry) => entry.week)).size).toBe(12);

    const [first, second] = entries;
    if (!first || !second) throw new Error('entries expected');
    // Into a week that is full: 422, saying so.
    // The same weekday and time a week later: inside everyone's hours, but in week 2, which is full.
    const full = await moveEntry(
      ctx.deps,
      coach,
      plan.planId,
      first.entryId,
      Date.parse(first.startsAt) + 7 * DAY,
      write,
    ).catch((error) => error);
    expect(full).toBeInstanceOf(UnprocessableRequestError);
    expect(full.errors[0].message).toMatch(/already holds the weekly limit of 1/);
    const night = await moveEntry(
      ctx.deps,
      coach,
      plan.planId,
      first.entryId,
      Date.parse(first.startsAt) + 12 * 60 * MINUTE,
      write,
    ).catch((error) => error);
    expect(night.errors[0].message).toMatch(/outside the working hours of Cora Coach/);
    const moved = await moveEntry(ctx.deps, coach, plan.planId, first.entryId, Date.parse(first.startsAt) + DAY, write);
    expect(moved.entry.startsAt).toBe(new Date(Date.parse(first.startsAt) + DAY).toISOString());

    const other = await proposePlan(
      ctx.deps,
      coach,
      { quarter: '2027-Q2', weeklyLimit: 2, durationMinutes: 30, domains: ['data'] },
      write,
    );
    expect(other.entries.map((entry) => entry.personId).sort()).toEqual(['p10', 'p12', 'p2', 'p4', 'p6', 'p8']);

    const confirmation = await confirmPlan(ctx.deps, coach, plan.planId, { timeLeftMs: () => 60_000 }, write);
    expect(confirmation.complete).toBe(true);
    expect(confirmation.plan.status).toBe('confirmed');
    expect(confirmation.entries.every((entry) => entry.state === 'scheduled' && entry.sessionId)).toBe(true);
    const session = await ctx.deps.store.getSession(confirmation.entries[0]?.sessionId ?? '');
    expect(session).toMatchObject({ kind: 'skip-level', hostId: 'coach', planId: plan.planId, status: 'scheduled' });
    expect(await sweepDueNotices(ctx.deps, { correlationId: 'sweep' })).toMatchObject({ sent: 24 });
    const confirmed = (await outboxEvents(ctx)).filter((event) => event.detailType === 'SkipLevelPlan.Confirmed');
    expect(confirmed.map((event) => event.detail.data)).toEqual([
      { planId: plan.planId, quarter: '2027-Q2', sessions: 12 },
    ]);

    await expect(confirmPlan(ctx.deps, coach, plan.planId, { timeLeftMs: () => 60_000 }, write)).rejects.toBeInstanceOf(
      PlanStateError,
    );
    await expect(confirmPlan(ctx.deps, coach, other.plan.planId, { timeLeftMs: () => 60_000 }, write)).rejects.toThrow(
      /2027-Q2 has a confirmed plan already/,
    );
    await expect(
      moveEntry(ctx.deps, coach, plan.planId, second.entryId, Date.parse(second.startsAt) + DAY, write),
    ).rejects.toBeInstanceOf(PlanStateError);
  });

  it('resumes an interrupted confirmation, making each session once', async () => {
    const { plan } = await proposePlan(
      ctx.deps,
      coach,
      { quarter: '2027-Q3', weeklyLimit: 2, durationMinutes: 30 },
      write,
    );
    // A deadline already past: the quarter is taken, nothing more is done this time.
    const stopped = await confirmPlan(ctx.deps, coach, plan.planId, { timeLeftMs: () => 0 }, write);
    expect(stopped).toMatchObject({ complete: false, plan: { status: 'confirming' } });
    const done = await confirmPlan(ctx.deps, coach, plan.planId, { timeLeftMs: () => 60_000 }, write);
    expect(done.complete).toBe(true);
    const sessionIds = done.entries.map((entry) => entry.sessionId);
    expect(new Set(sessionIds).size).toBe(12);
  });
});
