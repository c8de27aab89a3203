/** Surveys, their rounds and questions: what is stored and what the API shows. */

import { type AudienceV1, SurveyTopicV1 } from '../../../../shared/contracts/pulse-events';
import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import { IdSchema, IsoDateSchema } from '../ids';

export const TopicSchema = lazySchema(() => SurveyTopicV1());
export type Topic = z.infer<ReturnType<typeof TopicSchema>>;

export const AudienceSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('everyone') }),
    z.strictObject({
      kind: z.literal('domains'),
      domains: z
        .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(64)))
        .check(z.minLength(1), z.maxLength(50)),
    }),
    z.strictObject({ kind: z.literal('pods'), podIds: z.array(IdSchema()).check(z.minLength(1), z.maxLength(200)) }),
  ]),
);
export type Audience = z.infer<ReturnType<typeof AudienceV1>>;

const QuestionTextSchema = lazySchema(() => z.string().check(z.trim(), z.minLength(3), z.maxLength(300)));
const OptionSchema = lazySchema(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(100)));

/** A question as a survey's author writes it (`questionId` is given by the service). */
export const QuestionInputSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('scale'), text: QuestionTextSchema() }),
    z.strictObject({ type: z.literal('enps'), text: QuestionTextSchema() }),
    z.strictObject({
      type: z.literal('choice'),
      text: QuestionTextSchema(),
      options: z.array(OptionSchema()).check(
        z.minLength(2),
        z.maxLength(10),
        z.refine((options) => new Set(options).size === options.length, 'options must differ'),
      ),
    }),
    z.strictObject({ type: z.literal('text'), text: QuestionTextSchema() }),
  ]),
);
export type QuestionInput = z.infer<ReturnType<typeof QuestionInputSchema>>;

export const QuestionSchema = lazySchema(() =>
  z.intersection(z.object({ questionId: z.string() }), QuestionInputSchema()),
);
export type Question = QuestionInput & { questionId: string };

export const QUESTION_SET_IDS = ['enps', 'change-readiness', 'tool-satisfaction', 'role-clarity'] as const;
export const QuestionSetIdSchema = lazySchema(() => z.enum(QUESTION_SET_IDS));
export type QuestionSetId = z.infer<ReturnType<typeof QuestionSetIdSchema>>;

export const CadenceSchema = lazySchema(() => z.enum(['weekly', 'biweekly', 'monthly']));
export type Cadence = z.infer<ReturnType<typeof CadenceSchema>>;

export const ScheduleInputSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('once'), opensOn: IsoDateSchema(), closesOn: IsoDateSchema() }).check(
      z.refine((schedule) => schedule.opensOn <= schedule.closesOn, {
        message: 'closesOn must not be before opensOn',
        path: ['closesOn'],
      }),
    ),
    z.strictObject({
      kind: z.literal('recurring'),
      cadence: CadenceSchema(),
      startsOn: IsoDateSchema(),
      endsOn: z.optional(IsoDateSchema()),
      /** How long each round stays open (default: 5 days weekly, 7 biweekly, 10 monthly). */
      roundDays: z.optional(z.int().check(z.minimum(1), z.maximum(28))),
    }),
  ]),
);
export type ScheduleInput = z.infer<ReturnType<typeof ScheduleInputSchema>>;

export const SurveyInputSchema = lazySchema(() =>
  z
    .strictObject({
      title: z.string().check(z.trim(), z.minLength(3), z.maxLength(200)),
      topic: TopicSchema(),
      /** Start from a ready question set; `questions` are added after its questions. */
      questionSet: z.optional(QuestionSetIdSchema()),
      questions: z._default(z.array(QuestionInputSchema()).check(z.maxLength(30)), []),
      audience: AudienceSchema(),
      schedule: ScheduleInputSchema(),
    })
    .check(
      z.refine((survey) => survey.questionSet !== undefined || survey.questions.length > 0, {
        message: 'give questions, a questionSet, or both',
        path: ['questions'],
      }),
    ),
);
export type SurveyInput = z.infer<ReturnType<typeof SurveyInputSchema>>;

export type SurveyStatus = 'active' | 'closed';

export interface Survey {
  surveyId: string;
  title: string;
  topic: Topic;
  questions: Question[];
  audience: Audience;
  schedule: ScheduleInput;
  status: SurveyStatus;
  createdBy: string;
  createdAt: string;
  /** The number of the latest round created (scheduled, open or closed). */
  latestRound: number;
}

export type RoundStatus = 'scheduled' | 'open' | 'closed' | 'released';

export interface Round {
  surveyId: string;
  roundId: string;
  round: number;
  opensAt: string;
  closesAt: string;
  status: RoundStatus;
  /** Fixed at opening. */
  audienceSize: number | null;
  closedAt: string | null;
  closedEarly: boolean;
}

/** One person of a round's audience, fixed at opening: their domain then, and whether they answered. */
export interface AudienceMember {
  roundId: string;
  personId: string;
  domain: string;
  /** The participation record: who has answered (for one answer each and for reminders), never what. */
  answered: boolean;
}

/** A stored answer to one question: a number, an option, or (free text) the id of its comment. */
export type AnswerValue = { questionId: string; value: number } | { questionId: string; option: string };

/**
 * One response, as stored: no person, no time, a random key (not time-ordered), and the domain the
 * respondent had when the round opened (results are segmented by it).
 */
export interface StoredResponse {
  responseId: string;
  roundId: string;
  domain: string;
  answers: AnswerValue[];
}

/** A free-text answer, stored apart so the life coach can reply to it. */
export interface StoredComment {
  commentId: string;
  roundId: string;
  surveyId: string;
  questionId: string;
  domain: string;
  text: string;
  /** SHA-256 of the respondent's reply token: only its holder can read and answer the thread. */
  tokenHash: string;
}

export const roundIdOf = (surveyId: string, round: number) => `${surveyId}-r${round}`;
