/** Check-ins, goals, 1:1 ratings and missed check-in reminders on the in-memory store. */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { MenteeAtRiskV1, MentorSupportSuggestedV1 } from '../../../../shared/contracts/pulse-events';
import { coach, createHarness, type Harness, principal } from '../../test-support/harness';
import {
  AlreadyRatedError,
  ConcurrentGoalChangeError,
  DuplicateCheckInError,
  InvalidInputError,
  NotEntitledError,
  NotFoundError,
} from '../errors';
import { queueCheckInReminders } from './check-in-reminders';
import { atRiskTrigger, checkInsFor, recordCheckIn } from './check-ins';
import { createGoal, goalsFor, updateGoal } from './goals';
import type { CheckInInput } from './model';
import { rateSession, ratingsFor } from './ratings';

const context = { correlationId: 'corr-test' };
const mentor = principal('m1', 'employee', 'mentor');
const otherMentor = principal('m2', 'employee', 'mentor');

const checkIn = (overrides: Partial<CheckInInput> = {}): CheckInInput => ({
  menteeId: 'e1',
  performanceRisk: 'low',
  engagement: 4,
  roleClarity: 4,
  notes: 'Doing fine; wants more ownership.',
  goalReviews: [],
  ...overrides,
});

const setup = async () => {
  const harness = createHarness({ threshold: 5 });
  for (const id of ['m1', 'm2', 'e1', 'e2', 'e3', 'e4', 'x1']) await harness.addPerson(id, 'a');
  await harness.addPod('pod-1', 'm1', 'a', ['e1', 'e2', 'e3', 'e4']);
  await harness.addPod('pod-2', 'm2', 'a', ['x1']);
  return harness;
};

describe('check-ins', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await setup();
  });

  it('are recorded by the mentee’s current mentor only, once per month', async () => {
    const recorded = await recordCheckIn(harness.deps, 'm1', checkIn(), context);
    expect(recorded).toMatchObject({ month: '2026-11', mentorId: 'm1', podId: 'pod-1' });
    await expect(recordCheckIn(harness.deps, 'm1', checkIn(), context)).rejects.toThrow(DuplicateCheckInError);
    await expect(recordCheckIn(harness.deps, 'm2', checkIn(), context)).rejects.toThrow(NotEntitledError);
    // Late for last month is fine; earlier is not.
    await recordCheckIn(harness.deps, 'm1', checkIn({ month: '2026-10' }), context);
    await expect(recordCheckIn(harness.deps, 'm1', checkIn({ month: '2026-09' }), context)).rejects.toThrow(
      InvalidInputError,
    );
    expect(harness.store.published).toEqual([]);
  });

  it('are read by their author and the life coach only', async () => {
    await recordCheckIn(harness.deps, 'm1', checkIn(), context);
    expect(await checkInsFor(harness.deps, mentor, 'e1')).toHaveLength(1);
    expect((await checkInsFor(harness.deps, coach, 'e1'))[0]?.notes).toBe('Doing fine; wants more ownership.');
    expect(await checkInsFor(harness.deps, otherMentor, 'e1')).toEqual([]);
  });

  it('raise Mentee.AtRisk for a high risk, and for engagement or role clarity down two points', async () => {
    await recordCheckIn(harness.deps, 'm1', checkIn({ month: '2026-10', engagement: 5, roleClarity: 4 }), context);
    await recordCheckIn(harness.deps, 'm1', checkIn({ engagement: 3, roleClarity: 3 }), context);
    await recordCheckIn(harness.deps, 'm1', checkIn({ menteeId: 'e2', performanceRisk: 'high' }), context);
    const events = harness.store.published.filter((published) => published.event.contract === MenteeAtRiskV1);
    expect(events.map((published) => published.event.data)).toEqual([
      expect.objectContaining({
        menteeId: 'e1',
        mentorId: 'm1',
        podId: 'pod-1',
        risk: 'low',
        previousRisk: 'low',
        trigger: 'sharp-drop',
        droppedMeasures: ['engagement'],
      }),
      expect.objectContaining({
        menteeId: 'e2',
        risk: 'high',
        previousRisk: null,
        trigger: 'high-risk',
        droppedMeasures: [],
      }),
    ]);
    // The private notes never travel.
    expect(JSON.stringify(events)).not.toContain('ownership');
    expect(events[0]?.correlationId).toBe('corr-test');
  });

  it('decides at-risk from the previous check-in', () => {
    const previous = { ...checkIn(), engagement: 4, roleClarity: 5, performanceRisk: 'low' as const } as never;
    expect(atRiskTrigger({ performanceRisk: 'medium', engagement: 3, roleClarity: 4 }, previous)).toBeNull();
    expect(atRiskTrigger({ performanceRisk: 'medium', engagement: 2, roleClarity: 3 }, previous)).toEqual({
      trigger: 'sharp-drop',
      droppedMeasures: ['engagement', 'role-clarity'],
    });
    expect(atRiskTrigger({ performanceRisk: 'high', engagement: 4, roleClarity: 5 }, undefined)?.trigger).toBe(
      'high-risk',
    );
  });

  it('review goals: progress and the review land with the check-in, or nothing does', async () => {
    const goal = await createGoal(
      harness.deps,
      principal('e1'),
      { kind: 'certification', title: 'AWS Solutions Architect', targetDate: '2027-03-31', progress: 10 },
      context,
    );
    await recordCheckIn(
      harness.deps,
      'm1',
      checkIn({ goalReviews: [{ goalId: goal.goalId, progress: 40, note: 'On track' }] }),
      context,
    );
    const [reviewed] = await goalsFor(harness.deps, principal('e1'), 'e1');
    expect(reviewed).toMatchObject({ progress: 40, version: 2, lastReview: { month: '2026-11', note: 'On track' } });
    await expect(
      recordCheckIn(
        harness.deps,
        'm1',
        checkIn({ menteeId: 'e2', goalReviews: [{ goalId: goal.goalId, progress: 50 }] }),
        context,
      ),
    ).rejects.toThrow(InvalidInputError);
    expect(await checkInsFor(harness.deps, coach, 'e2')).toEqual([]);
  });
});

