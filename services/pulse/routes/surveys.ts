/** The survey routes: one contract each (shared/http/contract.ts). */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { IdSchema } from '../domain/ids';
import { QuestionInputSchema, QuestionSetIdSchema, SurveyInputSchema, TopicSchema } from '../domain/surveys/model';
import { ResponseInputSchema } from '../domain/surveys/responses';
import {
  ResultsViewSchema,
  SurveyListSchema,
  SurveyViewSchema,
  ThreadListSchema,
  TrendViewSchema,
} from '../domain/surveys/views';

const staff = ['admin', 'life-coach'] as const;
const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;

export const SurveyPathSchema = lazySchema(() => z.strictObject({ surveyId: IdSchema() }));
const ResultsQuerySchema = lazySchema(() =>
  z.strictObject({
    round: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000))),
  }),
);

export const createSurveyRoute = defineRoute({
  method: 'POST',
  path: '/pulse/surveys',
  summary: 'Create a survey or a recurring pulse',
  description:
    'Questions (1-5 scale, 0-10 eNPS, single choice, free text), from a ready question set and/or written out; an audience (everyone, domains, pods) of at least the anonymity threshold; a once-off window or a weekly, biweekly or monthly cadence. Rounds open and close on their dates (UTC days).',
  auth: { roles: staff },
  body: { schema: SurveyInputSchema, maxBytes: 64 * 1024 },
  responses: { 201: { description: 'Created; its first round is scheduled', schema: SurveyViewSchema } },
  problems: { 422: 'The audience is smaller than the anonymity threshold, or names a pod that does not exist' },
});

export const listSurveysRoute = defineRoute({
  method: 'GET',
  path: '/pulse/surveys',
  summary: 'Your open surveys (life coach and admins: every survey, oldest first, a page at a time)',
  auth: { roles: everyone },
  query: () =>
    z.strictObject({
      limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
      cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    }),
  responses: { 200: { description: 'Surveys', schema: SurveyListSchema } },
});

export const getSurveyRoute = defineRoute({
  method: 'GET',
  path: '/pulse/surveys/{surveyId}',
  summary: 'A survey and its rounds (for someone asked: the round they are asked in)',
  auth: { roles: everyone },
  params: SurveyPathSchema,
  responses: { 200: { description: 'The survey', schema: SurveyViewSchema } },
  problems: { 404: 'No such survey, or one the caller was never asked (alike)' },
});

export const closeSurveyRoute = defineRoute({
  method: 'POST',
  path: '/pulse/surveys/{surveyId}/close',
  summary: 'Close a survey now: its open round closes early and no further round opens',
  auth: { roles: staff },
  params: SurveyPathSchema,
  responses: { 200: { description: 'Closed; results are prepared next', schema: SurveyViewSchema } },
  problems: { 404: 'No such survey', 409: 'The survey is already closed' },
});

export const submitResponseRoute = defineRoute({
  method: 'POST',
  path: '/pulse/surveys/{surveyId}/responses',
  summary: 'Answer the open round of a survey, anonymously',
  description:
    'Every question but free text needs an answer. The answers are stored with no identity and no time. With a free-text answer comes a reply token: keep it to read and answer the life coach’s replies (GET /pulse/replies); it is shown once and never stored.',
  auth: { roles: everyone },
  params: SurveyPathSchema,
  body: { schema: ResponseInputSchema, maxBytes: 64 * 1024 },
  responses: {
    201: {
      description: 'Recorded',
      schema: () => z.object({ recorded: z.literal(true), replyToken: z.nullable(z.string()) }),
    },
  },
  problems: {
    403: 'You are not in the audience of this round (fixed when it opened)',
    404: 'No such survey',
    409: 'You have already answered this round, or the survey is not open',
  },
});

export const resultsRoute = defineRoute({
  method: 'GET',
  path: '/pulse/surveys/{surveyId}/results',
  summary: 'Results of a round (default: the latest), only for groups that keep answers anonymous',
  description:
    'Nothing is shown before a round closes. Then each segment (everyone, each domain; pods roll up to their domain) is shown or withheld by the anonymity rules (see the pulse README). The life coach and admins see every shown segment; someone asked sees the whole audience and their own domain.',
  auth: { roles: everyone },
  params: SurveyPathSchema,
  query: ResultsQuerySchema,
  responses: { 200: { description: 'Results', schema: ResultsViewSchema } },
  problems: { 404: 'No such survey or round, or one the caller was not asked in' },
});

