/**
 * A survey's life: created with its first round scheduled; each round opens (audience fixed,
 * invitations and a reminder queued for each person's working hours) and closes on its dates, or
 * early on request; a recurring pulse schedules its next round as each one opens.
 */
import { PulseSurveyClosedV1, PulseSurveyOpenedV1 } from '../../../../shared/contracts/pulse-events';
import { pendingEvent } from '../../../../shared/events/outbox';
import type { DirectoryPerson } from '../directory/model';
import { InvalidInputError, SurveyClosedError, SurveyNotFoundError, UnprocessableError } from '../errors';
import type { DirectoryRepository, PulseDependencies, QueuedMail, WriteContext } from '../ports';
import { deliveryTime, reminderBase, roundWindow, scheduleProblems } from './calendar';
import { type Audience, type AudienceMember, type Round, roundIdOf, type Survey, type SurveyInput } from './model';
import { questionSetOf } from './question-sets';

const MAX_QUESTIONS = 30;

/** The people an audience names now: active people of the domains, or the mentors and mentees of the pods. */
export const resolveAudience = async (
  directory: DirectoryRepository,
  audience: Audience,
): Promise<{ people: DirectoryPerson[]; unknownPods: string[] }> => {
  if (audience.kind === 'everyone') return { people: await directory.activePeople('all'), unknownPods: [] };
  if (audience.kind === 'domains') return { people: await directory.activePeople(audience.domains), unknownPods: [] };
  const members = await directory.podMembers(audience.podIds);
  const unknownPods = audience.podIds.filter((podId) => !members.has(podId));
  const ids = [...new Set([...members.values()].flat())];
  const people = [...(await directory.people(ids)).values()].filter((person) => person.active);
  return { people: people.sort((a, b) => a.personId.localeCompare(b.personId)), unknownPods };
};

export const createSurvey = async (
  deps: PulseDependencies,
  input: SurveyInput,
  createdBy: string,
  context: WriteContext,
): Promise<{ survey: Survey; rounds: Round[] }> => {
  const now = deps.clock();
  const questions = [...(input.questionSet ? questionSetOf(input.questionSet).questions : []), ...input.questions];
  const problems = scheduleProblems(input.schedule, now).map(({ field, message }) => ({
    location: `body.${field}`,
    message,
  }));
  if (questions.length > MAX_QUESTIONS) {
    problems.push({ location: 'body.questions', message: `a survey has at most ${MAX_QUESTIONS} questions in all` });
  }
  if (problems.length > 0) throw new InvalidInputError(problems);

  const { people, unknownPods } = await resolveAudience(deps.directory, input.audience);
  if (unknownPods.length > 0) {
    throw new UnprocessableError(`No active pod ${unknownPods.join(', ')}.`, 'body.audience.podIds');
  }
  if (people.length < deps.threshold) {
    throw new UnprocessableError(
      `The audience has ${people.length} people; a survey needs at least ${deps.threshold} (the anonymity threshold), or no result could ever be shown.`,
      'body.audience',
    );
  }

  const window = roundWindow(input.schedule, 1);
  if (!window) throw new InvalidInputError([{ location: 'body.schedule', message: 'has no round' }]);
  const surveyId = `sv-${deps.newId()}`;
  const survey: Survey = {
    surveyId,
    title: input.title,
    topic: input.topic,
    questions: questions.map((question, index) => ({ ...question, questionId: `q${index + 1}` })),
    audience: input.audience,
    schedule: input.schedule,
    status: 'active',
    createdBy,
    createdAt: now.toISOString(),
    latestRound: 1,
  };
  const first: Round = {
    surveyId,
    roundId: roundIdOf(surveyId, 1),
    round: 1,
    // A round whose day has already begun opens at the next sweep (emails go out from then on).
    opensAt: window.opensAt.toISOString(),
    closesAt: window.closesAt.toISOString(),
    status: 'scheduled',
    audienceSize: null,
    closedAt: null,
    closedEarly: false,
  };
  await deps.surveys.createSurvey(survey, first, context);
  return { survey, rounds: [first] };
};

const cadenceOf = (survey: Survey) => (survey.schedule.kind === 'recurring' ? survey.schedule.cadence : null);

const mailsFor = (round: Round, people: readonly DirectoryPerson[], now: Date): QueuedMail[] => {
  const opensAt = new Date(Math.max(new Date(round.opensAt).getTime(), now.getTime()));
  const closesAt = new Date(round.closesAt);
  const remindFrom = reminderBase({ opensAt: new Date(round.opensAt), closesAt });
  return people.flatMap((person) => {
    const base = { personId: person.personId, attempts: 0, surveyId: round.surveyId, roundId: round.roundId };
    const invitation = deliveryTime(opensAt, person, closesAt);
    const reminder = remindFrom ? deliveryTime(remindFrom, person, closesAt) : null;
    return [
      ...(invitation
        ? [
            {
              ...base,
              mailId: `survey-invitation.${round.roundId}.${person.personId}`,
              kind: 'survey-invitation' as const,
              dueAt: invitation.toISOString(),
            },
          ]
        : []),
      ...(reminder && (!invitation || reminder > invitation)
        ? [
            {
              ...base,
              mailId: `survey-reminder.${round.roundId}.${person.personId}`,
              kind: 'survey-reminder' as const,
              dueAt: reminder.toISOString(),
            },
          ]
        : []),
    ];
  });
};

