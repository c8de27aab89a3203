/**
 * A survey's life on the in-memory store: creation, opening (audience fixed, emails queued in
 * working hours), answers stored without identity, closing, release, results as each caller may
 * see them, trends and drops, and anonymous conversations.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  PulseResponseRecordedV1,
  PulseScoreDroppedV1,
  PulseSurveyClosedV1,
  PulseSurveyOpenedV1,
} from '../../../../shared/contracts/pulse-events';
import { admin, coach, createHarness, dayAfter, type Harness, principal } from '../../test-support/harness';
import {
  AlreadyAnsweredError,
  CommentNotFoundError,
  ConversationNotStartedError,
  InvalidInputError,
  InvalidReplyTokenError,
  NotFoundError,
  NotInAudienceError,
  RoundNotOpenError,
  SurveyClosedError,
  SurveyNotFoundError,
  UnprocessableError,
} from '../errors';
import { answerThread, replyToComment, threadsOfToken } from './conversations';
import { advanceRounds, closeSurvey, createSurvey } from './lifecycle';
import type { SurveyInput } from './model';
import { listSurveys, resultsCsv, resultsView, surveyView, trendView } from './reading';
import { releaseRound } from './release';
import { submitResponse } from './responses';

const context = { correlationId: 'corr-test' };

/** Domain a: a0..a7 (London); domain b: b0..b2 (Tokyo). */
const seed = async (harness: Harness) => {
  for (let index = 0; index < 8; index++) await harness.addPerson(`a${index}`, 'a');
  for (let index = 0; index < 3; index++) {
    await harness.addPerson(`b${index}`, 'b', {
      timezone: 'Asia/Tokyo',
      workingHours: { start: '10:00', end: '18:00' },
    });
  }
};

const surveyInput = (harness: Harness, overrides: Partial<SurveyInput> = {}): SurveyInput => ({
  title: 'How are we doing?',
  topic: 'engagement',
  questionSet: 'enps',
  questions: [{ type: 'scale', text: 'My priorities are clear.' }],
  audience: { kind: 'everyone' },
  schedule: { kind: 'once', opensOn: dayAfter(harness.clock), closesOn: dayAfter(harness.clock, 6) },
  ...overrides,
});

const answersOf = (enps: number, scale: number, text = '') => ({
  answers: [
    { questionId: 'q1', value: enps },
    { questionId: 'q2', text },
    { questionId: 'q3', value: scale },
  ],
});

