/**
 * Escalations the platform raises by itself from other services' events:
 *
 *   pulse `Mentee.AtRisk`          -> the life coach, high, confidential (about one mentee)
 *   scheduling `OneOnOne.Overdue`  -> the life coach, low, confidential (about one pair)
 *   pulse `PulseScore.Dropped`     -> the department owning the topic, medium
 *
 * The topic's owner is found by the routing rules, with the topic mapped to a category
 * (`tool` -> `tools`, `change` -> `strategy`, `engagement` -> `culture`) and the tags `pulse`,
 * `pulse-topic:<topic>` and, for a domain segment, `domain:<domain>`: an admin routes a topic to
 * a department with a rule on its category or its tag.
 *
 * Each source event makes at most one escalation, however often it is delivered: the id is
 * derived from the event's id, and the write is refused when that id exists.
 */
import { createHash } from 'node:crypto';
import { MenteeAtRiskV1, PulseScoreDroppedV1, type SurveyTopicV1 } from '../../../shared/contracts/pulse-events';
import { OneOnOneOverdueV1 } from '../../../shared/contracts/scheduling-events';
import type { ParsedEvent } from '../../../shared/events/consumer';
import type { EventDetail } from '../../../shared/events/envelope';
import type * as z from '../../../shared/zod';
import { LIFE_COACH_DEPARTMENT } from './departments';
import { owningDepartment } from './escalations/escalations';
import { openEscalation } from './escalations/lifecycle';
import type { EscalationContext, Origin, RaiseInput } from './escalations/model';
import type { EscalationDependencies, WriteContext } from './ports';
import { type Category, type RoutingDecision, routeEscalation } from './routing';

export type AutomaticSource =
  | {
      kind: 'mentee-at-risk';
      detail: EventDetail<typeof MenteeAtRiskV1> & { data: z.infer<(typeof MenteeAtRiskV1)['data']> };
    }
  | {
      kind: 'one-on-one-overdue';
      detail: EventDetail<typeof OneOnOneOverdueV1> & { data: z.infer<(typeof OneOnOneOverdueV1)['data']> };
    }
  | {
      kind: 'pulse-score-dropped';
      detail: EventDetail<typeof PulseScoreDroppedV1> & { data: z.infer<(typeof PulseScoreDroppedV1)['data']> };
    };

/** The events that raise escalations by themselves. */
export const automaticContracts = [MenteeAtRiskV1, OneOnOneOverdueV1, PulseScoreDroppedV1] as const;

export const automaticSourceOf = (event: ParsedEvent<typeof automaticContracts>): AutomaticSource => {
  if (event.contract === MenteeAtRiskV1) return { kind: 'mentee-at-risk', detail: event.detail } as AutomaticSource;
  if (event.contract === OneOnOneOverdueV1)
    return { kind: 'one-on-one-overdue', detail: event.detail } as AutomaticSource;
  return { kind: 'pulse-score-dropped', detail: event.detail } as AutomaticSource;
};

const topicCategory: Readonly<Record<z.infer<ReturnType<typeof SurveyTopicV1>>, Category>> = {
  policy: 'policy',
  tool: 'tools',
  process: 'process',
  change: 'strategy',
  engagement: 'culture',
};

/** One id per source event (and per producer): a redelivery, or a replay from the archive, finds it taken. */
export const automaticEscalationId = (source: AutomaticSource): string =>
  `auto-${createHash('sha256').update(`${source.kind}\u0000${source.detail.metadata.service}\u0000${source.detail.metadata.id}`).digest('hex').slice(0, 32)}`;

interface AutomaticEscalation {
  origin: Origin;
  input: RaiseInput;
  podId: string | null;
  context: EscalationContext;
}

const riskWords = {
  'high-risk': 'rated at high risk',
  'sharp-drop': 'engagement or role clarity fell sharply',
} as const;
const measureWords = { enps: 'an eNPS of', 'scale-mean': 'a 1-5 mean of' } as const;