export const exportResultsRoute = defineRoute({
  method: 'GET',
  path: '/pulse/surveys/{surveyId}/results/export',
  summary: 'The same results as CSV: what the caller may see, and nothing more',
  auth: { roles: everyone },
  params: SurveyPathSchema,
  query: ResultsQuerySchema,
  responses: {
    200: {
      description: 'CSV: segment, questionId, type, question, answered, mean, enps, distribution, comment',
      schema: () => z.string(),
      mediaType: 'text/csv',
    },
  },
  problems: { 404: 'No such survey or round, or one the caller was not asked in' },
});

export const trendsRoute = defineRoute({
  method: 'GET',
  path: '/pulse/trends',
  summary: 'Headline scores of a topic across released rounds, for everyone or one domain',
  auth: { roles: staff },
  query: () =>
    z.strictObject({
      topic: TopicSchema(),
      domain: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
    }),
  responses: { 200: { description: 'The trend, oldest first', schema: TrendViewSchema } },
});

export const questionSetsRoute = defineRoute({
  method: 'GET',
  path: '/pulse/question-sets',
  summary: 'Ready question sets to start a survey from (eNPS, change readiness, tool satisfaction, role clarity)',
  auth: { roles: staff },
  responses: {
    200: {
      description: 'The library',
      schema: () =>
        z.object({
          items: z.array(
            z.object({
              questionSetId: QuestionSetIdSchema(),
              title: z.string(),
              suggestedTopic: TopicSchema(),
              questions: z.array(QuestionInputSchema()),
            }),
          ),
        }),
    },
  },
});

const MessageBodySchema = lazySchema(() =>
  z.strictObject({ text: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)) }),
);
const MessageSchema = lazySchema(() =>
  z.object({
    messageId: z.string(),
    from: z.enum(['life-coach', 'respondent']),
    text: z.string(),
    sentOn: z.iso.date(),
  }),
);

export const replyToCommentRoute = defineRoute({
  method: 'POST',
  path: '/pulse/comments/{commentId}/replies',
  summary: 'Reply to an anonymous comment (only its author, holding their reply token, can read it)',
  auth: { roles: ['life-coach'] },
  params: () => z.strictObject({ commentId: IdSchema() }),
  body: { schema: MessageBodySchema, maxBytes: 16 * 1024 },
  responses: { 201: { description: 'Sent', schema: MessageSchema } },
  problems: { 404: 'No such comment, or one the results do not show' },
});

const tokenProblems = {
  400: 'The `x-reply-token` header is missing or is not a reply token',
  404: 'The reply token holds no conversation',
} as const;

export const readRepliesRoute = defineRoute({
  method: 'GET',
  path: '/pulse/replies',
  summary: 'Your anonymous conversations: send the reply token you got when answering in `x-reply-token`',
  description:
    'No sign-in: the token alone opens the conversations of the comments it was given with, so neither the request nor its logs name you.',
  auth: 'public',
  responses: { 200: { description: 'Your comments and the messages about them', schema: ThreadListSchema } },
  problems: tokenProblems,
});

export const answerReplyRoute = defineRoute({
  method: 'POST',
  path: '/pulse/replies',
  summary: 'Answer the life coach in one of your anonymous conversations (reply token in `x-reply-token`)',
  auth: 'public',
  body: {
    schema: () => z.strictObject({ commentId: IdSchema(), text: MessageBodySchema().shape.text }),
    maxBytes: 16 * 1024,
  },
  responses: { 201: { description: 'Sent', schema: MessageSchema } },
  problems: {
    ...tokenProblems,
    404: 'The reply token holds no conversation, or none about this comment',
    409: 'Nobody has replied to this comment yet',
  },
});

export const surveyRoutes = [
  createSurveyRoute,
  listSurveysRoute,
  getSurveyRoute,
  closeSurveyRoute,
  submitResponseRoute,
  resultsRoute,
  exportResultsRoute,
  trendsRoute,
  questionSetsRoute,
  replyToCommentRoute,
  readRepliesRoute,
  answerReplyRoute,
] as const;
