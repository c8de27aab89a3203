import { describe, expect, it } from 'vitest';
import { inMemoryEscalations } from '../../../test/builders/escalations';
import { type CallerClaims, employee, lifeCoach } from '../../../test/builders/http-event';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { escalationRoutes } from '../routes/escalations';
import { createEscalationApiHandler } from './escalation-api-handler';

/** Every answer is held against its route's contract; the last test checks each documented status was seen. */
const coverage = contractCoverage(escalationRoutes);

const department = (departmentId: string): CallerClaims => ({
  personId: `client-${departmentId}`,
  groups: ['department'],
  departmentId,
});
const coach: CallerClaims = { ...lifeCoach, personId: 'coach-1' };

const setup = async () => {
  const ctx = await inMemoryEscalations();
  const { call } = handlerCaller(createEscalationApiHandler(ctx.deps), coverage);
  const raise = (body: object, caller: CallerClaims = employee('e1')) =>
    call({ routeKey: 'POST /escalations', body, caller });
  const on = (escalationId: string) => ({
    get: (caller: CallerClaims) =>
      call({ routeKey: 'GET /escalations/{escalationId}', pathParameters: { escalationId }, caller }),
    act: (action: 'acknowledge' | 'status' | 'comments' | 'reopen' | 'withdraw', caller: CallerClaims, body?: object) =>
      call({
        routeKey: `POST /escalations/{escalationId}/${action}`,
        pathParameters: { escalationId },
        caller,
        ...(body ? { body } : {}),
      }),
  });
  return { ...ctx, call, raise, on };
};

const vpn = {
  category: 'tools',
  severity: 'medium',
  summary: 'VPN drops every hour',
  details: 'Since the update.',
  tags: ['vpn'],
};
const locations = (answer: { json: { errors?: { location: string }[] } }) =>
  (answer.json.errors ?? []).map((error) => error.location).sort();

describe('POST /escalations', () => {
  it('raises and routes at once, answering 201 with the reporter’s view; the pod comes from the directory', async () => {
    const { raise } = await setup();
    const raised = await raise({ ...vpn, podId: 'p3' });
    expect(raised.statusCode).toBe(400);
    expect(locations(raised)).toEqual(['body.podId']);
    const answer = await raise(vpn);
    expect(answer.statusCode).toBe(201);
    expect(answer.json).toMatchObject({
      view: 'reporter',
      departmentId: 'it',
      podId: 'p1',
      status: 'open',
      comments: [],
    });
  });

  it('refuses unknown categories, bad tags and missing fields, naming each', async () => {
    const { raise } = await setup();
    const answer = await raise({ category: 'weather', severity: 'urgent', summary: '', tags: ['Not A Tag!'] });
    expect(answer.statusCode).toBe(400);
    expect(locations(answer)).toEqual([
      'body.category',
      'body.details',
      'body.severity',
      'body.summary',
      'body.tags.0',
    ]);
  });
});