/** What an automatic escalation says: facts from the event (ids, levels, scores), no free text from it. */
export const automaticEscalationOf = (source: AutomaticSource): AutomaticEscalation => {
  switch (source.kind) {
    case 'mentee-at-risk': {
      const data = source.detail.data;
      return {
        origin: 'mentee-at-risk',
        podId: data.podId,
        input: {
          category: 'personal',
          severity: 'high',
          summary: `Mentee ${data.menteeId} at risk (${riskWords[data.trigger]})`,
          details: `The check-in ${data.checkInId} by mentor ${data.mentorId} rated mentee ${data.menteeId} at ${data.risk} risk of low performance${data.previousRisk ? ` (previously ${data.previousRisk})` : ''}${data.droppedMeasures.length > 0 ? `; ${data.droppedMeasures.join(' and ')} fell by two points or more` : ''}.`,
          tags: ['mentee-at-risk'],
          confidential: true,
        },
        context: {
          menteeId: data.menteeId,
          mentorId: data.mentorId,
          checkInId: data.checkInId,
          risk: data.risk,
          previousRisk: data.previousRisk,
          trigger: data.trigger,
          droppedMeasures: data.droppedMeasures.join(',') || null,
        },
      };
    }
    case 'one-on-one-overdue': {
      const data = source.detail.data;
      return {
        origin: 'one-on-one-overdue',
        podId: data.podId,
        input: {
          category: 'process',
          severity: 'low',
          summary: `No 1:1 for ${data.daysWithoutOneOnOne} days: mentor ${data.mentorId} and mentee ${data.menteeId}`,
          details: `Mentorship ${data.mentorshipId} has had no completed 1:1 for ${data.daysWithoutOneOnOne} days (last: ${data.lastCompletedAt ?? 'never'}).`,
          tags: ['one-on-one-overdue'],
          confidential: true,
        },
        context: {
          mentorshipId: data.mentorshipId,
          mentorId: data.mentorId,
          menteeId: data.menteeId,
          lastCompletedAt: data.lastCompletedAt,
          daysWithoutOneOnOne: data.daysWithoutOneOnOne,
        },
      };
    }
    case 'pulse-score-dropped': {
      const data = source.detail.data;
      const segment =
        data.segment.kind === 'domain' && data.segment.domain ? `domain ${data.segment.domain}` : 'everyone';
      return {
        origin: 'pulse-score-dropped',
        podId: null,
        input: {
          category: topicCategory[data.topic],
          severity: 'medium',
          summary: `Pulse score on ${data.topic} dropped for ${segment}: ${data.score} against ${data.trailingAverage} (${measureWords[data.measure]})`,
          details: `Survey ${data.surveyId}, round ${data.roundId}: ${data.respondents} respondents gave ${data.topic} ${measureWords[data.measure]} ${data.score}, against a trailing average of ${data.trailingAverage}.`,
          tags: [
            'pulse',
            `pulse-topic:${data.topic}`,
            ...(data.segment.kind === 'domain' && data.segment.domain
              ? [`domain:${data.segment.domain.toLowerCase()}`]
              : []),
          ].filter((tag) => /^[a-z0-9][a-z0-9.:-]{0,47}$/.test(tag)),
          confidential: false,
        },
        context: {
          surveyId: data.surveyId,
          roundId: data.roundId,
          topic: data.topic,
          segment: data.segment.kind,
          domain: data.segment.domain,
          measure: data.measure,
          score: data.score,
          trailingAverage: data.trailingAverage,
          respondents: data.respondents,
        },
      };
    }
  }
};

const routingOf = async (
  deps: Pick<EscalationDependencies, 'configuration'>,
  source: AutomaticSource,
  escalation: AutomaticEscalation,
): Promise<RoutingDecision> => {
  const settings = await deps.configuration.routingSettings();
  if (source.kind === 'pulse-score-dropped') return routeEscalation(settings, escalation.input);
  const reason =
    source.kind === 'mentee-at-risk'
      ? 'a mentee at risk always goes to the life coach'
      : 'an overdue 1:1 always goes to the life coach';
  return { departmentId: LIFE_COACH_DEPARTMENT, rulesVersion: settings.version, ruleId: null, reason };
};

/** Raises the escalation of a source event, once: `exists` when that event already made one. */
export const raiseAutomaticEscalation = async (
  deps: EscalationDependencies,
  source: AutomaticSource,
  context: WriteContext,
): Promise<'created' | 'exists' | 'duplicate'> => {
  const escalation = automaticEscalationOf(source);
  const owner = await owningDepartment(deps, await routingOf(deps, source, escalation));
  const change = openEscalation({
    escalationId: automaticEscalationId(source),
    origin: escalation.origin,
    sourceEventId: source.detail.metadata.id,
    reporterId: null,
    podId: escalation.podId,
    reporterPodRole: null,
    input: escalation.input,
    context: escalation.context,
    routing: owner.routing,
    department: owner.department,
    at: deps.clock(),
  });
  return deps.escalations.create(change, context);
};
