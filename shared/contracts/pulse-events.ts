/**
 * Events of the pulse service (source `mentoring.pulse`). Fixed here first for their consumers:
 * scheduling reads Mentee.AtRisk (plans that person's skip-level first); escalation reads
 * Mentee.AtRisk and PulseScore.Dropped. No event carries a survey answer, and none names who
 * answered a survey.
 */
import * as z from 'zod';
import { defineEvent } from '../events/envelope';

const source = 'mentoring.pulse';

export const SurveyTopicV1 = z
  .enum(['policy', 'tool', 'process', 'change', 'engagement'])
  .describe('What a survey is about: a policy, a tool, a process, a change being introduced, or engagement (eNPS).');

export const MenteeAtRiskV1 = defineEvent({
  source,
  detailType: 'Mentee.AtRisk',
  version: 1,
  description:
    'A mentor’s check-in rated a mentee at high risk of low performance, or the risk rose two levels across check-ins. Carries no private notes.',
  data: z.object({
    menteeId: z.string(),
    mentorId: z.string(),
    podId: z.string().nullable(),
    checkInId: z.string(),
    risk: z.enum(['low', 'medium', 'high']),
    previousRisk: z.enum(['low', 'medium', 'high']).nullable(),
    trigger: z.enum(['high-risk', 'sharp-drop']),
  }),
});

export const PulseScoreDroppedV1 = defineEvent({
  source,
  detailType: 'PulseScore.Dropped',
  version: 1,
  description:
    'A segment’s score on a topic fell sharply against its trailing average (the rule is in the pulse README). Never about a group below the anonymity threshold.',
  data: z.object({
    surveyId: z.string(),
    roundId: z.string(),
    topic: SurveyTopicV1,
    /** `everyone`, or one domain (pods roll up to their domain). */
    segment: z.object({ kind: z.enum(['everyone', 'domain']), domain: z.string().nullable() }),
    /** The round's score and the trailing average it is compared with, on the question's own scale. */
    score: z.number(),
    trailingAverage: z.number(),
    respondents: z.int().min(1),
  }),
});

export const pulseConsumedEvents = [MenteeAtRiskV1, PulseScoreDroppedV1] as const;
