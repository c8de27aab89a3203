/**
 * What callers read about surveys: the survey and its rounds, their own open surveys, results,
 * trends, the CSV export. Every figure comes from a released round's stored results, which hold
 * only what the anonymity rules let through; the same rules hold for every caller, the life coach
 * included. Staff (life coach, admin) see every shown segment; someone in a round's audience sees
 * the whole-audience segment and their own domain's.
 */
import { isProgrammeStaff, type Principal } from '../../../../shared/auth/principal';
import { NotFoundError, SurveyNotFoundError } from '../errors';
import type { PulseDependencies } from '../ports';
import { domainSegment, EVERYONE, type SegmentKey } from './anonymity';
import type { QuestionFigures } from './figures';
import { type AudienceMember, type Round, roundIdOf, type StoredComment, type Survey, type Topic } from './model';
import { segmentOf } from './release';
import type { StoredResults } from './results-model';
import type { ResultsView, RoundView, SurveyList, SurveyView, TrendView } from './views';

export const WITHHELD_NOTE =
  'Withheld: shown, this figure would describe fewer people than the anonymity threshold, directly or combined with other figures.';

/** Responses so far, rounded down to a multiple of the threshold, so the figure never moves by one answer. */
const coarseCount = (count: number, threshold: number) => Math.floor(count / threshold) * threshold;

const roundView = async (deps: PulseDependencies, round: Round, staff: boolean): Promise<RoundView> => ({
  roundId: round.roundId,
  round: round.round,
  opensAt: round.opensAt,
  closesAt: round.closesAt,
  status: round.status,
  audienceSize: round.audienceSize,
  responsesAtLeast:
    staff && round.status === 'open'
      ? coarseCount(await deps.surveys.responseCount(round.roundId), deps.threshold)
      : null,
  closedAt: round.closedAt,
});

const roundsOf = async (deps: PulseDependencies, survey: Survey): Promise<Round[]> =>
  (
    await Promise.all(
      Array.from({ length: survey.latestRound }, (_, index) =>
        deps.surveys.round(roundIdOf(survey.surveyId, index + 1)),
      ),
    )
  ).filter((round): round is Round => round !== undefined);

/** The round a person is asked in: the latest they belong to. */
const membershipOf = async (deps: PulseDependencies, rounds: readonly Round[], personId: string) => {
  for (const round of [...rounds].reverse()) {
    if (round.status === 'scheduled') continue;
    const member = await deps.surveys.member(round.roundId, personId);
    if (member) return { round, member };
  }
  return undefined;
};

export const surveyView = async (deps: PulseDependencies, surveyId: string, caller: Principal): Promise<SurveyView> => {
  const survey = await deps.surveys.survey(surveyId);
  if (!survey) throw new SurveyNotFoundError(surveyId);
  const rounds = await roundsOf(deps, survey);
  const staff = isProgrammeStaff(caller);
  const membership = await membershipOf(deps, rounds, caller.personId);
  // Someone never asked learns nothing, not even that the survey exists.
  if (!staff && !membership) throw new SurveyNotFoundError(surveyId);
  const visible = staff ? rounds : rounds.filter((round) => round.roundId === membership?.round.roundId);
  return {
    surveyId,
    title: survey.title,
    topic: survey.topic,
    questions: survey.questions,
    audience: survey.audience,
    schedule: survey.schedule,
    cadence: survey.schedule.kind === 'recurring' ? survey.schedule.cadence : null,
    status: survey.status,
    createdAt: survey.createdAt,
    rounds: await Promise.all(visible.map((round) => roundView(deps, round, staff))),
    answered: membership ? membership.member.answered : null,
  };
};

/** Staff: every survey, newest first. Anyone else: the surveys they are asked in and may still answer. */
export const listSurveys = async (
  deps: PulseDependencies,
  caller: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<SurveyList> => {
  if (isProgrammeStaff(caller)) {
    const found = await deps.surveys.listSurveys(page);
    const items = await Promise.all(
      found.items.map(async (survey) => {
        const round = await deps.surveys.round(roundIdOf(survey.surveyId, survey.latestRound));
        return {
          surveyId: survey.surveyId,
          title: survey.title,
          topic: survey.topic,
          status: survey.status,
          round: round ? await roundView(deps, round, true) : null,
          answered: null,
        };
      }),
    );
    return { items, ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}) };
  }
  const memberships = await deps.surveys.membershipsOf(caller.personId, deps.clock().toISOString());
  const items = await Promise.all(
    memberships.map(async (member: AudienceMember) => {
      const round = await deps.surveys.round(member.roundId);
      const survey = round ? await deps.surveys.survey(round.surveyId) : undefined;
      if (!round || !survey || round.status !== 'open') return [];
      return [
        {
          surveyId: survey.surveyId,
          title: survey.title,
          topic: survey.topic,
          status: survey.status,
          round: await roundView(deps, round, false),
          answered: member.answered,
        },
      ];
    }),
  );
  return { items: items.flat() };
};

const visibleSegments = (results: StoredResults, staff: boolean, member: AudienceMember | undefined) => {
  const allowed = (segment: SegmentKey) =>
    staff || segment === EVERYONE || (member !== undefined && segment === domainSegment(member.domain));
  return {
    shown: results.shown.filter((entry) => allowed(entry.segment)),
    withheld: results.withheld.filter((entry) => allowed(entry.segment)),
  };
};

