/** What the survey API answers (the route contracts use these schemas, and the OpenAPI document too). */

import { ScoreMeasureV1, SegmentV1 } from '../../../../shared/contracts/pulse-events';
import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import { AudienceSchema, CadenceSchema, QuestionSchema, ScheduleInputSchema, TopicSchema } from './model';

export const RoundStatusSchema = lazySchema(() => z.enum(['scheduled', 'open', 'closed', 'released']));

export const RoundViewSchema = lazySchema(() =>
  z.object({
    roundId: z.string(),
    round: z.int(),
    opensAt: z.iso.datetime(),
    closesAt: z.iso.datetime(),
    status: RoundStatusSchema(),
    /** Fixed at opening (null before). */
    audienceSize: z.nullable(z.int()),
    /**
     * Open rounds, for the life coach and admins: responses so far, rounded down to a multiple of the
     * anonymity threshold, so the figure never moves by one answer.
     */
    responsesAtLeast: z.nullable(z.int()),
    closedAt: z.nullable(z.iso.datetime()),
  }),
);
export type RoundView = z.infer<ReturnType<typeof RoundViewSchema>>;

export const SurveyViewSchema = lazySchema(() =>
  z.object({
    surveyId: z.string(),
    title: z.string(),
    topic: TopicSchema(),
    questions: z.array(QuestionSchema()),
    audience: AudienceSchema(),
    schedule: ScheduleInputSchema(),
    cadence: z.nullable(CadenceSchema()),
    status: z.enum(['active', 'closed']),
    createdAt: z.iso.datetime(),
    rounds: z.array(RoundViewSchema()),
    /** For someone in the audience of the current round: whether they have answered it. */
    answered: z.nullable(z.boolean()),
  }),
);
export type SurveyView = z.infer<ReturnType<typeof SurveyViewSchema>>;

export const SurveyListItemSchema = lazySchema(() =>
  z.object({
    surveyId: z.string(),
    title: z.string(),
    topic: TopicSchema(),
    status: z.enum(['active', 'closed']),
    /** The round the caller is asked in (their open one), or, for the life coach and admins, the latest. */
    round: z.nullable(RoundViewSchema()),
    answered: z.nullable(z.boolean()),
  }),
);
export const SurveyListSchema = lazySchema(() =>
  z.object({ items: z.array(SurveyListItemSchema()), nextCursor: z.optional(z.string()) }),
);
export type SurveyList = z.infer<ReturnType<typeof SurveyListSchema>>;

export const QuestionResultSchema = lazySchema(() =>
  z.object({
    questionId: z.string(),
    type: z.enum(['scale', 'enps', 'choice', 'text']),
    text: z.string(),
    answered: z.int(),
    mean: z.nullable(z.number()),
    distribution: z.array(z.object({ answer: z.string(), count: z.int() })),
    enps: z.nullable(z.number()),
    /** Free-text questions: the comments of this segment, in no meaningful order. */
    comments: z.nullable(z.array(z.object({ commentId: z.string(), text: z.string() }))),
  }),
);

export const SegmentResultSchema = lazySchema(() =>
  z.discriminatedUnion('shown', [
    z.object({
      segment: SegmentV1(),
      shown: z.literal(true),
      respondents: z.int(),
      score: z.nullable(z.object({ measure: ScoreMeasureV1(), value: z.number() })),
      questions: z.array(QuestionResultSchema()),
    }),
    z.object({ segment: SegmentV1(), shown: z.literal(false), note: z.string() }),
  ]),
);

export const ResultsViewSchema = lazySchema(() =>
  z.object({
    surveyId: z.string(),
    roundId: z.string(),
    round: z.int(),
    title: z.string(),
    topic: TopicSchema(),
    /** `open`: nothing is shown before closing; `preparing`: closed, results on their way; `released`. */
    state: z.enum(['scheduled', 'open', 'preparing', 'released']),
    threshold: z.int(),
    /** Open rounds, life coach and admins: responses so far, rounded down to a multiple of the threshold. */
    responsesAtLeast: z.nullable(z.int()),
    segments: z.array(SegmentResultSchema()),
  }),
);
export type ResultsView = z.infer<ReturnType<typeof ResultsViewSchema>>;

export const TrendViewSchema = lazySchema(() =>
  z.object({
    topic: TopicSchema(),
    segment: SegmentV1(),
    points: z.array(
      z.object({
        surveyId: z.string(),
        roundId: z.string(),
        round: z.int(),
        title: z.string(),
        closedAt: z.iso.datetime(),
        measure: ScoreMeasureV1(),
        score: z.number(),
        respondents: z.int(),
      }),
    ),
  }),
);
export type TrendView = z.infer<ReturnType<typeof TrendViewSchema>>;

export const ThreadViewSchema = lazySchema(() =>
  z.object({
    commentId: z.string(),
    surveyTitle: z.string(),
    question: z.string(),
    comment: z.string(),
    messages: z.array(
      z.object({
        messageId: z.string(),
        from: z.enum(['life-coach', 'respondent']),
        text: z.string(),
        sentOn: z.iso.date(),
      }),
    ),
  }),
);
export const ThreadListSchema = lazySchema(() => z.object({ items: z.array(ThreadViewSchema()) }));