describe('goals', () => {
  it('are set by the mentee or their mentor, read by them and the life coach, changed at their version', async () => {
    const harness = await setup();
    const own = await createGoal(
      harness.deps,
      principal('e1'),
      { kind: 'skill', title: 'Event-driven design', targetDate: '2027-06-30', progress: 0 },
      context,
    );
    const byMentor = await createGoal(
      harness.deps,
      mentor,
      { menteeId: 'e1', kind: 'career-step', title: 'Senior engineer', targetDate: '2027-12-31', progress: 0 },
      context,
    );
    expect(byMentor.createdBy).toBe('m1');
    await expect(
      createGoal(
        harness.deps,
        otherMentor,
        { menteeId: 'e1', kind: 'skill', title: 'Nope', targetDate: '2027-01-01', progress: 0 },
        context,
      ),
    ).rejects.toThrow(NotEntitledError);
    expect(await goalsFor(harness.deps, coach, 'e1')).toHaveLength(2);
    await expect(goalsFor(harness.deps, principal('e2'), 'e1')).rejects.toThrow(NotEntitledError);
    await expect(goalsFor(harness.deps, principal('admin-1', 'admin'), 'e1')).rejects.toThrow(NotEntitledError);

    const updated = await updateGoal(harness.deps, mentor, own.goalId, { progress: 30 });
    expect(updated).toMatchObject({ progress: 30, version: 2 });
    await expect(updateGoal(harness.deps, coach, own.goalId, { progress: 31 })).rejects.toThrow(NotEntitledError);
    await expect(updateGoal(harness.deps, principal('e2'), own.goalId, { progress: 31 })).rejects.toThrow(
      NotFoundError,
    );
    await expect(harness.deps.mentoring.updateGoal({ ...updated, progress: 99 }, 1)).rejects.toThrow(
      ConcurrentGoalChangeError,
    );
  });
});

