/**
 * One suite, two implementations of the pulse repositories: DynamoDB (against DynamoDB Local,
 * with the real SDK) and the in-memory fakes the other tests use. Both must behave alike; the
 * DynamoDB one is then also checked for what it stores (no identity with an answer) and for
 * concurrent writes.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, sequentialIds } from '../../../shared/ports';
import { createTestTable, type TestTable } from '../../../test/support/dynamodb';
import {
  AlreadyAnsweredError,
  AlreadyRatedError,
  ConcurrentGoalChangeError,
  ConcurrentRatingError,
  DuplicateCheckInError,
  ReleaseBusyError,
} from '../domain/errors';
import { queueCheckInReminders } from '../domain/mentoring/check-in-reminders';
import { recordCheckIn } from '../domain/mentoring/check-ins';
import { createGoal } from '../domain/mentoring/goals';
import { rateSession, ratingsFor } from '../domain/mentoring/ratings';
import type { QueuedMail } from '../domain/ports';
import { answerThread, replyToComment, threadsOfToken } from '../domain/surveys/conversations';
import { advanceRounds, closeSurvey, createSurvey } from '../domain/surveys/lifecycle';
import { resultsView, surveyView } from '../domain/surveys/reading';
import { releaseRound } from '../domain/surveys/release';
import { submitResponse } from '../domain/surveys/responses';
import { coach, dayAfter, harnessOn, NOW, type PulseRepositories, principal } from '../test-support/harness';
import { createDynamoDirectoryRepository } from './dynamo-directory';
import { createDynamoMailRepository } from './dynamo-mail';
import { createDynamoMentoringRepository } from './dynamo-mentoring';
import { createDynamoSurveyRepository } from './dynamo-surveys';
import { createInMemoryPulseStore } from './in-memory-store';

interface RecordedEvent {
  detailType: string;
  data: Record<string, unknown>;
  correlationId: string;
}

interface Backend {
  repositories: PulseRepositories;
  clock: ReturnType<typeof fixedClock>;
  events(): Promise<RecordedEvent[]>;
  table?: TestTable;
  drop(): Promise<void>;
}

const scan = async (table: TestTable) => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({ TableName: table.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

const backends: [string, () => Promise<Backend>][] = [
  [
    'in memory',
    async () => {
      const store = createInMemoryPulseStore();
      return {
        repositories: store,
        clock: fixedClock(NOW),
        events: async () =>
          store.published.map(({ event, correlationId }) => ({
            detailType: event.contract.detailType,
            data: event.data as Record<string, unknown>,
            correlationId,
          })),
        drop: async () => undefined,
      };
    },
  ],
  [
    'DynamoDB Local',
    async () => {
      const table = await createTestTable();
      const clock = fixedClock(NOW);
      const options = {
        db: table.documentClient,
        tableName: table.tableName,
        service: 'pulse',
        clock,
        newId: sequentialIds('evt'),
      };
      return {
        repositories: {
          directory: createDynamoDirectoryRepository(options),
          surveys: createDynamoSurveyRepository(options),
          mail: createDynamoMailRepository(options),
          mentoring: createDynamoMentoringRepository(options),
        },
        clock,
        table,
        events: async () =>
          (await scan(table))
            .filter((item) => String(item.pk).startsWith('OUTBOX#'))
            .map((item) => {
              const detail = JSON.parse(String(item.detail)) as {
                metadata: { id: string; correlationId: string };
                data: Record<string, unknown>;
              };
              // Ids are `evt-<n>` in the order the events were written.
              const order = Number(detail.metadata.id.split('-')[1]);
              return {
                detailType: String(item.detailType),
                data: detail.data,
                correlationId: detail.metadata.correlationId,
                order,
              };
            })
            .sort((a, b) => a.order - b.order)
            .map(({ order: _order, ...event }) => event),
        drop: () => table.drop(),
      };
    },
  ],
];

const context = { correlationId: 'corr-repo' };

/** The record, which the test has just written. */
const known = async <T>(read: Promise<T | undefined>): Promise<T> => {
  const found = await read;
  if (found === undefined) throw new Error('expected a stored record');
  return found;
};
const scaleAnswers = (value: number, text = '') => ({
  answers: [
    { questionId: 'q1', value },
    { questionId: 'q2', text },
  ],
});

