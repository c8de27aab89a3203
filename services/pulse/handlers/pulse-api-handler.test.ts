import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../shared/observability';
import { admin, type CallerClaims, employee, lifeCoach } from '../../../test/builders/http-event';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { advanceRounds } from '../domain/surveys/lifecycle';
import { releaseRound } from '../domain/surveys/release';
import { surveyRoutes } from '../routes/surveys';
import { createHarness, dayAfter, type Harness } from '../test-support/harness';
import { createPulseApiHandler, REPLY_TOKEN_HEADER } from './pulse-api-handler';

/** Every answer is held against its route's contract; the last test checks each documented status was seen. */
const coverage = contractCoverage(surveyRoutes);

const setup = async () => {
  const harness = createHarness({ threshold: 3 });
  for (const id of ['a0', 'a1', 'a2', 'a3']) await harness.addPerson(id, 'a');
  const { call } = handlerCaller(createPulseApiHandler(harness.deps), coverage);
  return { harness, call };
};

const surveyBody = (harness: Harness, overrides: Record<string, unknown> = {}) => ({
  title: 'Tooling check',
  topic: 'tool',
  questions: [
    { type: 'scale', text: 'The build is fast enough.' },
    { type: 'text', text: 'Anything else?' },
  ],
  audience: { kind: 'everyone' },
  schedule: { kind: 'once', opensOn: dayAfter(harness.clock), closesOn: dayAfter(harness.clock, 3) },
  ...overrides,
});

const answers = (value: number, text = '') => ({
  answers: [
    { questionId: 'q1', value },
    { questionId: 'q2', text },
  ],
});