describe('one escalation through the API', () => {
  it('is worked by its department, answered by its reporter, resolved, reopened and resolved again', async () => {
    const { raise, on } = await setup();
    const id = (await raise(vpn)).json.escalationId as string;
    const escalation = on(id);

    const refused = await escalation.act('status', department('it'), { status: 'in-progress', comment: 'On it' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json.detail).toBe(
      'The escalation is open: it cannot move to in-progress. Allowed from open: acknowledge, withdraw.',
    );

    expect((await escalation.act('acknowledge', department('it'))).json.status).toBe('acknowledged');
    const asked = await escalation.act('status', department('it'), {
      status: 'waiting-on-reporter',
      comment: 'Which version?',
    });
    expect(asked.json).toMatchObject({ status: 'waiting-on-reporter', slaState: 'paused', view: 'department' });

    const answered = await escalation.act('comments', employee('e1'), { body: '5.2.1' });
    expect(answered.statusCode).toBe(201);
    expect(answered.json.comment).toMatchObject({ authorRole: 'reporter', body: '5.2.1' });
    expect(answered.json.escalation.status).toBe('in-progress');

    expect(
      (await escalation.act('status', department('it'), { status: 'resolved', comment: 'Rolled back' })).json.status,
    ).toBe('resolved');
    const reopened = await escalation.act('reopen', employee('e1'), { comment: 'Back again' });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json.sla.resolution.cycle).toBe(2);
    expect(reopened.json.sla.history.map((cycle: { timer: string }) => cycle.timer)).toEqual([
      'first-response',
      'resolution',
    ]);

    const read = await escalation.get(employee('e1'));
    expect(read.json.comments.map((comment: { body: string }) => comment.body)).toEqual([
      'Which version?',
      '5.2.1',
      'Rolled back',
      'Back again',
    ]);
  });

  it('answers a department acting on another department’s escalation, or anyone else, exactly as a missing one', async () => {
    const { raise, on } = await setup();
    const id = (await raise(vpn)).json.escalationId as string;
    for (const caller of [department('hr'), employee('e2')]) {
      const answer = await on(id).get(caller);
      expect(answer.statusCode).toBe(404);
      expect(answer.body).not.toContain('VPN');
    }
    expect((await on('no-such').get(coach)).statusCode).toBe(404);
    expect((await on(id).act('acknowledge', department('hr'))).statusCode).toBe(404);
    expect((await on('no-such').act('status', department('it'), { status: 'resolved', comment: 'x' })).statusCode).toBe(
      404,
    );
    expect((await on('no-such').act('comments', employee('e1'), { body: 'x' })).statusCode).toBe(404);
    expect((await on('no-such').act('reopen', employee('e1'), {})).statusCode).toBe(404);
    expect((await on('no-such').act('withdraw', employee('e1'), {})).statusCode).toBe(404);
  });

  it('answers 403 to those who see it but may not do this, 409 to moves its status does not allow', async () => {
    const { raise, on } = await setup();
    const id = (await raise(vpn)).json.escalationId as string;
    const escalation = on(id);
    expect((await escalation.act('acknowledge', coach)).statusCode).toBe(403);
    expect((await escalation.act('status', coach, { status: 'resolved', comment: 'x' })).statusCode).toBe(403);
    expect((await escalation.act('reopen', coach, {})).statusCode).toBe(403);
    expect((await escalation.act('withdraw', coach, {})).statusCode).toBe(403);
    expect((await escalation.act('reopen', employee('e1'), {})).statusCode).toBe(409);
    expect((await escalation.act('withdraw', employee('e1'), { comment: 'Solved it' })).json.status).toBe('withdrawn');
    const late = await escalation.act('withdraw', employee('e1'), {});
    expect(late.statusCode).toBe(409);
    expect(late.json.detail).toBe(
      'The escalation is withdrawn: it cannot be withdrawn. Nothing moves it from withdrawn.',
    );
    expect((await escalation.act('comments', employee('e1'), { body: 'hello?' })).statusCode).toBe(409);
    expect((await escalation.act('acknowledge', department('it'))).statusCode).toBe(409);
  });

  it('shows the department a confidential escalation without its reporter or pod, the life coach everything', async () => {
    const { raise, on } = await setup();
    const id = (await raise({ ...vpn, confidential: true })).json.escalationId as string;
    await on(id).act('comments', employee('e1'), { body: 'It is my manager’s laptop policy' });
    const asDepartment = await on(id).get(department('it'));
    expect(asDepartment.json).toMatchObject({ view: 'department', reporterId: null, podId: null });
    expect(asDepartment.body).not.toMatch(/"e1"|"p1"/);
    expect((await on(id).get(coach)).json).toMatchObject({ view: 'life-coach', reporterId: 'e1', podId: 'p1' });
  });
});

describe('listings', () => {
  it('give the department its queue, the reporter their own, the life coach all by status and SLA state', async () => {
    const { raise, call } = await setup();
    await raise(vpn);
    await raise({ ...vpn, category: 'career-certification' }, employee('e3'));
    const queue = await call({
      routeKey: 'GET /departments/{departmentId}/escalations',
      pathParameters: { departmentId: 'it' },
      caller: department('it'),
    });
    expect(queue.json.items.map((item: { departmentId: string }) => item.departmentId)).toEqual(['it']);
    const otherQueue = await call({
      routeKey: 'GET /departments/{departmentId}/escalations',
      pathParameters: { departmentId: 'hr' },
      caller: department('it'),
    });
    expect(otherQueue.statusCode).toBe(403);
    const mine = await call({ routeKey: 'GET /me/escalations', caller: employee('e3') });
    expect(
      mine.json.items.map((item: { view: string; departmentId: string }) => [item.view, item.departmentId]),
    ).toEqual([['reporter', 'hr']]);
    const all = await call({
      routeKey: 'GET /escalations',
      query: { status: 'open', slaState: 'on-track', limit: '1' },
      caller: coach,
    });
    expect(all.json.items).toHaveLength(1);
    expect(all.json.nextCursor).toBeDefined();
    const forged = await call({ routeKey: 'GET /escalations', query: { cursor: 'bm9wZQ' }, caller: coach });
    expect(locations(forged)).toEqual(['query.cursor']);
    expect((await call({ routeKey: 'GET /escalations', query: { slaState: 'late' }, caller: coach })).statusCode).toBe(
      400,
    );
  });
});

describe('the escalation-api routes', () => {
  it('serve exactly the routes the declaration gives the function', async () => {
    const { deps } = await inMemoryEscalations();
    expect(createEscalationApiHandler(deps).served).toEqual(escalationRoutes);
  });

  it('answered, across this file, every status their contracts document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});