/** Opens a scheduled round: fixes its audience, queues its emails, schedules a recurring pulse's next round. */
export const openRound = async (
  deps: PulseDependencies,
  survey: Survey,
  round: Round,
  context: WriteContext,
): Promise<'opened' | 'skipped'> => {
  const now = deps.clock();
  const { people } = await resolveAudience(deps.directory, survey.audience);
  const members: AudienceMember[] = people.map((person) => ({
    roundId: round.roundId,
    personId: person.personId,
    domain: person.domain,
    answered: false,
  }));
  await deps.surveys.writeAudience(round.roundId, members, mailsFor(round, people, now));

  const nextWindow = roundWindow(survey.schedule, round.round + 1);
  const nextRound: Round | null = nextWindow
    ? {
        surveyId: survey.surveyId,
        roundId: roundIdOf(survey.surveyId, round.round + 1),
        round: round.round + 1,
        opensAt: nextWindow.opensAt.toISOString(),
        closesAt: nextWindow.closesAt.toISOString(),
        status: 'scheduled',
        audienceSize: null,
        closedAt: null,
        closedEarly: false,
      }
    : null;
  const opened = await deps.surveys.markOpen(
    {
      round,
      audienceSize: members.length,
      nextRound,
      events: [
        pendingEvent(PulseSurveyOpenedV1, {
          surveyId: survey.surveyId,
          roundId: round.roundId,
          round: round.round,
          title: survey.title,
          topic: survey.topic,
          audience: survey.audience,
          audienceSize: members.length,
          opensAt: round.opensAt,
          closesAt: round.closesAt,
          cadence: cadenceOf(survey),
        }),
      ],
    },
    context,
  );
  return opened ? 'opened' : 'skipped';
};

const closeRound = async (
  deps: PulseDependencies,
  survey: Survey,
  round: Round,
  options: { early: boolean; closeSurvey: boolean },
  context: WriteContext,
): Promise<boolean> => {
  const closedAt = deps.clock().toISOString();
  // A round that never opened has nothing to release: it just ends.
  const events =
    round.status === 'open'
      ? [
          pendingEvent(PulseSurveyClosedV1, {
            surveyId: survey.surveyId,
            roundId: round.roundId,
            round: round.round,
            topic: survey.topic,
            closedAt,
            closedEarly: options.early,
          }),
        ]
      : [];
  return deps.surveys.markClosed(
    { round, closedAt, early: options.early, closeSurvey: options.closeSurvey, events },
    context,
  );
};

export interface AdvanceSummary {
  opened: string[];
  closed: string[];
}

/** The rounds sweep: opens the rounds whose time has come and closes those whose closing has. */
export const advanceRounds = async (
  deps: PulseDependencies,
  context: WriteContext,
  batch = 25,
): Promise<AdvanceSummary> => {
  const summary: AdvanceSummary = { opened: [], closed: [] };
  const now = deps.clock().toISOString();
  const due = await deps.surveys.dueRounds(now, batch);
  for (const round of due) {
    const survey = await deps.surveys.survey(round.surveyId);
    if (!survey) continue;
    if (round.status === 'scheduled' && round.opensAt <= now) {
      if (survey.status !== 'active') continue;
      if ((await openRound(deps, survey, round, context)) === 'opened') summary.opened.push(round.roundId);
    } else if (round.status === 'open' && round.closesAt <= now) {
      const lastRound = roundWindow(survey.schedule, round.round + 1) === null;
      if (await closeRound(deps, survey, round, { early: false, closeSurvey: lastRound }, context)) {
        summary.closed.push(round.roundId);
      }
    }
  }
  return summary;
};

/** The life coach or an admin ends a survey now: its open round closes early, no further round opens. */
export const closeSurvey = async (
  deps: PulseDependencies,
  surveyId: string,
  context: WriteContext,
): Promise<Survey> => {
  const survey = await deps.surveys.survey(surveyId);
  if (!survey) throw new SurveyNotFoundError(surveyId);
  if (survey.status !== 'active') throw new SurveyClosedError(`Survey ${surveyId} is already closed.`);
  const rounds = await Promise.all(
    [survey.latestRound, survey.latestRound - 1]
      .filter((number) => number >= 1)
      .map((number) => deps.surveys.round(roundIdOf(surveyId, number))),
  );
  const current =
    rounds.find((round) => round?.status === 'open') ?? rounds.find((round) => round?.status === 'scheduled');
  if (!current || !(await closeRound(deps, survey, current, { early: true, closeSurvey: true }, context))) {
    throw new SurveyClosedError(`Survey ${surveyId} changed meanwhile; read it again.`);
  }
  return { ...survey, status: 'closed' };
};
