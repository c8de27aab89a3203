import { beforeEach, describe, expect, it } from 'vitest';
import { admin, type CallerClaims, employee, lifeCoach } from '../../../test/builders/http-event';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { ConcurrentGoalChangeError } from '../domain/errors';
import { mentoringRoutes } from '../routes/mentoring';
import { createHarness } from '../test-support/harness';
import { createMentoringApiHandler } from './mentoring-api-handler';

const coverage = contractCoverage(mentoringRoutes);
const mentor = (personId: string): CallerClaims => ({ personId, groups: ['employee', 'mentor'] });

const setup = async (options: { failGoalUpdates?: boolean } = {}) => {
  const harness = createHarness({ threshold: 3 });
  for (const id of ['m1', 'm2', 'e1', 'e2', 'e3']) await harness.addPerson(id, 'a');
  await harness.addPod('pod-1', 'm1', 'a', ['e1', 'e2', 'e3']);
  const deps = options.failGoalUpdates
    ? {
        ...harness.deps,
        mentoring: {
          ...harness.deps.mentoring,
          updateGoal: async (goal: { goalId: string }) => {
            throw new ConcurrentGoalChangeError(goal.goalId);
          },
        },
      }
    : harness.deps;
  const { call } = handlerCaller(createMentoringApiHandler(deps), coverage);
  return { harness, call };
};

const checkIn = (overrides: object = {}) => ({
  menteeId: 'e1',
  performanceRisk: 'high',
  engagement: 2,
  roleClarity: 3,
  notes: 'Struggling with the new codebase',
  ...overrides,
});

describe('check-ins', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup();
  });

  it('are recorded by the current mentor (201, then 409 for the same month; 403 for another mentor)', async () => {
    const recorded = await ctx.call({ routeKey: 'POST /checkins', body: checkIn(), caller: mentor('m1') });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json).toMatchObject({ menteeId: 'e1', month: '2026-11', performanceRisk: 'high' });
    expect(ctx.harness.store.published.map((published) => published.event.contract.detailType)).toEqual([
      'Mentee.AtRisk',
    ]);
    expect((await ctx.call({ routeKey: 'POST /checkins', body: checkIn(), caller: mentor('m1') })).statusCode).toBe(
      409,
    );
    expect((await ctx.call({ routeKey: 'POST /checkins', body: checkIn(), caller: mentor('m2') })).statusCode).toBe(
      403,
    );
    const bad = await ctx.call({ routeKey: 'POST /checkins', body: checkIn({ engagement: 6 }), caller: mentor('m1') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors).toContainEqual(expect.objectContaining({ location: 'body.engagement' }));
  });

  it('are read by their author and the life coach; not by other mentors, admins or the mentee', async () => {
    await ctx.call({ routeKey: 'POST /checkins', body: checkIn(), caller: mentor('m1') });
    const list = (caller: CallerClaims) => ctx.call({ routeKey: 'GET /checkins', query: { menteeId: 'e1' }, caller });
    expect((await list(mentor('m1'))).json.items[0].notes).toBe('Struggling with the new codebase');
    expect((await list(lifeCoach)).json.items).toHaveLength(1);
    expect((await list(mentor('m2'))).json.items).toEqual([]);
    expect((await list(admin)).statusCode).toBe(403);
    expect((await list(employee('e1'))).statusCode).toBe(403);
  });
});

describe('goals', () => {
  it('are created (201; 403 for someone else’s mentee), listed (200; 403), changed (200; 403, 404, 409)', async () => {
    const ctx = await setup();
    const goal = { kind: 'certification', title: 'CKA', targetDate: '2027-02-28' };
    const created = await ctx.call({ routeKey: 'POST /goals', body: goal, caller: employee('e1') });
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({ menteeId: 'e1', progress: 0, status: 'active', version: 1 });
    const forbidden = await ctx.call({
      routeKey: 'POST /goals',
      body: { ...goal, menteeId: 'e1' },
      caller: mentor('m2'),
    });
    expect(forbidden.statusCode).toBe(403);

    expect((await ctx.call({ routeKey: 'GET /goals', caller: employee('e1') })).json.items).toHaveLength(1);
    expect(
      (await ctx.call({ routeKey: 'GET /goals', query: { menteeId: 'e1' }, caller: mentor('m1') })).statusCode,
    ).toBe(200);
    expect(
      (await ctx.call({ routeKey: 'GET /goals', query: { menteeId: 'e1' }, caller: employee('e2') })).statusCode,
    ).toBe(403);

    const patch = (caller: CallerClaims, goalId = created.json.goalId as string, body: object = { progress: 50 }) =>
      ctx.call({ routeKey: 'PATCH /goals/{goalId}', pathParameters: { goalId }, body, caller });
    const changed = await patch(mentor('m1'));
    expect(changed.statusCode).toBe(200);
    expect(changed.json).toMatchObject({ progress: 50, version: 2 });
    expect((await patch(lifeCoach)).statusCode).toBe(403);
    expect((await patch(employee('e2'))).statusCode).toBe(404);
    expect((await patch(employee('e1'), 'gl-missing')).statusCode).toBe(404);
    expect((await patch(employee('e1'), created.json.goalId, {})).statusCode).toBe(400);

    const racing = await setup({ failGoalUpdates: true });
    const mine = await racing.call({ routeKey: 'POST /goals', body: goal, caller: employee('e1') });
    const lost = await racing.call({
      routeKey: 'PATCH /goals/{goalId}',
      pathParameters: { goalId: mine.json.goalId },
      body: { status: 'achieved' },
      caller: employee('e1'),
    });
    expect(lost.statusCode).toBe(409);
  });
});

describe('1:1 ratings', () => {
  it('are given once by the session’s mentee (201, 409; 404 for anyone else) and shown to the mentor only in batches', async () => {
    const ctx = await setup();
    for (const [index, menteeId] of ['e1', 'e2', 'e3'].entries()) {
      await ctx.harness.store.directory.addCompletedSession(
        {
          sessionId: `s${index}`,
          mentorId: 'm1',
          menteeId,
          mentorshipId: null,
          completedAt: '2026-11-20T10:00:00Z',
          rated: false,
        },
        ctx.harness.eventContext(),
      );
    }
    const rate = (sessionId: string, caller: CallerClaims, rating = 4) =>
      ctx.call({
        routeKey: 'POST /sessions/{sessionId}/rating',
        pathParameters: { sessionId },
        body: { rating },
        caller,
      });
    expect((await rate('s0', employee('e2'))).statusCode).toBe(404);
    expect((await rate('s0', employee('e1'))).statusCode).toBe(201);
    expect((await rate('s0', employee('e1'))).statusCode).toBe(409);
    const ratings = (caller: CallerClaims, query?: Record<string, string>) =>
      ctx.call({ routeKey: 'GET /ratings', ...(query ? { query } : {}), caller });
    expect((await ratings(mentor('m1'))).json).toMatchObject({ batches: [], overall: null, threshold: 3 });
    await rate('s1', employee('e2'), 2);
    await rate('s2', employee('e3'), 3);
    expect((await ratings(mentor('m1'))).json.batches).toEqual([expect.objectContaining({ ratings: 3, mean: 3 })]);
    expect((await ratings(lifeCoach, { mentorId: 'm1' })).statusCode).toBe(200);
    expect((await ratings(mentor('m2'), { mentorId: 'm1' })).statusCode).toBe(403);
  });
});

describe('contract coverage', () => {
  it('answered every status the mentoring routes document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});