describe('a survey from creation to results', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = createHarness({ threshold: 5 });
    await seed(harness);
  });

  const openSurvey = async (overrides: Partial<SurveyInput> = {}) => {
    const { survey } = await createSurvey(harness.deps, surveyInput(harness, overrides), coach.personId, context);
    await advanceRounds(harness.deps, context);
    return survey.surveyId;
  };

  it('creates a scheduled round, and the sweep opens it: audience fixed, invitations and a reminder queued in working hours', async () => {
    const { survey, rounds } = await createSurvey(harness.deps, surveyInput(harness), coach.personId, context);
    expect(survey.questions.map((question) => [question.questionId, question.type])).toEqual([
      ['q1', 'enps'],
      ['q2', 'text'],
      ['q3', 'scale'],
    ]);
    expect(rounds[0]).toMatchObject({ status: 'scheduled', opensAt: '2026-11-24T00:00:00.000Z' });

    const swept = await advanceRounds(harness.deps, context);
    expect(swept.opened).toEqual([`${survey.surveyId}-r1`]);
    const opened = harness.store.published.map((published) => published.event);
    expect(opened).toHaveLength(1);
    expect(opened[0]?.contract).toBe(PulseSurveyOpenedV1);
    expect(opened[0]?.data).toMatchObject({ audienceSize: 11, round: 1, cadence: null });

    const mail = [...harness.store.inspect.mail.values()];
    const invitationOf = (personId: string) =>
      mail.find((queued) => queued.kind === 'survey-invitation' && queued.personId === personId);
    // London is at work now; Tokyo (10:00-18:00) was at 19:00 on Tuesday: Wednesday 10:00 = 01:00 UTC.
    expect(invitationOf('a0')?.dueAt).toBe('2026-11-24T10:00:00.000Z');
    expect(invitationOf('b0')?.dueAt).toBe('2026-11-25T01:00:00.000Z');
    const reminders = mail.filter((queued) => queued.kind === 'survey-reminder');
    expect(reminders).toHaveLength(11);
    // The round closes at the end of Monday 30 November; two days before is Sunday: Monday morning it is.
    expect(reminders.find((queued) => queued.personId === 'a0')?.dueAt).toBe('2026-11-30T09:00:00.000Z');
  });

  it('refuses an audience smaller than the threshold, and pods that do not exist', async () => {
    await expect(
      createSurvey(
        harness.deps,
        surveyInput(harness, { audience: { kind: 'domains', domains: ['b'] } }),
        coach.personId,
        context,
      ),
    ).rejects.toThrow(UnprocessableError);
    await expect(
      createSurvey(
        harness.deps,
        surveyInput(harness, { audience: { kind: 'pods', podIds: ['pod-x'] } }),
        coach.personId,
        context,
      ),
    ).rejects.toThrow(/No active pod pod-x/);
    await expect(
      createSurvey(
        harness.deps,
        surveyInput(harness, { schedule: { kind: 'once', opensOn: '2026-01-01', closesOn: '2026-01-02' } }),
        coach.personId,
        context,
      ),
    ).rejects.toThrow(InvalidInputError);
  });

  it('stores an answer with no identity and no time, apart from the record of who answered; one answer each', async () => {
    const surveyId = await openSurvey();
    const { replyToken } = await submitResponse(
      harness.deps,
      surveyId,
      'a0',
      answersOf(9, 4, 'More focus time please'),
    );
    expect(replyToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const [response] = [...(harness.store.inspect.responses.get(`${surveyId}-r1`)?.values() ?? [])];
    expect(Object.keys(response ?? {}).sort()).toEqual(['answers', 'domain', 'responseId', 'roundId']);
    expect(JSON.stringify(response)).not.toMatch(/a0|2026-/);
    const [comment] = [...(harness.store.inspect.comments.get(`${surveyId}-r1`)?.values() ?? [])];
    expect(Object.keys(comment ?? {}).sort()).toEqual([
      'commentId',
      'domain',
      'questionId',
      'roundId',
      'surveyId',
      'text',
      'tokenHash',
    ]);
    expect(JSON.stringify(comment)).not.toContain(replyToken as string);
    expect(harness.store.inspect.members.get(`${surveyId}-r1`)?.get('a0')?.answered).toBe(true);

    // The event names no one, carries no answer, and not the request's correlation id.
    const recorded = harness.store.published.find((published) => published.event.contract === PulseResponseRecordedV1);
    expect(recorded?.event.data).toEqual({ surveyId, roundId: `${surveyId}-r1` });
    expect(recorded?.correlationId).toMatch(/^pulse-response-/);

    await expect(submitResponse(harness.deps, surveyId, 'a0', answersOf(1, 1))).rejects.toThrow(AlreadyAnsweredError);
    await expect(submitResponse(harness.deps, surveyId, 'outsider', answersOf(1, 1))).rejects.toThrow(
      NotInAudienceError,
    );
    await expect(submitResponse(harness.deps, 'sv-nope', 'a1', answersOf(1, 1))).rejects.toThrow(SurveyNotFoundError);
  });

  it('checks answers against the questions, naming every problem', async () => {
    const surveyId = await openSurvey();
    const attempt = submitResponse(harness.deps, surveyId, 'a1', {
      answers: [
        { questionId: 'q1', value: 11 },
        { questionId: 'q9', value: 1 },
        { questionId: 'q1', value: 3 },
      ],
    });
    await expect(attempt).rejects.toThrow(InvalidInputError);
    const error = (await attempt.catch((caught) => caught)) as InvalidInputError;
    expect(error.errors).toEqual([
      { location: 'body.answers.0.value', message: 'must be a whole number from 0 to 10, alone' },
      { location: 'body.answers.1.questionId', message: 'is not a question of this survey' },
      { location: 'body.answers.2.questionId', message: 'answers q1 a second time' },
      { location: 'body.answers', message: 'needs an answer to q3 (scale)' },
    ]);
  });

  it('shows nothing while open (staff see a count rounded down to the threshold), then only what the rules allow', async () => {
    const surveyId = await openSurvey();
    for (let index = 0; index < 7; index++)
      await submitResponse(harness.deps, surveyId, `a${index}`, answersOf(10 - index, 4));
    await submitResponse(harness.deps, surveyId, 'b0', answersOf(0, 1, 'Tokyo is ignored'));
    const open = await resultsView(harness.deps, surveyId, undefined, coach);
    expect(open).toMatchObject({ state: 'open', responsesAtLeast: 5, segments: [] });
    expect((await resultsView(harness.deps, surveyId, undefined, principal('a0'))).responsesAtLeast).toBeNull();
    await expect(resultsView(harness.deps, surveyId, undefined, principal('outsider'))).rejects.toThrow(NotFoundError);

    await closeSurvey(harness.deps, surveyId, context);
    expect(harness.store.published.some((published) => published.event.contract === PulseSurveyClosedV1)).toBe(true);
    expect((await resultsView(harness.deps, surveyId, undefined, coach)).state).toBe('preparing');
    await expect(submitResponse(harness.deps, surveyId, 'a7', answersOf(1, 1))).rejects.toThrow(RoundNotOpenError);

    expect(await releaseRound(harness.deps, `${surveyId}-r1`, context)).toBe('released');
    const results = await resultsView(harness.deps, surveyId, undefined, coach);
    // b answered once: shown alone it would be that person; with everyone shown, a is hidden too.
    expect(results.segments.map((segment) => [segment.segment.domain, segment.shown])).toEqual([
      [null, true],
      ['a', false],
      ['b', false],
    ]);
    const everyone = results.segments[0];
    if (!everyone?.shown) throw new Error('everyone should be shown');
    expect(everyone.respondents).toBe(8);
    expect(everyone.questions[1]?.comments).toEqual([{ commentId: expect.any(String), text: 'Tokyo is ignored' }]);
    expect(await releaseRound(harness.deps, `${surveyId}-r1`, context)).toBe('already-released');

    // Someone asked sees the whole audience and (if shown) their own domain; the CSV says the same.
    const forA0 = await resultsView(harness.deps, surveyId, undefined, principal('a0'));
    expect(forA0.segments.map((segment) => segment.segment.domain)).toEqual([null, 'a']);
    const csv = resultsCsv(forA0);
    expect(csv.split('\r\n')[0]).toBe('segment,questionId,type,question,answered,mean,enps,distribution,comment');
    expect(csv).toContain('domain:a,,,,,,,,withheld');
    expect(csv).toContain('everyone,q2,comment,What is the main reason for your score?,,,,,Tokyo is ignored');
    expect(csv).not.toContain('domain:b');
  });

  it('lists a person’s open surveys with whether they answered, and staff every survey', async () => {
    const surveyId = await openSurvey();
    await submitResponse(harness.deps, surveyId, 'a0', answersOf(9, 4));
    const mine = await listSurveys(harness.deps, principal('a0'), { limit: 10 });
    expect(mine.items).toEqual([expect.objectContaining({ surveyId, answered: true })]);
    expect((await listSurveys(harness.deps, principal('a1'), { limit: 10 })).items[0]?.answered).toBe(false);
    expect((await listSurveys(harness.deps, principal('outsider'), { limit: 10 })).items).toEqual([]);
    const all = await listSurveys(harness.deps, admin, { limit: 10 });
    expect(all.items[0]?.round?.responsesAtLeast).toBe(0);
    await expect(surveyView(harness.deps, surveyId, principal('outsider'))).rejects.toThrow(SurveyNotFoundError);
    expect((await surveyView(harness.deps, surveyId, principal('b1'))).answered).toBe(false);
  });

  it('closes a survey early once; a recurring pulse opens a round each period until closed', async () => {
    const { survey } = await createSurvey(
      harness.deps,
      surveyInput(harness, { schedule: { kind: 'recurring', cadence: 'weekly', startsOn: dayAfter(harness.clock) } }),
      coach.personId,
      context,
    );
    await advanceRounds(harness.deps, context);
    expect((await harness.deps.surveys.round(`${survey.surveyId}-r2`))?.status).toBe('scheduled');
    // Round 1 closes after 5 days; round 2 opens on day 7.
    harness.clock.advance(5 * 24 * 3600_000);
    expect((await advanceRounds(harness.deps, context)).closed).toEqual([`${survey.surveyId}-r1`]);
    harness.clock.advance(2 * 24 * 3600_000);
    expect((await advanceRounds(harness.deps, context)).opened).toEqual([`${survey.surveyId}-r2`]);
    await closeSurvey(harness.deps, survey.surveyId, context);
    const view = await surveyView(harness.deps, survey.surveyId, coach);
    expect(view.status).toBe('closed');
    expect(view.rounds.map((round) => round.status)).toEqual(['closed', 'closed']);
    await expect(closeSurvey(harness.deps, survey.surveyId, context)).rejects.toThrow(SurveyClosedError);
  });
});

