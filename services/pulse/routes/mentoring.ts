/** Check-ins, growth goals and 1:1 ratings: one contract per route. */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { IdSchema, IsoDateSchema, MonthSchema } from '../domain/ids';
import {
  CheckInInputSchema,
  GoalInputSchema,
  GoalKindSchema,
  GoalPatchSchema,
  RatingInputSchema,
  RiskSchema,
} from '../domain/mentoring/model';

const CheckInSchema = lazySchema(() =>
  z.object({
    checkInId: z.string(),
    menteeId: z.string(),
    mentorId: z.string(),
    podId: z.nullable(z.string()),
    month: MonthSchema(),
    performanceRisk: RiskSchema(),
    engagement: z.int(),
    roleClarity: z.int(),
    notes: z.string(),
    goalReviews: z.array(z.object({ goalId: z.string(), progress: z.int(), note: z.optional(z.string()) })),
    recordedAt: z.iso.datetime(),
  }),
);

const GoalSchema = lazySchema(() =>
  z.object({
    goalId: z.string(),
    menteeId: z.string(),
    kind: GoalKindSchema(),
    title: z.string(),
    targetDate: IsoDateSchema(),
    progress: z.int(),
    status: z.enum(['active', 'achieved', 'dropped']),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    lastReview: z.nullable(z.object({ checkInId: z.string(), month: MonthSchema(), note: z.optional(z.string()) })),
    version: z.int(),
  }),
);

const MenteeQuerySchema = lazySchema(() => z.strictObject({ menteeId: IdSchema() }));

export const recordCheckInRoute = defineRoute({
  method: 'POST',
  path: '/checkins',
  summary: 'Record this month’s check-in on one of your mentees',
  description:
    'Performance risk, engagement (1-5), role clarity (1-5), private notes, and goals reviewed. Only you and the life coach will ever read it. A high risk, or engagement or role clarity down 2 points since the previous check-in, raises Mentee.AtRisk at once.',
  auth: { roles: ['mentor'] },
  body: { schema: CheckInInputSchema, maxBytes: 32 * 1024 },
  responses: { 201: { description: 'Recorded', schema: CheckInSchema } },
  problems: {
    403: 'You are not this mentee’s current mentor',
    409: 'You already recorded this mentee’s check-in for that month',
  },
});

export const listCheckInsRoute = defineRoute({
  method: 'GET',
  path: '/checkins',
  summary: 'A mentee’s check-ins: the life coach sees all, a mentor the ones they wrote',
  auth: { roles: ['mentor', 'life-coach'] },
  query: MenteeQuerySchema,
  responses: {
    200: { description: 'Newest month first', schema: () => z.object({ items: z.array(CheckInSchema()) }) },
  },
});

export const listGoalsRoute = defineRoute({
  method: 'GET',
  path: '/goals',
  summary: 'A mentee’s growth goals (yours by default); for the mentee, their mentor and the life coach',
  auth: { roles: ['employee', 'mentor', 'life-coach'] },
  query: () => z.strictObject({ menteeId: z.optional(IdSchema()) }),
  responses: { 200: { description: 'Oldest first', schema: () => z.object({ items: z.array(GoalSchema()) }) } },
  problems: { 403: 'Only the mentee, their mentor and the life coach see these goals' },
});

export const createGoalRoute = defineRoute({
  method: 'POST',
  path: '/goals',
  summary: 'Set a growth goal: a certification, a skill, a career-ladder step (the mentee, or their mentor)',
  auth: { roles: ['employee', 'mentor'] },
  body: { schema: GoalInputSchema, maxBytes: 8 * 1024 },
  responses: { 201: { description: 'Created', schema: GoalSchema } },
  problems: { 403: 'Only the mentee and their mentor set the mentee’s goals' },
});

export const updateGoalRoute = defineRoute({
  method: 'PATCH',
  path: '/goals/{goalId}',
  summary: 'Change a goal: title, target date, progress, status',
  auth: { roles: ['employee', 'mentor'] },
  params: () => z.strictObject({ goalId: IdSchema() }),
  body: { schema: GoalPatchSchema, maxBytes: 8 * 1024 },
  responses: { 200: { description: 'Changed', schema: GoalSchema } },
  problems: {
    403: 'Only the mentee and their mentor change the mentee’s goals',
    404: 'No such goal, or one the caller may not see (alike)',
    409: 'Changed by someone else at the same time; read it again',
  },
});

export const rateSessionRoute = defineRoute({
  method: 'POST',
  path: '/sessions/{sessionId}/rating',
  summary: 'Rate a completed 1:1 you had as mentee (1-5, optional comment), once',
  description:
    'Your mentor never sees one rating: only aggregates of at least the anonymity threshold of ratings from at least 3 mentees.',
  auth: { roles: ['employee'] },
  params: () => z.strictObject({ sessionId: IdSchema() }),
  body: { schema: RatingInputSchema, maxBytes: 4 * 1024 },
  responses: {
    201: { description: 'Recorded', schema: () => z.object({ sessionId: z.string(), rating: z.int() }) },
  },
  problems: { 404: 'No completed 1:1 with this id that you had as mentee', 409: 'You already rated it' },
});

const BatchSchema = lazySchema(() =>
  z.object({
    batch: z.int(),
    ratings: z.int(),
    distinctMentees: z.int(),
    mean: z.number(),
    distribution: z.array(z.object({ rating: z.int(), count: z.int() })),
    comments: z.array(z.string()),
    releasedOn: IsoDateSchema(),
  }),
);

export const listRatingsRoute = defineRoute({
  method: 'GET',
  path: '/ratings',
  summary: 'A mentor’s 1:1 ratings, as aggregates only (yours; the life coach: any mentor’s)',
  auth: { roles: ['mentor', 'life-coach'] },
  query: () => z.strictObject({ mentorId: z.optional(IdSchema()) }),
  responses: {
    200: {
      description:
        'Shown batches, each of at least the threshold of ratings from at least 3 mentees; nothing of the batch being gathered',
      schema: () =>
        z.object({
          mentorId: z.string(),
          threshold: z.int(),
          minimumDistinctMentees: z.int(),
          batches: z.array(BatchSchema()),
          overall: z.nullable(z.object({ ratings: z.int(), mean: z.number() })),
        }),
    },
  },
  problems: { 403: 'A mentor sees only their own ratings' },
});

export const mentoringRoutes = [
  recordCheckInRoute,
  listCheckInsRoute,
  listGoalsRoute,
  createGoalRoute,
  updateGoalRoute,
  rateSessionRoute,
  listRatingsRoute,
] as const;