describe.each(backends)('pulse repositories: %s', (_name, makeBackend) => {
  let backend: Backend;
  let harness: ReturnType<typeof harnessOn<PulseRepositories>>;
  beforeEach(async () => {
    backend = await makeBackend();
    harness = harnessOn(backend.repositories, { threshold: 3, clock: backend.clock });
    for (const id of ['a0', 'a1', 'a2', 'a3']) await harness.addPerson(id, 'a');
    for (const id of ['b0', 'b1']) await harness.addPerson(id, 'b', { timezone: 'America/New_York' });
  }, 30_000);
  afterEach(async () => {
    await backend.drop();
  });

  const createOpenSurvey = async (overrides: object = {}) => {
    const { survey } = await createSurvey(
      harness.deps,
      {
        title: 'Weekly pulse',
        topic: 'engagement',
        questions: [
          { type: 'scale', text: 'How was your week?' },
          { type: 'text', text: 'Anything to add?' },
        ],
        audience: { kind: 'everyone' },
        schedule: { kind: 'once', opensOn: dayAfter(harness.clock), closesOn: dayAfter(harness.clock, 4) },
        ...overrides,
      },
      coach.personId,
      context,
    );
    expect((await advanceRounds(harness.deps, context)).opened).toEqual([`${survey.surveyId}-r1`]);
    return survey.surveyId;
  };

  it('runs a survey: audience, one answer each, tally, close, release, results, trend, conversation', async () => {
    const surveyId = await createOpenSurvey();
    const roundId = `${surveyId}-r1`;
    expect((await harness.deps.surveys.members(roundId)).map((member) => member.personId).sort()).toEqual([
      'a0',
      'a1',
      'a2',
      'a3',
      'b0',
      'b1',
    ]);
    expect((await harness.deps.surveys.membershipsOf('b0', NOW)).map((member) => member.roundId)).toEqual([roundId]);
    const { replyToken } = await submitResponse(harness.deps, surveyId, 'a0', scaleAnswers(5, 'Great sprint'));
    for (const id of ['a1', 'a2', 'b0']) await submitResponse(harness.deps, surveyId, id, scaleAnswers(3));
    await expect(submitResponse(harness.deps, surveyId, 'a1', scaleAnswers(1))).rejects.toThrow(AlreadyAnsweredError);
    expect(await harness.deps.surveys.responseCount(roundId)).toBe(4);
    expect((await surveyView(harness.deps, surveyId, coach)).rounds[0]).toMatchObject({
      status: 'open',
      responsesAtLeast: 3,
    });

    await closeSurvey(harness.deps, surveyId, context);
    expect(await releaseRound(harness.deps, roundId, context)).toBe('released');
    expect(await releaseRound(harness.deps, roundId, context)).toBe('already-released');
    const results = await resultsView(harness.deps, surveyId, undefined, coach);
    expect(results.segments.map((segment) => [segment.segment.domain, segment.shown])).toEqual([
      [null, true],
      ['a', false],
      ['b', false],
    ]);
    const everyone = results.segments[0];
    expect(everyone?.shown && everyone.questions[0]).toMatchObject({ answered: 4, mean: 3.5 });
    expect(everyone?.shown && everyone.questions[1]?.comments).toEqual([
      { commentId: expect.any(String), text: 'Great sprint' },
    ]);
    expect((await harness.deps.surveys.signatures()).size).toBe(6);
    expect(await harness.deps.surveys.pendingRelease()).toBeNull();
    expect((await harness.deps.surveys.trend('engagement', 10)).map((entry) => entry.roundId)).toEqual([roundId]);

    const commentId = (everyone?.shown && everyone.questions[1]?.comments?.[0]?.commentId) as string;
    await replyToComment(harness.deps, commentId, 'What made it great?');
    await answerThread(harness.deps, replyToken as string, commentId, 'Pairing.');
    await replyToComment(harness.deps, commentId, 'Noted!');
    const [thread] = await threadsOfToken(harness.deps, replyToken as string);
    expect(thread?.messages.map((message) => message.text)).toEqual(['What made it great?', 'Pairing.', 'Noted!']);

    expect((await backend.events()).map((event) => event.detailType)).toEqual([
      'PulseSurvey.Opened',
      'PulseResponse.Recorded',
      'PulseResponse.Recorded',
      'PulseResponse.Recorded',
      'PulseResponse.Recorded',
      'PulseSurvey.Closed',
    ]);
  });

  it('replaces an audience written again, its queued emails included', async () => {
    const mail = (personId: string): QueuedMail => ({
      mailId: `survey-invitation.sv-x-r1.${personId}`,
      kind: 'survey-invitation',
      personId,
      dueAt: '2026-11-24T09:00:00.000Z',
      attempts: 0,
      surveyId: 'sv-x',
      roundId: 'sv-x-r1',
    });
    const member = (personId: string) => ({ roundId: 'sv-x-r1', personId, domain: 'a', answered: false });
    await harness.deps.surveys.writeAudience('sv-x-r1', ['a0', 'a1', 'a2'].map(member), ['a0', 'a1', 'a2'].map(mail));
    await harness.deps.surveys.writeAudience('sv-x-r1', ['a0', 'a1'].map(member), ['a0', 'a1'].map(mail));
    expect((await harness.deps.surveys.members('sv-x-r1')).map((entry) => entry.personId).sort()).toEqual(['a0', 'a1']);
    expect((await harness.deps.mail.due(NOW, 10)).map((entry) => entry.personId).sort()).toEqual(['a0', 'a1']);
  });

  it('opens a recurring pulse’s next round as one opens, and drops it when the survey is closed', async () => {
    const surveyId = await createOpenSurvey({
      schedule: { kind: 'recurring', cadence: 'weekly', startsOn: dayAfter(harness.clock) },
    });
    expect((await harness.deps.surveys.survey(surveyId))?.latestRound).toBe(2);
    expect((await harness.deps.surveys.round(`${surveyId}-r2`))?.status).toBe('scheduled');
    harness.clock.advance(8 * 24 * 3600_000);
    expect(await advanceRounds(harness.deps, context)).toEqual({
      opened: [`${surveyId}-r2`],
      closed: [`${surveyId}-r1`],
    });
    await closeSurvey(harness.deps, surveyId, context);
    expect(await harness.deps.surveys.round(`${surveyId}-r3`)).toBeUndefined();
    expect((await harness.deps.surveys.survey(surveyId))?.latestRound).toBe(2);
    expect(await harness.deps.surveys.dueRounds('2099-01-01T00:00:00.000Z', 10)).toEqual([]);
  });

  it('holds the release slot: a second release waits, an interrupted one is finished by the next', async () => {
    const first = await createOpenSurvey();
    for (const id of ['a0', 'a1', 'a2']) await submitResponse(harness.deps, first, id, scaleAnswers(4));
    await closeSurvey(harness.deps, first, context);
    const round = await harness.deps.surveys.round(`${first}-r1`);
    if (!round) throw new Error('round missing');
    const results = {
      surveyId: first,
      roundId: round.roundId,
      round: 1,
      releasedAt: NOW,
      threshold: 3,
      shown: [],
      withheld: [],
    };
    // Interrupted after taking the slot: results stored, signatures not applied.
    await harness.deps.surveys.beginRelease({ round, results, trend: null, events: [] }, context);
    await expect(
      harness.deps.surveys.beginRelease({ round, results, trend: null, events: [] }, context),
    ).rejects.toThrow(ReleaseBusyError);
    expect(await harness.deps.surveys.pendingRelease()).toBe(round.roundId);

    const second = await createOpenSurvey({ title: 'Second' });
    for (const id of ['a0', 'a1', 'b0']) await submitResponse(harness.deps, second, id, scaleAnswers(2));
    await closeSurvey(harness.deps, second, context);
    expect(await releaseRound(harness.deps, `${second}-r1`, context)).toBe('released');
    expect(await harness.deps.surveys.pendingRelease()).toBeNull();

    // Applying the same signatures again changes nothing.
    const before = await harness.deps.surveys.signatures();
    await harness.deps.surveys.applySignatures(`${second}-r1`, new Map([...before].map(([id]) => [id, 'other'])));
    expect(await harness.deps.surveys.signatures()).toEqual(before);
    expect(await harness.deps.surveys.signatures(`${second}-r1`)).toEqual(new Map());
  });

  it('projects the organisation: newest record wins, pods and current mentorships, check-in status', async () => {
    await harness.deps.directory.putPerson(
      { ...(await known(harness.deps.directory.person('a0'))), domain: 'old', asOf: '2020-01-01T00:00:00.000Z' },
      harness.eventContext(),
    );
    expect((await harness.deps.directory.person('a0'))?.domain).toBe('a');
    const replay = harness.eventContext();
    await harness.addPod('pod-1', 'a0', 'a', ['a1', 'a2']);
    expect(await harness.deps.directory.podMembers(['pod-1'])).toEqual(new Map([['pod-1', ['a0', 'a1', 'a2']]]));
    expect((await harness.deps.directory.activePeople(['b'])).map((person) => person.personId)).toEqual(['b0', 'b1']);
    expect(
      await harness.deps.directory.putPerson({ ...(await known(harness.deps.directory.person('b0'))) }, replay),
    ).toBe('applied');
    expect(
      await harness.deps.directory.putPerson({ ...(await known(harness.deps.directory.person('b0'))) }, replay),
    ).toBe('duplicate');

    expect((await harness.deps.directory.mentorshipsBehind('2026-11')).map((m) => m.menteeId).sort()).toEqual([
      'a1',
      'a2',
    ]);
    await recordCheckIn(
      harness.deps,
      'a0',
      { menteeId: 'a1', performanceRisk: 'low', engagement: 4, roleClarity: 4, notes: '', goalReviews: [] },
      context,
    );
    expect((await harness.deps.directory.mentorshipsBehind('2026-11')).map((m) => m.menteeId)).toEqual(['a2']);
    await expect(
      recordCheckIn(
        harness.deps,
        'a0',
        { menteeId: 'a1', performanceRisk: 'high', engagement: 1, roleClarity: 1, notes: '', goalReviews: [] },
        context,
      ),
    ).rejects.toThrow(DuplicateCheckInError);
    // A late check-in for last month leaves the status at this month.
    await recordCheckIn(
      harness.deps,
      'a0',
      {
        menteeId: 'a1',
        month: '2026-10',
        performanceRisk: 'low',
        engagement: 4,
        roleClarity: 4,
        notes: '',
        goalReviews: [],
      },
      context,
    );
    expect((await harness.deps.directory.mentorshipOf('a1'))?.lastCheckInMonth).toBe('2026-11');

    await harness.deps.directory.endMentorship(
      { mentorshipId: 'ms-pod-1-a2', podId: 'pod-1', menteeId: 'a2' },
      harness.eventContext(),
    );
    expect(await harness.deps.directory.mentorshipOf('a2')).toBeUndefined();
    expect(
      await harness.deps.directory.startMentorship(
        {
          mentorshipId: 'ms-pod-1-a2',
          podId: 'pod-1',
          mentorId: 'a0',
          menteeId: 'a2',
          domain: 'a',
          startedAt: NOW,
          lastCheckInMonth: null,
        },
        harness.eventContext(),
      ),
    ).toBe('stale');
    expect(await harness.deps.directory.podMembers(['pod-1'])).toEqual(new Map([['pod-1', ['a0', 'a1']]]));

    await harness.deps.directory.suppressEmail('B1@example.com', harness.eventContext());
    expect(await harness.deps.directory.isSuppressed('b1@EXAMPLE.com')).toBe(true);
    expect(await harness.deps.directory.isSuppressed('b0@example.com')).toBe(false);
  });

  it('queues email: due oldest first, one sender at a time (lease), retried later, a check-in reminder once', async () => {
    const mail = (personId: string, dueAt: string): QueuedMail => ({
      mailId: `check-in-reminder.2026-10.${personId}`,
      kind: 'check-in-reminder',
      personId,
      dueAt,
      attempts: 0,
      month: '2026-10',
      menteeIds: ['x'],
    });
    expect(await harness.deps.mail.queueCheckInReminder(mail('a1', '2026-11-24T09:00:00.000Z'), 'a1')).toBe(true);
    expect(await harness.deps.mail.queueCheckInReminder(mail('a1', '2026-11-24T09:00:00.000Z'), 'a1')).toBe(false);
    await harness.deps.mail.queueCheckInReminder(mail('a0', '2026-11-24T08:00:00.000Z'), 'a0');
    await harness.deps.mail.queueCheckInReminder(mail('a2', '2026-11-25T08:00:00.000Z'), 'a2');
    const due = await harness.deps.mail.due(NOW, 10);
    expect(due.map((entry) => entry.personId)).toEqual(['a0', 'a1']);
    const [first] = due as [QueuedMail];
    expect(await harness.deps.mail.claim(first, NOW, '2026-11-24T10:10:00.000Z')).toBe(true);
    expect(await harness.deps.mail.claim(first, NOW, '2026-11-24T10:10:00.000Z')).toBe(false);
    expect(await harness.deps.mail.claim(first, '2026-11-24T10:11:00.000Z', '2026-11-24T10:20:00.000Z')).toBe(true);
    await harness.deps.mail.retryLater({ ...first, attempts: 1 }, '2026-11-24T12:00:00.000Z');
    expect((await harness.deps.mail.due(NOW, 10)).map((entry) => entry.personId)).toEqual(['a1']);
    expect(await harness.deps.mail.claim(first, '2026-11-24T12:00:00.000Z', '2026-11-24T12:10:00.000Z')).toBe(true);
    await harness.deps.mail.sent(first);
    expect((await harness.deps.mail.due('2026-11-24T13:00:00.000Z', 10)).map((entry) => entry.personId)).toEqual([
      'a1',
    ]);
  });

  it('keeps goals at their versions and ratings in batches, each session rated once', async () => {
    await harness.addPod('pod-2', 'b0', 'b', ['b1', 'a3']);
    const goal = await createGoal(
      harness.deps,
      principal('b1'),
      { kind: 'skill', title: 'Terraform', targetDate: '2027-01-31', progress: 0 },
      context,
    );
    await harness.deps.mentoring.updateGoal({ ...goal, progress: 20, version: 2 }, 1);
    await expect(harness.deps.mentoring.updateGoal({ ...goal, progress: 30, version: 2 }, 1)).rejects.toThrow(
      ConcurrentGoalChangeError,
    );
    expect((await harness.deps.mentoring.goalsOf('b1')).map((stored) => stored.progress)).toEqual([20]);

    for (const [index, menteeId] of ['b1', 'a3', 'b1'].entries()) {
      await harness.deps.directory.addCompletedSession(
        { sessionId: `s${index}`, mentorId: 'b0', menteeId, mentorshipId: null, completedAt: NOW, rated: false },
        harness.eventContext(),
      );
    }
    await rateSession(harness.deps, 'b1', 's0', { rating: 5, comment: 'Very useful' });
    await expect(rateSession(harness.deps, 'b1', 's0', { rating: 5 })).rejects.toThrow(AlreadyRatedError);
    const state = await harness.deps.mentoring.ratingState('b0');
    expect(state).toMatchObject({ batch: 1, pendingCount: 1, pendingRaters: ['b1'], version: 1 });
    await expect(
      harness.deps.mentoring.recordRating(
        {
          session: await known(harness.deps.directory.session('s1')),
          rating: { ratingId: 'r-x', rating: 1 },
          state: { ...state, version: 2 },
          expectedVersion: 0,
          release: null,
          events: [],
        },
        context,
      ),
    ).rejects.toThrow(ConcurrentRatingError);
    await rateSession(harness.deps, 'a3', 's1', { rating: 3 });
    expect((await ratingsFor(harness.deps, principal('b0', 'mentor'), 'b0')).batches).toEqual([]);
    expect(await harness.deps.mentoring.pendingRatings('b0', 1)).toHaveLength(2);
  });

  it('queues a missed check-in reminder once per mentor and month', async () => {
    await harness.addPod('pod-3', 'a3', 'a', ['a1']);
    harness.clock.set('2026-12-02T06:00:00.000Z');
    expect((await queueCheckInReminders(harness.deps)).queued).toEqual(['a3']);
    expect((await queueCheckInReminders(harness.deps)).queued).toEqual([]);
  });
});

