/**
 * Releasing a closed round: deciding what may be shown (anonymity.ts), computing the figures of
 * the shown segments, the trend entry and any score drop, then recording who now belongs to which
 * shown groups (their signatures). Releases go one at a time through a slot, because each decision
 * depends on every earlier one; a release interrupted half-way is finished by the next one.
 */
import { PulseScoreDroppedV1 } from '../../../../shared/contracts/pulse-events';
import { pendingEvent } from '../../../../shared/events/outbox';
import type { PulseDependencies, WriteContext } from '../ports';
import {
  decideRelease,
  domainOfSegment,
  domainSegment,
  EVERYONE,
  type RoundPopulation,
  type SegmentKey,
  signatureUpdatesFor,
} from './anonymity';
import { segmentFigures } from './figures';
import type { AudienceMember, StoredComment, StoredResponse, Survey } from './model';
import type { StoredResults } from './results-model';
import { scoreDrops, type TrendEntry } from './trends';

const EARLIER_TREND_ENTRIES = 12;

export const segmentOf = (key: SegmentKey) => {
  const domain = domainOfSegment(key);
  return domain === null ? { kind: 'everyone' as const, domain: null } : { kind: 'domain' as const, domain };
};

const populationOf = (roundId: string, members: readonly AudienceMember[], responses: readonly StoredResponse[]) => {
  const respondentsByDomain = new Map<string, number>();
  for (const response of responses) {
    respondentsByDomain.set(response.domain, (respondentsByDomain.get(response.domain) ?? 0) + 1);
  }
  const population: RoundPopulation = {
    roundId,
    audience: members.map((member) => ({ personId: member.personId, domain: member.domain })),
    respondentsByDomain,
  };
  return population;
};

const inSegment = (key: SegmentKey) => (item: { domain: string }) =>
  key === EVERYONE || key === domainSegment(item.domain);

const figuresOf = (
  survey: Survey,
  key: SegmentKey,
  responses: readonly StoredResponse[],
  comments: readonly StoredComment[],
) => {
  const commentsPerQuestion = new Map<string, number>();
  for (const comment of comments.filter(inSegment(key))) {
    commentsPerQuestion.set(comment.questionId, (commentsPerQuestion.get(comment.questionId) ?? 0) + 1);
  }
  return segmentFigures(survey.questions, responses.filter(inSegment(key)), commentsPerQuestion);
};

/** Applies the signatures of a release whose results are stored but whose slot is still held. */
const finishPendingRelease = async (deps: PulseDependencies, roundId: string) => {
  const results = await deps.surveys.results(roundId);
  if (results) {
    const members = await deps.surveys.members(roundId);
    const signatures = await deps.surveys.signatures(roundId);
    const population = populationOf(roundId, members, []);
    const updates = signatureUpdatesFor(population, new Set(results.shown.map((shown) => shown.segment)), signatures);
    await deps.surveys.applySignatures(roundId, updates);
  }
  await deps.surveys.finishRelease(roundId);
};

export type ReleaseOutcome = 'released' | 'already-released' | 'not-closed';

export const releaseRound = async (
  deps: PulseDependencies,
  roundId: string,
  context: WriteContext,
): Promise<ReleaseOutcome> => {
  const pending = await deps.surveys.pendingRelease();
  if (pending !== null) await finishPendingRelease(deps, pending);

  const round = await deps.surveys.round(roundId);
  if (!round || round.status === 'scheduled' || round.status === 'open') return 'not-closed';
  if (round.status === 'released') return 'already-released';
  const survey = await deps.surveys.survey(round.surveyId);
  if (!survey) return 'not-closed';

  const [members, responses, comments, signatures, earlier] = await Promise.all([
    deps.surveys.members(roundId),
    deps.surveys.responses(roundId),
    deps.surveys.comments(roundId),
    deps.surveys.signatures(),
    deps.surveys.trend(survey.topic, EARLIER_TREND_ENTRIES),
  ]);
  const population = populationOf(roundId, members, responses);
  const decision = decideRelease(deps.threshold, population, signatures);
  const shown = decision.shown.map((segment) => ({
    segment,
    figures: figuresOf(survey, segment, responses, comments),
  }));
  const results: StoredResults = {
    surveyId: survey.surveyId,
    roundId,
    round: round.round,
    releasedAt: deps.clock().toISOString(),
    threshold: deps.threshold,
    shown,
    withheld: decision.withheld,
  };
  const measure = shown.find((entry) => entry.figures.score)?.figures.score?.measure ?? null;
  const trend: TrendEntry | null =
    shown.length > 0
      ? {
          topic: survey.topic,
          surveyId: survey.surveyId,
          roundId,
          round: round.round,
          title: survey.title,
          closedAt: round.closedAt ?? round.closesAt,
          measure,
          segments: shown.map((entry) => ({
            segment: entry.segment,
            score: entry.figures.score?.value ?? null,
            respondents: entry.figures.respondents,
          })),
        }
      : null;
  const drops = trend ? scoreDrops(trend, earlier) : [];
  await deps.surveys.beginRelease(
    {
      round,
      results,
      trend,
      events: drops.map((drop) =>
        pendingEvent(PulseScoreDroppedV1, {
          surveyId: survey.surveyId,
          roundId,
          topic: survey.topic,
          segment: segmentOf(drop.segment),
          measure: drop.measure,
          score: drop.score,
          trailingAverage: drop.trailingAverage,
          respondents: drop.respondents,
        }),
      ),
    },
    context,
  );
  await deps.surveys.applySignatures(roundId, decision.signatureUpdates);
  await deps.surveys.finishRelease(roundId);
  return 'released';
};
