/**
 * Events of the pulse service (source `mentoring.pulse`). Mentee.AtRisk and PulseScore.Dropped
 * were fixed here first for their consumers: scheduling reads Mentee.AtRisk (plans that person's
 * skip-level first); escalation reads Mentee.AtRisk and PulseScore.Dropped. No event carries a
 * survey answer, and none names who answered a survey.
 */

import { defineEvent } from '../events/envelope';
import { lazySchema } from '../lazy-schema';
import * as z from '../zod';

const source = 'mentoring.pulse';

export const SurveyTopicV1 = lazySchema(() =>
  z
    .enum(['policy', 'tool', 'process', 'change', 'engagement'])
    .check(
      z.describe(
        'What a survey is about: a policy, a tool, a process, a change being introduced, or engagement (eNPS).',
      ),
    ),
);

const RiskV1 = lazySchema(() => z.enum(['low', 'medium', 'high']));

export const MenteeAtRiskV1 = defineEvent({
  source,
  detailType: 'Mentee.AtRisk',
  version: 1,
  description:
    'A mentor’s check-in rated a mentee at high risk of low performance (`high-risk`), or the mentee’s engagement or role clarity fell by two points or more (1-5) since their previous check-in (`sharp-drop`, with the measures in `droppedMeasures`). Carries no private notes and no scores.',
  data: () =>
    z.object({
      menteeId: z.string(),
      mentorId: z.string(),
      podId: z.nullable(z.string()),
      checkInId: z.string(),
      risk: RiskV1(),
      /** The risk of the mentee's previous check-in (null for their first). */
      previousRisk: z.nullable(RiskV1()),
      trigger: z.enum(['high-risk', 'sharp-drop']),
      /** Which 1-5 measures fell by two points or more (empty when only the risk is high). */
      droppedMeasures: z.array(z.enum(['engagement', 'role-clarity'])),
    }),
});

export const SegmentV1 = lazySchema(() =>
  z
    .object({ kind: z.enum(['everyone', 'domain']), domain: z.nullable(z.string()) })
    .check(z.describe('`everyone` (the whole audience of the round, `domain` null) or one functional domain.')),
);

export const ScoreMeasureV1 = lazySchema(() =>
  z
    .enum(['enps', 'scale-mean'])
    .check(
      z.describe(
        '`enps`: the eNPS of the survey’s first 0-10 question (% answering 9-10 minus % answering 0-6, -100..100); `scale-mean`: the mean of every 1-5 answer of the round (1..5).',
      ),
    ),
);

export const PulseScoreDroppedV1 = defineEvent({
  source,
  detailType: 'PulseScore.Dropped',
  version: 1,
  description:
    'A segment’s score on a topic fell sharply against its trailing average: at least 15 eNPS points, or 0.5 on the 1-5 mean, below the mean of the same segment’s last 2-3 shown scores on that topic and measure. Never about a group below the anonymity threshold: only figures the results already show.',
  data: () =>
    z.object({
      surveyId: z.string(),
      roundId: z.string(),
      topic: SurveyTopicV1(),
      segment: SegmentV1(),
      measure: ScoreMeasureV1(),
      /** The round's score and the trailing average it is compared with, on the measure's scale. */
      score: z.number(),
      trailingAverage: z.number(),
      respondents: z.int().check(z.minimum(1)),
    }),
});

export const AudienceV1 = lazySchema(() =>
  z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('everyone') }),
      z.object({ kind: z.literal('domains'), domains: z.array(z.string()).check(z.minLength(1)) }),
      z.object({ kind: z.literal('pods'), podIds: z.array(z.string()).check(z.minLength(1)) }),
    ])
    .check(z.describe('Who is asked: everyone, the people of some domains, or the mentors and mentees of some pods.')),
);

export const PulseSurveyOpenedV1 = defineEvent({
  source,
  detailType: 'PulseSurvey.Opened',
  version: 1,
  description:
    'A survey round opened: its audience was fixed and invitations are being sent (weekdays, in each person’s working hours).',
  data: () =>
    z.object({
      surveyId: z.string(),
      roundId: z.string(),
      round: z.int().check(z.minimum(1)),
      title: z.string(),
      topic: SurveyTopicV1(),
      audience: AudienceV1(),
      /** How many people the round asks (the audience fixed at opening). */
      audienceSize: z.int().check(z.minimum(0)),
      opensAt: z.iso.datetime(),
      closesAt: z.iso.datetime(),
      /** For a recurring pulse: its cadence. */
      cadence: z.nullable(z.enum(['weekly', 'biweekly', 'monthly'])),
    }),
});

export const PulseSurveyClosedV1 = defineEvent({
  source,
  detailType: 'PulseSurvey.Closed',
  version: 1,
  description:
    'A survey round closed (on its date, or early by the life coach or an admin); no answer is accepted after it. Its results are prepared next.',
  data: () =>
    z.object({
      surveyId: z.string(),
      roundId: z.string(),
      round: z.int().check(z.minimum(1)),
      topic: SurveyTopicV1(),
      closedAt: z.iso.datetime(),
      closedEarly: z.boolean(),
    }),
});

export const PulseResponseRecordedV1 = defineEvent({
  source,
  detailType: 'PulseResponse.Recorded',
  version: 1,
  description:
    'Someone answered a survey round. Carries no identity, no answer and no count; its correlation id is fresh, not the request’s.',
  data: () => z.object({ surveyId: z.string(), roundId: z.string() }),
});

export const MentorSupportSuggestedV1 = defineEvent({
  source,
  detailType: 'Mentor.SupportSuggested',
  version: 1,
  description:
    'A mentor’s 1:1 ratings, shown only as an aggregate over at least the anonymity threshold of ratings from at least 3 mentees, came out low (mean under 3) or fell by 0.5 or more against their previous aggregate: the life coach may want to support them.',
  data: () =>
    z.object({
      mentorId: z.string(),
      /** The aggregate (a batch of ratings) that triggered it, numbered from 1 per mentor. */
      batch: z.int().check(z.minimum(1)),
      ratings: z.int().check(z.minimum(1)),
      distinctMentees: z.int().check(z.minimum(3)),
      mean: z.number(),
      previousMean: z.nullable(z.number()),
      trigger: z.enum(['low-average', 'falling-average']),
    }),
});

export const pulseConsumedEvents = [MenteeAtRiskV1, PulseScoreDroppedV1] as const;

export const pulseEvents = [
  PulseSurveyOpenedV1,
  PulseSurveyClosedV1,
  PulseResponseRecordedV1,
  PulseScoreDroppedV1,
  MenteeAtRiskV1,
  MentorSupportSuggestedV1,
] as const;