describe('the surveys API', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup();
  });

  const create = async (caller: CallerClaims = lifeCoach, body: object = surveyBody(ctx.harness)) =>
    ctx.call({ routeKey: 'POST /pulse/surveys', body, caller });
  const openOne = async () => {
    const created = await create();
    await advanceRounds(ctx.harness.deps, { correlationId: 'sweep' });
    return created.json.surveyId as string;
  };
  const respond = (surveyId: string, caller: CallerClaims, body: object = answers(4)) =>
    ctx.call({ routeKey: 'POST /pulse/surveys/{surveyId}/responses', pathParameters: { surveyId }, body, caller });

  it('creates a survey (201) from a question set, and refuses a too-small audience (422) or a bad schedule (400)', async () => {
    const created = await create(admin, surveyBody(ctx.harness, { questionSet: 'enps', questions: [] }));
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({
      status: 'active',
      questions: [{ questionId: 'q1', type: 'enps' }, { questionId: 'q2' }],
    });
    expect(created.json.rounds).toEqual([
      expect.objectContaining({ round: 1, status: 'scheduled', audienceSize: null }),
    ]);

    const small = await create(lifeCoach, surveyBody(ctx.harness, { audience: { kind: 'domains', domains: ['zz'] } }));
    expect(small.statusCode).toBe(422);
    expect(small.json.errors).toEqual([expect.objectContaining({ location: 'body.audience' })]);
    const past = await create(
      lifeCoach,
      surveyBody(ctx.harness, { schedule: { kind: 'once', opensOn: '2020-01-01', closesOn: '2020-01-02' } }),
    );
    expect(past.statusCode).toBe(400);
    expect(past.json.errors).toEqual([{ location: 'body.schedule.closesOn', message: 'is in the past' }]);
    const none = await create(lifeCoach, surveyBody(ctx.harness, { questions: [] }));
    expect(none.statusCode).toBe(400);
    expect(none.json.errors).toContainEqual(expect.objectContaining({ location: 'body.questions' }));
  });

  it('takes one anonymous response per person (201, then 409), refuses outsiders (403) and unknown surveys (404)', async () => {
    const surveyId = await openOne();
    const debug = vi.spyOn(logger, 'debug');
    const info = vi.spyOn(logger, 'info');
    const warn = vi.spyOn(logger, 'warn');
    const first = await respond(surveyId, employee('a0'), answers(2, 'The CI queue'));
    expect(first.statusCode).toBe(201);
    expect(first.json).toEqual({ recorded: true, replyToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    // A submission logs nothing at all: no answer, no identity.
    expect([...debug.mock.calls, ...info.mock.calls, ...warn.mock.calls]).toEqual([]);

    expect((await respond(surveyId, employee('a0'))).statusCode).toBe(409);
    expect((await respond(surveyId, employee('newcomer'))).statusCode).toBe(403);
    expect((await respond('sv-missing', employee('a0'))).statusCode).toBe(404);
    const wrong = await respond(surveyId, employee('a1'), { answers: [{ questionId: 'q1', value: 9 }] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json.errors).toEqual([
      { location: 'body.answers.0.value', message: 'must be a whole number from 1 to 5, alone' },
    ]);
  });

  it('reads a survey (200), its list, and hides it from people never asked (404)', async () => {
    const surveyId = await openOne();
    const read = await ctx.call({
      routeKey: 'GET /pulse/surveys/{surveyId}',
      pathParameters: { surveyId },
      caller: employee('a1'),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json).toMatchObject({ answered: false, rounds: [{ status: 'open', responsesAtLeast: null }] });
    const hidden = await ctx.call({
      routeKey: 'GET /pulse/surveys/{surveyId}',
      pathParameters: { surveyId },
      caller: employee('zz'),
    });
    expect(hidden.statusCode).toBe(404);
    const listed = await ctx.call({ routeKey: 'GET /pulse/surveys', query: { limit: '5' }, caller: lifeCoach });
    expect(listed.statusCode).toBe(200);
    expect(listed.json.items).toEqual([expect.objectContaining({ surveyId })]);
    const mine = await ctx.call({ routeKey: 'GET /pulse/surveys', caller: employee('a2') });
    expect(mine.json.items).toEqual([expect.objectContaining({ surveyId, answered: false })]);
  });

  it('closes (200, then 409; 404 unknown), shows results by the rules, and exports them as CSV', async () => {
    const surveyId = await openOne();
    for (const id of ['a0', 'a1', 'a2'])
      await respond(surveyId, employee(id), answers(id === 'a0' ? 2 : 5, id === 'a0' ? 'Slow CI' : ''));
    const close = () =>
      ctx.call({ routeKey: 'POST /pulse/surveys/{surveyId}/close', pathParameters: { surveyId }, caller: lifeCoach });
    expect((await close()).statusCode).toBe(200);
    expect((await close()).statusCode).toBe(409);
    expect(
      (
        await ctx.call({
          routeKey: 'POST /pulse/surveys/{surveyId}/close',
          pathParameters: { surveyId: 'sv-x' },
          caller: admin,
        })
      ).statusCode,
    ).toBe(404);
    await releaseRound(ctx.harness.deps, `${surveyId}-r1`, { correlationId: 'release' });

    const results = await ctx.call({
      routeKey: 'GET /pulse/surveys/{surveyId}/results',
      pathParameters: { surveyId },
      caller: lifeCoach,
    });
    expect(results.statusCode).toBe(200);
    expect(results.json).toMatchObject({ state: 'released', threshold: 3 });
    expect(results.json.segments[0]).toMatchObject({ segment: { kind: 'everyone' }, shown: true, respondents: 3 });
    expect(results.json.segments[0].questions[0]).toMatchObject({ mean: 4, answered: 3 });
    const outsider = await ctx.call({
      routeKey: 'GET /pulse/surveys/{surveyId}/results',
      pathParameters: { surveyId },
      caller: employee('zz'),
    });
    expect(outsider.statusCode).toBe(404);

    const csv = await ctx.call({
      routeKey: 'GET /pulse/surveys/{surveyId}/results/export',
      pathParameters: { surveyId },
      query: { round: '1' },
      caller: employee('a3'),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain('everyone,q1,scale,The build is fast enough.,3,4,');
    expect(csv.body).toContain('Slow CI');
    const missingRound = await ctx.call({
      routeKey: 'GET /pulse/surveys/{surveyId}/results/export',
      pathParameters: { surveyId },
      query: { round: '7' },
      caller: lifeCoach,
    });
    expect(missingRound.statusCode).toBe(404);

    const trend = await ctx.call({ routeKey: 'GET /pulse/trends', query: { topic: 'tool' }, caller: lifeCoach });
    expect(trend.statusCode).toBe(200);
    expect(trend.json.points).toEqual([
      expect.objectContaining({ surveyId, measure: 'scale-mean', score: 4, respondents: 3 }),
    ]);
  });

  it('runs an anonymous conversation: reply (201; 404 for a comment not shown), read and answer with the token only', async () => {
    const surveyId = await openOne();
    const { json } = await respond(surveyId, employee('a0'), answers(1, 'Nobody reviews my PRs'));
    const token = json.replyToken as string;
    for (const id of ['a1', 'a2']) await respond(surveyId, employee(id));
    await ctx.call({
      routeKey: 'POST /pulse/surveys/{surveyId}/close',
      pathParameters: { surveyId },
      caller: lifeCoach,
    });
    const [comment] = await ctx.harness.deps.surveys.comments(`${surveyId}-r1`);
    const commentId = comment?.commentId as string;
    const reply = () =>
      ctx.call({
        routeKey: 'POST /pulse/comments/{commentId}/replies',
        pathParameters: { commentId },
        body: { text: 'Who should be reviewing them?' },
        caller: lifeCoach,
      });
    expect((await reply()).statusCode).toBe(404);
    const early = await ctx.call({
      routeKey: 'POST /pulse/replies',
      body: { commentId, text: 'Hello?' },
      headers: { [REPLY_TOKEN_HEADER]: token },
    });
    expect(early.statusCode).toBe(409);
    await releaseRound(ctx.harness.deps, `${surveyId}-r1`, { correlationId: 'release' });
    expect((await reply()).statusCode).toBe(201);

    const read = await ctx.call({ routeKey: 'GET /pulse/replies', headers: { [REPLY_TOKEN_HEADER]: token } });
    expect(read.statusCode).toBe(200);
    expect(read.json.items[0]).toMatchObject({ comment: 'Nobody reviews my PRs', messages: [{ from: 'life-coach' }] });
    const noToken = await ctx.call({ routeKey: 'GET /pulse/replies' });
    expect(noToken.statusCode).toBe(400);
    expect(noToken.json.errors).toEqual([{ location: 'header.x-reply-token', message: expect.any(String) }]);
    const unknown = await ctx.call({
      routeKey: 'GET /pulse/replies',
      headers: { [REPLY_TOKEN_HEADER]: 'C'.repeat(43) },
    });
    expect(unknown.statusCode).toBe(404);
    const answer = await ctx.call({
      routeKey: 'POST /pulse/replies',
      body: { commentId, text: 'The team lead, but they are swamped.' },
      headers: { [REPLY_TOKEN_HEADER]: token },
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json).toMatchObject({ from: 'respondent', sentOn: '2026-11-24' });
    const elsewhere = await ctx.call({
      routeKey: 'POST /pulse/replies',
      body: { commentId: 'sv-x-r1.nope', text: 'Hi' },
      headers: { [REPLY_TOKEN_HEADER]: token },
    });
    expect(elsewhere.statusCode).toBe(404);
    const forged = await ctx.call({
      routeKey: 'POST /pulse/replies',
      body: { commentId, text: 'Hi' },
      headers: { [REPLY_TOKEN_HEADER]: 'B'.repeat(43) },
    });
    expect(forged.statusCode).toBe(404);
    const malformed = await ctx.call({
      routeKey: 'POST /pulse/replies',
      body: { commentId, text: 'Hi' },
      headers: { [REPLY_TOKEN_HEADER]: 'not a token' },
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('lists the question sets', async () => {
    const sets = await ctx.call({ routeKey: 'GET /pulse/question-sets', caller: admin });
    expect(sets.statusCode).toBe(200);
    expect(sets.json.items.map((set: { questionSetId: string }) => set.questionSetId)).toEqual([
      'enps',
      'change-readiness',
      'tool-satisfaction',
      'role-clarity',
    ]);
  });
});

afterEach(() => vi.restoreAllMocks());

describe('contract coverage', () => {
  it('answered every status the surveys routes document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});
