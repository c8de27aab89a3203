import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from './business-hours';
import {
  cancelTimer,
  cycleRecordOf,
  elapsedAt,
  fireMilestone,
  milestones,
  pauseTimer,
  plannedMilestones,
  resumeTimer,
  startTimer,
  stopTimer,
} from './timers';

const HOUR = 3600_000;
const weekdays = [{ start: '09:00', end: '17:00' }];
/** Berlin, Monday to Friday 09:00-17:00. */
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  weeklyHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] },
  holidays: [],
};
const at = (iso: string) => new Date(iso);
const dueTimes = (timer: Parameters<typeof plannedMilestones>[0]) =>
  Object.fromEntries(plannedMilestones(timer, berlin).map((planned) => [planned.milestone, planned.dueAt]));

describe('an SLA timer', () => {
  // Resolution target 16 business hours, started Monday 2026-01-19 13:00 Berlin (12:00Z).
  const started = startTimer('resolution', 1, 16 * 60, at('2026-01-19T12:00:00Z'));

  it('plans each milestone at its exact instant in business hours', () => {
    expect(dueTimes(started)).toEqual({
      'warning-50': '2026-01-20T12:00:00.000Z', // 8 h: Mon 13-17 (4) + Tue 09-13 (4)
      'warning-75': '2026-01-20T16:00:00.000Z', // 12 h: Tue 17:00 local, at closing
      breach: '2026-01-21T12:00:00.000Z', // 16 h: Wed 13:00 local
      'breach-2': '2026-01-23T12:00:00.000Z', // 32 h: Fri 13:00 local
    });
    expect(plannedMilestones(started, berlin).every((planned) => planned.planId === 1)).toBe(true);
  });

  it('moves every milestone when paused across closing time and resumed the next morning', () => {
    // Paused Monday 16:00 (3 h counted), resumed Tuesday 11:00: the 2 h of Tuesday morning do not count.
    const paused = pauseTimer(started, berlin, at('2026-01-19T15:00:00Z'));
    expect(paused.timer).toMatchObject({ status: 'paused', elapsedMs: 3 * HOUR, planId: 2 });
    expect(paused.reached).toEqual([]);
    expect(plannedMilestones(paused.timer, berlin)).toEqual([]);
    expect(elapsedAt(paused.timer, berlin, at('2026-01-20T10:00:00Z'))).toBe(3 * HOUR);

    const resumed = resumeTimer(paused.timer, at('2026-01-20T10:00:00Z'));
    expect(resumed.planId).toBe(3);
    expect(dueTimes(resumed)).toEqual({
      'warning-50': '2026-01-20T15:00:00.000Z', // 5 h left to 8: Tue 11-16 local
      'warning-75': '2026-01-21T11:00:00.000Z', // 9 h left: Tue 11-17 (6) + Wed 09-12 (3)
      breach: '2026-01-21T15:00:00.000Z', // 13 h left: Wed 16:00 local
      'breach-2': '2026-01-23T15:00:00.000Z', // 29 h left: Fri 16:00 local
    });
  });

  it('fires a milestone of its current plan once, and ignores one of an older plan', () => {
    const paused = pauseTimer(started, berlin, at('2026-01-19T15:00:00Z')).timer;
    const resumed = resumeTimer(paused, at('2026-01-20T10:00:00Z'));
    // The schedule planned before the pause fires anyway (its deletion lost a race): nothing happens.
    expect(fireMilestone(resumed, berlin, { planId: 1, milestone: 'warning-50' }).reached).toEqual([]);
    const fired = fireMilestone(resumed, berlin, { planId: 3, milestone: 'warning-50' });
    expect(fired.reached).toEqual([
      { timer: 'resolution', cycle: 1, milestone: 'warning-50', at: '2026-01-20T15:00:00.000Z' },
    ]);
    expect(fireMilestone(fired.timer, berlin, { planId: 3, milestone: 'warning-50' }).reached).toEqual([]);
    // Only the milestones still ahead stay planned.
    expect(plannedMilestones(fired.timer, berlin).map((planned) => planned.milestone)).toEqual([
      'warning-75',
      'breach',
      'breach-2',
    ]);
  });

  it('reaches an earlier milestone whose firing has not arrived together with a later one', () => {
    const fired = fireMilestone(started, berlin, { planId: 1, milestone: 'breach' });
    expect(fired.reached.map((item) => [item.milestone, item.at])).toEqual([
      ['warning-50', '2026-01-20T12:00:00.000Z'],
      ['warning-75', '2026-01-20T16:00:00.000Z'],
      ['breach', '2026-01-21T12:00:00.000Z'],
    ]);
    expect(fireMilestone(fired.timer, berlin, { planId: 1, milestone: 'warning-75' }).reached).toEqual([]);
  });

  it('stops: nothing planned any more, no firing counts, and what it had passed is reached at its instant', () => {
    // Stopped Tuesday 17:30 local, after closing: past the 50% and 75% marks, whose firings have not arrived.
    const stopped = stopTimer(started, berlin, at('2026-01-20T16:30:00Z'));
    expect(stopped.reached.map((item) => [item.milestone, item.at])).toEqual([
      ['warning-50', '2026-01-20T12:00:00.000Z'],
      ['warning-75', '2026-01-20T16:00:00.000Z'],
    ]);
    expect(stopped.timer).toMatchObject({ status: 'stopped', endedAt: '2026-01-20T16:30:00.000Z', planId: 2 });
    expect(plannedMilestones(stopped.timer, berlin)).toEqual([]);
    expect(fireMilestone(stopped.timer, berlin, { planId: 1, milestone: 'breach' }).reached).toEqual([]);
    expect(fireMilestone(stopped.timer, berlin, { planId: 2, milestone: 'breach' }).reached).toEqual([]);
    expect(cycleRecordOf(stopped.timer)).toEqual({
      timer: 'resolution',
      cycle: 1,
      startedAt: '2026-01-19T12:00:00.000Z',
      endedAt: '2026-01-20T16:30:00.000Z',
      outcome: 'stopped',
      elapsedMinutes: 12 * 60,
      targetMinutes: 16 * 60,
      breached: false,
    });
  });

  it('records a breach when stopped after its breach instant, and a cancellation as such', () => {
    const late = stopTimer(started, berlin, at('2026-01-22T09:00:00Z'));
    expect(late.reached.map((item) => item.milestone)).toEqual(['warning-50', 'warning-75', 'breach']);
    // Thursday 10:00 local: Mon 4 + Tue 8 + Wed 8 + Thu 1 = 21 h.
    expect(cycleRecordOf(late.timer)).toMatchObject({ breached: true, elapsedMinutes: 21 * 60 });
    const cancelled = cancelTimer(started, berlin, at('2026-01-19T14:00:00Z'));
    expect(cycleRecordOf(cancelled.timer)).toMatchObject({
      outcome: 'cancelled',
      breached: false,
      elapsedMinutes: 120,
    });
    // Stopping or cancelling again changes nothing.
    expect(stopTimer(cancelled.timer, berlin, at('2026-01-23T09:00:00Z')).timer).toBe(cancelled.timer);
  });

  it('pauses while paused and resumes while running without changing anything', () => {
    const paused = pauseTimer(started, berlin, at('2026-01-19T13:00:00Z')).timer;
    expect(pauseTimer(paused, berlin, at('2026-01-19T14:00:00Z')).timer).toBe(paused);
    expect(resumeTimer(started, at('2026-01-19T14:00:00Z'))).toBe(started);
  });

  it('reaches every milestone exactly once, at its instant, whatever the pauses and firings (property)', () => {
    const steps = fc.array(
      fc.record({
        kind: fc.constantFrom('pause', 'resume', 'fire', 'fire-stale'),
        minutesLater: fc.integer({ min: 1, max: 3 * 24 * 60 }),
        milestone: fc.constantFrom(...milestones),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(steps, fc.integer({ min: 30, max: 3000 }), (script, target) => {
        let now = at('2026-01-19T08:00:00Z');
        let timer = startTimer('first-response', 1, target, now);
        const reached: { milestone: string; at: string }[] = [];
        for (const step of script) {
          now = new Date(now.getTime() + step.minutesLater * 60_000);
          if (step.kind === 'pause') {
            const change = pauseTimer(timer, berlin, now);
            timer = change.timer;
            reached.push(...change.reached);
          } else if (step.kind === 'resume') {
            timer = resumeTimer(timer, now);
          } else {
            // A firing arrives at its due instant (or a stale one at any time).
            const planned = plannedMilestones(timer, berlin).find((item) => item.milestone === step.milestone);
            if (!planned) continue;
            const planId = step.kind === 'fire' ? planned.planId : planned.planId - 1;
            if (step.kind === 'fire') now = new Date(Math.max(now.getTime(), Date.parse(planned.dueAt)));
            const change = fireMilestone(timer, berlin, { planId, milestone: step.milestone });
            timer = change.timer;
            reached.push(...change.reached);
          }
        }
        const final = stopTimer(timer, berlin, now);
        reached.push(...final.reached);
        const names = reached.map((item) => item.milestone);
        expect(new Set(names).size).toBe(names.length);
        // Reached exactly those whose threshold the counted open time passed.
        const elapsed = final.timer.elapsedMs;
        const expected = milestones.filter((milestone) => {
          const percent = { 'warning-50': 50, 'warning-75': 75, breach: 100, 'breach-2': 200 }[milestone];
          return elapsed >= (target * 60_000 * percent) / 100;
        });
        expect([...names].sort()).toEqual([...expected].sort());
        for (const item of reached) expect(Date.parse(item.at)).toBeLessThanOrEqual(now.getTime());
      }),
      { numRuns: 200 },
    );
  });
});
