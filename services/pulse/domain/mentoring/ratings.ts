/**
 * 1:1 ratings. After a completed 1:1 its mentee may rate it once (1-5, an optional comment). A
 * mentor never sees a rating alone: ratings gather in batches, and a batch is shown only once it
 * holds at least the anonymity threshold of ratings from at least 3 distinct mentees; then the
 * next batch starts empty. Batches never overlap, so no difference of shown figures isolates a
 * rating, and the pending batch shows nothing (no count that moves by one). A shown batch whose
 * mean is low, or has fallen, raises Mentor.SupportSuggested for the life coach.
 */
import { hasAnyRole, type Principal } from '../../../../shared/auth/principal';
import { MentorSupportSuggestedV1 } from '../../../../shared/contracts/pulse-events';
import { pendingEvent } from '../../../../shared/events/outbox';
import { retry } from '../../../../shared/retry';
import { ConcurrentRatingError, NotEntitledError, NotFoundError } from '../errors';
import { dayOf } from '../ids';
import type { PulseDependencies, WriteContext } from '../ports';
import type { RatingState, ReleasedBatch, StoredRating } from './model';

export const MIN_DISTINCT_MENTEES = 3;
/** A batch mean under this suggests support... */
export const LOW_AVERAGE = 3;
/** ...as does a fall of this much against the previous batch. */
export const FALL = 0.5;

const round2 = (value: number) => Math.round(value * 100) / 100;

export const batchOf = (
  mentorId: string,
  batch: number,
  ratings: readonly StoredRating[],
  raters: number,
  on: string,
): ReleasedBatch => ({
  mentorId,
  batch,
  ratings: ratings.length,
  distinctMentees: raters,
  mean: round2(ratings.reduce((sum, rating) => sum + rating.rating, 0) / ratings.length),
  distribution: [1, 2, 3, 4, 5].map((value) => ({
    rating: value,
    count: ratings.filter((r) => r.rating === value).length,
  })),
  comments: ratings.flatMap((rating) => (rating.comment ? [rating.comment] : [])).sort(),
  releasedOn: on,
});

export const supportTrigger = (mean: number, previousMean: number | null) => {
  if (mean < LOW_AVERAGE) return 'low-average' as const;
  if (previousMean !== null && mean <= previousMean - FALL) return 'falling-average' as const;
  return null;
};

export const rateSession = async (
  deps: PulseDependencies,
  menteeId: string,
  sessionId: string,
  input: { rating: number; comment?: string | undefined },
): Promise<{ sessionId: string; rating: number }> => {
  // A fresh correlation id: the request's would tie the batch (and any event it raises) to this rater.
  const context: WriteContext = { correlationId: `pulse-rating-${deps.randomToken().slice(0, 16)}` };
  const session = await deps.directory.session(sessionId);
  // Someone else's session is, for this caller, a session that does not exist.
  if (!session || session.menteeId !== menteeId) throw new NotFoundError(`No completed 1:1 ${sessionId} of yours.`);
  const rating: StoredRating = {
    ratingId: deps.randomToken(),
    rating: input.rating,
    ...(input.comment ? { comment: input.comment } : {}),
  };
  await retry(
    async () => {
      const state = await deps.mentoring.ratingState(session.mentorId);
      const raters = [...new Set([...state.pendingRaters, menteeId])];
      const count = state.pendingCount + 1;
      const full = count >= deps.threshold && raters.length >= MIN_DISTINCT_MENTEES;
      let release: ReleasedBatch | null = null;
      let next: RatingState;
      const events = [];
      if (full) {
        const pending = await deps.mentoring.pendingRatings(session.mentorId, state.batch);
        release = batchOf(session.mentorId, state.batch, [...pending, rating], raters.length, dayOf(deps.clock()));
        next = {
          mentorId: session.mentorId,
          batch: state.batch + 1,
          pendingCount: 0,
          pendingRaters: [],
          lastReleasedMean: release.mean,
          version: state.version + 1,
        };
        const trigger = supportTrigger(release.mean, state.lastReleasedMean);
        if (trigger) {
          events.push(
            pendingEvent(MentorSupportSuggestedV1, {
              mentorId: session.mentorId,
              batch: release.batch,
              ratings: release.ratings,
              distinctMentees: release.distinctMentees,
              mean: release.mean,
              previousMean: state.lastReleasedMean,
              trigger,
            }),
          );
        }
      } else {
        next = { ...state, pendingCount: count, pendingRaters: raters, version: state.version + 1 };
      }
      await deps.mentoring.recordRating(
        { session, rating, state: next, expectedVersion: state.version, release, events },
        context,
      );
    },
    { attempts: 5, retryable: (error) => error instanceof ConcurrentRatingError },
  );
  return { sessionId, rating: input.rating };
};

/** A mentor's own shown batches (the life coach: any mentor's); nothing of the pending batch. */
export const ratingsFor = async (deps: PulseDependencies, caller: Principal, mentorId: string) => {
  if (caller.personId !== mentorId && !hasAnyRole(caller, ['life-coach'])) {
    throw new NotEntitledError('A mentor sees only their own ratings; the life coach sees every mentor’s.');
  }
  const batches = await deps.mentoring.releasedBatches(mentorId);
  const ratings = batches.reduce((sum, batch) => sum + batch.ratings, 0);
  const overall =
    ratings > 0
      ? { ratings, mean: round2(batches.reduce((sum, batch) => sum + batch.mean * batch.ratings, 0) / ratings) }
      : null;
  return { mentorId, threshold: deps.threshold, minimumDistinctMentees: MIN_DISTINCT_MENTEES, batches, overall };
};