describe('trends and drops', () => {
  it('records each released round’s headline scores by topic, and raises PulseScore.Dropped on a sharp fall', async () => {
    const harness = createHarness({ threshold: 5 });
    for (let index = 0; index < 6; index++) await harness.addPerson(`p${index}`, 'a');
    const runRound = async (enps: number) => {
      const { survey } = await createSurvey(
        harness.deps,
        surveyInput(harness, { questions: [] }),
        coach.personId,
        context,
      );
      await advanceRounds(harness.deps, context);
      for (let index = 0; index < 6; index++) {
        await submitResponse(harness.deps, survey.surveyId, `p${index}`, {
          answers: [
            { questionId: 'q1', value: enps },
            { questionId: 'q2', text: '' },
          ],
        });
      }
      await closeSurvey(harness.deps, survey.surveyId, context);
      await releaseRound(harness.deps, `${survey.surveyId}-r1`, context);
      harness.clock.advance(24 * 3600_000);
      return survey.surveyId;
    };
    await runRound(10);
    await runRound(9);
    expect(harness.store.published.filter((published) => published.event.contract === PulseScoreDroppedV1)).toEqual([]);
    const dropped = await runRound(6);
    const drops = harness.store.published.filter((published) => published.event.contract === PulseScoreDroppedV1);
    expect(drops.map((published) => published.event.data)).toEqual([
      expect.objectContaining({
        surveyId: dropped,
        segment: { kind: 'everyone', domain: null },
        measure: 'enps',
        score: -100,
        trailingAverage: 100,
        respondents: 6,
      }),
      expect.objectContaining({ segment: { kind: 'domain', domain: 'a' } }),
    ]);
    const trend = await trendView(harness.deps, 'engagement', undefined);
    expect(trend.points.map((point) => point.score)).toEqual([100, 100, -100]);
    expect((await trendView(harness.deps, 'engagement', 'zz')).points).toEqual([]);
  });
});