describe('what the DynamoDB table holds', () => {
  let table: TestTable;
  let harness: ReturnType<typeof harnessOn<PulseRepositories>>;
  beforeEach(async () => {
    table = await createTestTable();
    const clock = fixedClock(NOW);
    const options = {
      db: table.documentClient,
      tableName: table.tableName,
      service: 'pulse',
      clock,
      newId: sequentialIds('evt'),
    };
    harness = harnessOn(
      {
        directory: createDynamoDirectoryRepository(options),
        surveys: createDynamoSurveyRepository(options),
        mail: createDynamoMailRepository(options),
        mentoring: createDynamoMentoringRepository(options),
      },
      { threshold: 3, clock },
    );
    for (let index = 0; index < 12; index++) await harness.addPerson(`p${index}`, 'a');
  }, 30_000);
  afterEach(async () => {
    await table.drop();
  });

  const openSurvey = async () => {
    const { survey } = await createSurvey(
      harness.deps,
      {
        title: 'Pulse',
        topic: 'policy',
        questions: [
          { type: 'scale', text: 'The new leave policy is fair.' },
          { type: 'text', text: 'Why?' },
        ],
        audience: { kind: 'everyone' },
        schedule: { kind: 'once', opensOn: dayAfter(harness.clock), closesOn: dayAfter(harness.clock, 2) },
      },
      coach.personId,
      context,
    );
    await advanceRounds(harness.deps, context);
    return survey.surveyId;
  };

  it('stores an answer under a random key with no person and no time, unrelated to the record of who answered', async () => {
    const surveyId = await openSurvey();
    await submitResponse(harness.deps, surveyId, 'p7', scaleAnswers(2, 'Unclear for part-timers'));
    const items = await scan(table);
    const response = items.find((item) => String(item.pk).startsWith('RESPONSES#'));
    expect(Object.keys(response ?? {}).sort()).toEqual(['answers', 'domain', 'pk', 'responseId', 'roundId', 'sk']);
    expect(response?.sk).toBe(response?.responseId);
    const comment = items.find((item) => String(item.pk).startsWith('COMMENTS#'));
    expect(Object.keys(comment ?? {}).sort()).toEqual([
      'commentId',
      'domain',
      'gsi1pk',
      'gsi1sk',
      'pk',
      'questionId',
      'roundId',
      'sk',
      'surveyId',
      'text',
      'tokenHash',
    ]);
    const participation = items.find((item) => item.pk === `ROUND#${surveyId}-r1` && item.sk === 'MEMBER#p7');
    expect(participation).toMatchObject({ answered: true });
    // Nothing of the answer side names the person or carries a time; nothing of the participation side holds the answer.
    for (const item of [response, comment]) expect(JSON.stringify(item)).not.toMatch(/p7|\d{4}-\d{2}-\d{2}T/);
    expect(JSON.stringify(participation)).not.toMatch(/Unclear|"answers"|responseId|commentId/);
    // The only value the two sides have in common is the round and the domain: nothing that joins them.
    const answerSide = new Set(Object.values({ ...response, ...comment }).map(String));
    const common = Object.values(participation ?? {})
      .map(String)
      .filter((value) => answerSide.has(value));
    expect(common.sort()).toEqual([`${surveyId}-r1`, 'a'].sort());

    const outbox = items.filter(
      (item) => String(item.pk).startsWith('OUTBOX#') && item.detailType === 'PulseResponse.Recorded',
    );
    const detail = JSON.parse(String(outbox[0]?.detail)) as { metadata: { correlationId: string }; data: unknown };
    expect(detail.data).toEqual({ surveyId, roundId: `${surveyId}-r1` });
    expect(detail.metadata.correlationId).toMatch(/^pulse-response-/);
  });

  it('takes concurrent answers: each person once, every answer counted', async () => {
    const surveyId = await openSurvey();
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, index) => submitResponse(harness.deps, surveyId, `p${index}`, scaleAnswers(4))),
      submitResponse(harness.deps, surveyId, 'p0', scaleAnswers(1)),
      submitResponse(harness.deps, surveyId, 'p0', scaleAnswers(1)),
    ]);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected') as PromiseRejectedResult[];
    expect(failures).toHaveLength(2);
    for (const failure of failures) expect(failure.reason).toBeInstanceOf(AlreadyAnsweredError);
    expect(await harness.deps.surveys.responseCount(`${surveyId}-r1`)).toBe(10);
    expect(await harness.deps.surveys.responses(`${surveyId}-r1`)).toHaveLength(10);
  });
});