describe('1:1 ratings', () => {
  const completed = async (harness: Harness, sessionId: string, menteeId: string, mentorId = 'm1') => {
    await harness.store.directory.addCompletedSession(
      { sessionId, mentorId, menteeId, mentorshipId: null, completedAt: '2026-11-20T10:00:00Z', rated: false },
      harness.eventContext(),
    );
  };

  it('are shown to the mentor only in batches of at least the threshold from at least 3 mentees', async () => {
    const harness = await setup();
    const raters = ['e1', 'e1', 'e2', 'e2', 'e3'];
    for (const [index, menteeId] of raters.entries()) await completed(harness, `s${index}`, menteeId);
    await expect(rateSession(harness.deps, 'e2', 's0', { rating: 5 })).rejects.toThrow(NotFoundError);
    for (const [index, menteeId] of raters.slice(0, 4).entries()) {
      await rateSession(harness.deps, menteeId, `s${index}`, {
        rating: 4,
        comment: index === 0 ? 'Helpful' : undefined,
      });
      // Four ratings (or fewer) show nothing at all.
      expect((await ratingsFor(harness.deps, mentor, 'm1')).batches).toEqual([]);
    }
    await expect(rateSession(harness.deps, 'e1', 's0', { rating: 1 })).rejects.toThrow(AlreadyRatedError);
    await rateSession(harness.deps, 'e3', 's4', { rating: 2 });
    const view = await ratingsFor(harness.deps, mentor, 'm1');
    expect(view.batches).toEqual([
      expect.objectContaining({ batch: 1, ratings: 5, distinctMentees: 3, mean: 3.6, comments: ['Helpful'] }),
    ]);
    expect(view.overall).toEqual({ ratings: 5, mean: 3.6 });
    await expect(ratingsFor(harness.deps, otherMentor, 'm1')).rejects.toThrow(NotEntitledError);
    expect((await ratingsFor(harness.deps, coach, 'm1')).batches).toHaveLength(1);
    // Nothing stored with a rating says who gave it, or when.
    const stored = [...harness.store.inspect.pendingRatings.values()].flat();
    expect(
      stored.every((rating) => Object.keys(rating).every((key) => ['ratingId', 'rating', 'comment'].includes(key))),
    ).toBe(true);
  });

  it('wait for a third mentee however many ratings two mentees give', async () => {
    const harness = await setup();
    for (let index = 0; index < 8; index++) {
      await completed(harness, `s${index}`, index % 2 === 0 ? 'e1' : 'e2');
      await rateSession(harness.deps, index % 2 === 0 ? 'e1' : 'e2', `s${index}`, { rating: 3 });
    }
    expect((await ratingsFor(harness.deps, mentor, 'm1')).batches).toEqual([]);
  });

  it('raise Mentor.SupportSuggested when a batch is low or falls, under a correlation id that is not the rater’s request', async () => {
    const harness = await setup();
    let session = 0;
    const batch = async (rating: number) => {
      for (const menteeId of ['e1', 'e2', 'e3', 'e4', 'e1']) {
        await completed(harness, `s${++session}`, menteeId);
        await rateSession(harness.deps, menteeId, `s${session}`, { rating });
      }
    };
    await batch(5);
    await batch(4);
    const events = harness.store.published.filter((published) => published.event.contract === MentorSupportSuggestedV1);
    expect(events.map((published) => published.event.data)).toEqual([
      expect.objectContaining({
        mentorId: 'm1',
        batch: 2,
        mean: 4,
        previousMean: 5,
        trigger: 'falling-average',
        distinctMentees: 4,
      }),
    ]);
    expect(events[0]?.correlationId).toMatch(/^pulse-rating-/);
  });

  it('property: every shown batch holds at least the threshold from 3 mentees, batches never overlap, every rating lands once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 6 }),
        fc.array(fc.record({ mentee: fc.integer({ min: 1, max: 4 }), rating: fc.integer({ min: 1, max: 5 }) }), {
          maxLength: 40,
        }),
        async (threshold, ratings) => {
          const harness = createHarness({ threshold });
          for (const id of ['m1', 'e1', 'e2', 'e3', 'e4']) await harness.addPerson(id, 'a');
          for (const [index, { mentee, rating }] of ratings.entries()) {
            await completed(harness, `s${index}`, `e${mentee}`);
            await rateSession(harness.deps, `e${mentee}`, `s${index}`, { rating });
          }
          const { batches } = await ratingsFor(harness.deps, coach, 'm1');
          let consumed = 0;
          for (const shown of batches) {
            expect(shown.ratings).toBeGreaterThanOrEqual(threshold);
            expect(shown.distinctMentees).toBeGreaterThanOrEqual(3);
            const slice = ratings.slice(consumed, consumed + shown.ratings);
            expect(new Set(slice.map((entry) => entry.mentee)).size).toBe(shown.distinctMentees);
            expect(shown.mean).toBe(
              Math.round((slice.reduce((sum, entry) => sum + entry.rating, 0) / slice.length) * 100) / 100,
            );
            consumed += shown.ratings;
          }
          const state = await harness.deps.mentoring.ratingState('m1');
          expect(consumed + state.pendingCount).toBe(ratings.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('missed check-in reminders', () => {
  it('queue one reminder per mentor naming the mentees without last month’s check-in, in their working hours', async () => {
    const harness = await setup();
    harness.clock.set('2026-12-01T05:00:00Z');
    await recordCheckIn(harness.deps, 'm1', checkIn({ menteeId: 'e1', month: '2026-11' }), context);
    const first = await queueCheckInReminders(harness.deps);
    expect(first).toEqual({ month: '2026-11', queued: ['m1', 'm2'] });
    const reminder = harness.store.inspect.mail.get('check-in-reminder.2026-11.m1');
    expect(reminder).toMatchObject({ menteeIds: ['e2', 'e3', 'e4'], dueAt: '2026-12-01T09:00:00.000Z' });
    // Once only, however often the sweep runs.
    expect((await queueCheckInReminders(harness.deps)).queued).toEqual([]);
  });
});