describe('anonymous conversations', () => {
  it('lets the life coach reply to a shown comment and only the token holder read and answer it', async () => {
    const harness = createHarness({ threshold: 5 });
    await seed(harness);
    const { survey } = await createSurvey(harness.deps, surveyInput(harness), coach.personId, context);
    await advanceRounds(harness.deps, context);
    const tokens: (string | null)[] = [];
    for (let index = 0; index < 6; index++) {
      const { replyToken } = await submitResponse(
        harness.deps,
        survey.surveyId,
        `a${index}`,
        answersOf(8, 3, index === 0 ? 'The release process hurts' : ''),
      );
      tokens.push(replyToken);
    }
    expect(tokens.slice(1)).toEqual([null, null, null, null, null]);
    const token = tokens[0] as string;
    const [comment] = await harness.deps.surveys.comments(`${survey.surveyId}-r1`);
    const commentId = comment?.commentId as string;

    // Not shown yet (the round is open): for the coach, no such comment.
    await expect(replyToComment(harness.deps, commentId, 'Tell me more?')).rejects.toThrow(CommentNotFoundError);
    await expect(answerThread(harness.deps, token, commentId, 'Hello?')).rejects.toThrow(ConversationNotStartedError);
    await closeSurvey(harness.deps, survey.surveyId, context);
    await releaseRound(harness.deps, `${survey.surveyId}-r1`, context);

    await replyToComment(harness.deps, commentId, 'Which part of it?');
    await answerThread(harness.deps, token, commentId, 'The manual sign-off.');
    const [thread] = await threadsOfToken(harness.deps, token);
    expect(thread).toMatchObject({
      commentId,
      comment: 'The release process hurts',
      question: 'What is the main reason for your score?',
      messages: [
        { from: 'life-coach', text: 'Which part of it?', sentOn: '2026-11-24' },
        { from: 'respondent', text: 'The manual sign-off.', sentOn: '2026-11-24' },
      ],
    });
    await expect(threadsOfToken(harness.deps, undefined)).rejects.toThrow(InvalidReplyTokenError);
    await expect(threadsOfToken(harness.deps, 'A'.repeat(43))).rejects.toThrow(InvalidReplyTokenError);
    await expect(answerThread(harness.deps, token, `${commentId}x`, 'Hi')).rejects.toThrow(CommentNotFoundError);
  });
});
