/** Mentor check-ins, growth goals and 1:1 ratings: stored records and API inputs. */

import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import { IdSchema, IsoDateSchema, MonthSchema } from '../ids';

export const RiskSchema = lazySchema(() => z.enum(['low', 'medium', 'high']));
export type Risk = z.infer<ReturnType<typeof RiskSchema>>;

const OneToFive = lazySchema(() => z.int().check(z.minimum(1), z.maximum(5)));
const ProgressSchema = lazySchema(() => z.int().check(z.minimum(0), z.maximum(100)));

export const CheckInInputSchema = lazySchema(() =>
  z.strictObject({
    menteeId: IdSchema(),
    /** The month it is for: this month (default) or, late, the previous one. */
    month: z.optional(MonthSchema()),
    performanceRisk: RiskSchema(),
    engagement: OneToFive(),
    roleClarity: OneToFive(),
    notes: z._default(z.string().check(z.trim(), z.maxLength(5000)), ''),
    /** Goals reviewed at this check-in: their progress now, and a note. */
    goalReviews: z._default(
      z
        .array(
          z.strictObject({
            goalId: IdSchema(),
            progress: ProgressSchema(),
            note: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
          }),
        )
        .check(z.maxLength(20)),
      [],
    ),
  }),
);
export type CheckInInput = z.infer<ReturnType<typeof CheckInInputSchema>>;

export interface CheckIn {
  checkInId: string;
  menteeId: string;
  mentorId: string;
  podId: string | null;
  month: string;
  performanceRisk: Risk;
  engagement: number;
  roleClarity: number;
  /** Private: only this mentor and the life coach ever read them. */
  notes: string;
  goalReviews: { goalId: string; progress: number; note?: string | undefined }[];
  recordedAt: string;
}

export const GoalKindSchema = lazySchema(() => z.enum(['certification', 'skill', 'career-step']));

export const GoalInputSchema = lazySchema(() =>
  z.strictObject({
    /** Whose goal: yourself by default; a mentor names their mentee. */
    menteeId: z.optional(IdSchema()),
    kind: GoalKindSchema(),
    title: z.string().check(z.trim(), z.minLength(3), z.maxLength(200)),
    targetDate: IsoDateSchema(),
    progress: z._default(ProgressSchema(), 0),
  }),
);
export type GoalInput = z.infer<ReturnType<typeof GoalInputSchema>>;

export const GoalPatchSchema = lazySchema(() =>
  z
    .strictObject({
      title: z.optional(z.string().check(z.trim(), z.minLength(3), z.maxLength(200))),
      targetDate: z.optional(IsoDateSchema()),
      progress: z.optional(ProgressSchema()),
      status: z.optional(z.enum(['active', 'achieved', 'dropped'])),
    })
    .check(z.refine((patch) => Object.keys(patch).length > 0, 'change at least one field')),
);
export type GoalPatch = z.infer<ReturnType<typeof GoalPatchSchema>>;

export interface Goal {
  goalId: string;
  menteeId: string;
  kind: z.infer<ReturnType<typeof GoalKindSchema>>;
  title: string;
  targetDate: string;
  progress: number;
  status: 'active' | 'achieved' | 'dropped';
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  lastReview: { checkInId: string; month: string; note?: string | undefined } | null;
  version: number;
}

export const RatingInputSchema = lazySchema(() =>
  z.strictObject({
    rating: OneToFive(),
    comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
  }),
);

/** A rating waiting in its mentor's pending batch: no rater, no session, no time. */
export interface StoredRating {
  ratingId: string;
  rating: number;
  comment?: string | undefined;
}

/**
 * A mentor's ratings are gathered in batches; a batch is shown (and a new one started) only once
 * it holds at least the anonymity threshold of ratings from at least 3 distinct mentees.
 */
export interface RatingState {
  mentorId: string;
  /** The batch being filled (1-based). */
  batch: number;
  pendingCount: number;
  /** Who rated in the pending batch (to count distinct mentees); dropped when it is released. */
  pendingRaters: string[];
  lastReleasedMean: number | null;
  version: number;
}

export interface ReleasedBatch {
  mentorId: string;
  batch: number;
  ratings: number;
  distinctMentees: number;
  mean: number;
  distribution: { rating: number; count: number }[];
  comments: string[];
  releasedOn: string;
}