/** The comments a shown segment lists: everyone's for the whole audience, a domain's for that domain. */
const commentsIn = (segment: SegmentKey, comments: readonly StoredComment[]) =>
  comments.filter((comment) => segment === EVERYONE || segment === domainSegment(comment.domain));

const withComments = (question: QuestionFigures, comments: readonly StoredComment[]) => ({
  ...question,
  comments:
    question.type === 'text'
      ? comments
          .filter((comment) => comment.questionId === question.questionId)
          .map((comment) => ({ commentId: comment.commentId, text: comment.text }))
          .sort((a, b) => a.commentId.localeCompare(b.commentId))
      : null,
});

const pickRound = async (deps: PulseDependencies, survey: Survey, roundNumber: number | undefined) => {
  const rounds = await roundsOf(deps, survey);
  if (roundNumber !== undefined) return rounds.find((round) => round.round === roundNumber);
  const started = rounds.filter((round) => round.status !== 'scheduled');
  return started.at(-1) ?? rounds.at(-1);
};

export const resultsView = async (
  deps: PulseDependencies,
  surveyId: string,
  roundNumber: number | undefined,
  caller: Principal,
): Promise<ResultsView> => {
  const survey = await deps.surveys.survey(surveyId);
  if (!survey) throw new SurveyNotFoundError(surveyId);
  const round = await pickRound(deps, survey, roundNumber);
  const staff = isProgrammeStaff(caller);
  const member = round ? await deps.surveys.member(round.roundId, caller.personId) : undefined;
  if (!round || (!staff && !member)) {
    throw new NotFoundError(`No results of survey ${surveyId}${roundNumber ? ` round ${roundNumber}` : ''} for you.`);
  }
  const base = {
    surveyId,
    roundId: round.roundId,
    round: round.round,
    title: survey.title,
    topic: survey.topic,
    threshold: deps.threshold,
    responsesAtLeast: null,
    segments: [],
  };
  if (round.status === 'scheduled') return { ...base, state: 'scheduled' };
  if (round.status === 'open') {
    const count = staff ? coarseCount(await deps.surveys.responseCount(round.roundId), deps.threshold) : null;
    return { ...base, state: 'open', responsesAtLeast: count };
  }
  const results = round.status === 'released' ? await deps.surveys.results(round.roundId) : undefined;
  if (!results) return { ...base, state: 'preparing' };
  const { shown, withheld } = visibleSegments(results, staff, member);
  const comments = shown.length > 0 ? await deps.surveys.comments(round.roundId) : [];
  const segments: ResultsView['segments'] = [
    ...shown.map((entry) => ({
      segment: segmentOf(entry.segment),
      shown: true as const,
      respondents: entry.figures.respondents,
      score: entry.figures.score,
      questions: entry.figures.questions.map((question) => withComments(question, commentsIn(entry.segment, comments))),
    })),
    ...withheld.map((entry) => ({ segment: segmentOf(entry.segment), shown: false as const, note: WITHHELD_NOTE })),
  ];
  const order = (segment: { kind: string; domain: string | null }) =>
    segment.kind === 'everyone' ? '' : (segment.domain ?? '');
  segments.sort((a, b) => order(a.segment).localeCompare(order(b.segment)));
  return { ...base, state: 'released', segments };
};

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const CSV_HEADER = [
  'segment',
  'questionId',
  'type',
  'question',
  'answered',
  'mean',
  'enps',
  'distribution',
  'comment',
];

/** The results as CSV: one row per shown segment and question, one per comment; withheld segments say so. */
export const resultsCsv = (view: ResultsView): string => {
  const rows: (string | number | null)[][] = [CSV_HEADER];
  for (const segment of view.segments) {
    const name = segment.segment.kind === 'everyone' ? 'everyone' : `domain:${segment.segment.domain}`;
    if (!segment.shown) {
      rows.push([name, null, null, null, null, null, null, null, 'withheld']);
      continue;
    }
    for (const question of segment.questions) {
      rows.push([
        name,
        question.questionId,
        question.type,
        question.text,
        question.answered,
        question.mean,
        question.enps,
        question.distribution.map((entry) => `${entry.answer}=${entry.count}`).join('; '),
        null,
      ]);
      for (const comment of question.comments ?? []) {
        rows.push([name, question.questionId, 'comment', question.text, null, null, null, null, comment.text]);
      }
    }
  }
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
};

/** A topic's released headline scores for everyone, or for one domain, oldest first. */
export const trendView = async (
  deps: PulseDependencies,
  topic: Topic,
  domain: string | undefined,
): Promise<TrendView> => {
  const key = domain === undefined ? EVERYONE : domainSegment(domain);
  const entries = await deps.surveys.trend(topic, 200);
  const points = entries.flatMap((entry) => {
    const segment = entry.segments.find((candidate) => candidate.segment === key);
    if (!segment || segment.score === null || entry.measure === null) return [];
    return [
      {
        surveyId: entry.surveyId,
        roundId: entry.roundId,
        round: entry.round,
        title: entry.title,
        closedAt: entry.closedAt,
        measure: entry.measure,
        score: segment.score,
        respondents: segment.respondents,
      },
    ];
  });
  return { topic, segment: segmentOf(key), points: points.reverse() };
};
