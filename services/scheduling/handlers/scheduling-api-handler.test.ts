/**
 * The scheduling API through its handler, on DynamoDB Local: every answer is held against its
 * route's contract, and the last test checks that every documented status was answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerClaims } from '../../../test/builders/http-event';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { applyPodFormed } from '../domain/directory';
import { programmeRoutes } from '../routes/programme';
import { sessionRoutes } from '../routes/sessions';
import { type SchedulingTestContext, schedulingTestContext } from '../test-support/context';
import { createSchedulingApiHandler } from './scheduling-api-handler';

const coverage = contractCoverage([...sessionRoutes, ...programmeRoutes]);
const mentor = (personId: string): CallerClaims => ({ personId, groups: ['employee', 'mentor'] });
const employee = (personId: string): CallerClaims => ({ personId, groups: ['employee'] });
const coach: CallerClaims = { personId: 'coach', groups: ['employee', 'life-coach'] };
const admin: CallerClaims = { personId: 'admin', groups: ['employee', 'admin'] };

describe('the scheduling API', () => {
  let ctx: SchedulingTestContext;
  let call: ReturnType<typeof handlerCaller>['call'];
  let timeLeft = 25_000;

  beforeAll(async () => {
    // Monday 1 March 2027, 08:00 in Berlin.
    ctx = await schedulingTestContext({ now: '2027-03-01T07:00:00Z' });
    call = handlerCaller(
      createSchedulingApiHandler(ctx.deps, () => timeLeft),
      coverage,
    ).call;
    await ctx.person({
      personId: 'coach',
      name: 'Cora Coach',
      timezone: 'Europe/Berlin',
      roles: ['employee', 'life-coach'],
    });
    await ctx.person({ personId: 'm1', name: 'Mia Mentor', timezone: 'Europe/Berlin', roles: ['employee', 'mentor'] });
    await ctx.person({ personId: 'e1', name: 'Eli Mentee', timezone: 'America/New_York' });
    await ctx.person({ personId: 'e2', name: 'Eve Mentee', timezone: 'Europe/Lisbon' });
    await ctx.person({ personId: 'm2', name: 'Max Mentor', timezone: 'Asia/Tokyo', roles: ['employee', 'mentor'] });
    await ctx.person({ personId: 'e3', name: 'Ezra', timezone: 'Asia/Tokyo' });
    await ctx.mentorship('m1', 'e1');
    await ctx.mentorship('m1', 'e2');
    await ctx.mentorship('m2', 'e3');
    await applyPodFormed(
      ctx.deps,
      {
        podId: 'pod-m1',
        mentorId: 'm1',
        domain: 'backend',
        menteeIds: ['e1', 'e2'],
        formedAt: '2027-03-01T06:00:00Z',
        runId: null,
      },
      ctx.event(),
    );
  });
  afterAll(() => ctx.drop());

  const book = (caller: CallerClaims, body: object) => call({ routeKey: 'POST /sessions', body, caller });
  const errorsOf = (answer: { json: { errors?: { location: string; message: string }[] } }) => answer.json.errors ?? [];

  describe('sessions', () => {
    let sessionId = '';

    it('suggests slots in both people’s hours, shown on each person’s clock', async () => {
      const answer = await call({
        routeKey: 'GET /sessions/suggestions',
        query: { mentorId: 'm1', menteeId: 'e1', durationMinutes: '45', count: '3', timeZone: 'Asia/Tokyo' },
        caller: employee('e1'),
      });
      expect(answer.statusCode).toBe(200);
      expect(answer.json.slots).toHaveLength(3);
      // Berlin 09-17 and New York 09-17 share 15:00-17:00 Berlin, 09:00-11:00 New York.
      expect(answer.json.slots[0]).toMatchObject({
        startsAt: '2027-03-01T14:00:00.000Z',
        endsAt: '2027-03-01T14:45:00.000Z',
        participants: [
          { personId: 'm1', timezone: 'Europe/Berlin', start: '2027-03-01T15:00' },
          { personId: 'e1', timezone: 'America/New_York', start: '2027-03-01T09:00' },
        ],
        local: { timezone: 'Asia/Tokyo', start: '2027-03-01T23:00' },
      });
      const stranger = await call({
        routeKey: 'GET /sessions/suggestions',
        query: { mentorId: 'm1', menteeId: 'e1' },
        caller: employee('e3'),
      });
      expect(stranger.statusCode).toBe(403);
      const unknown = await call({
        routeKey: 'GET /sessions/suggestions',
        query: { mentorId: 'm1', menteeId: 'nobody' },
        caller: mentor('m1'),
      });
      expect(unknown.statusCode).toBe(422);
      expect(errorsOf(unknown)).toEqual([
        { location: 'query.menteeId', message: 'is not an active person in the programme' },
      ]);
      const badZone = await call({
        routeKey: 'GET /sessions/suggestions',
        query: { mentorId: 'm1', menteeId: 'e1', timeZone: 'Mars/Base' },
        caller: mentor('m1'),
      });
      expect(badZone.statusCode).toBe(400);
      expect(errorsOf(badZone)).toEqual([
        { location: 'query.timeZone', message: 'is not a known IANA time zone (such as "Europe/Berlin")' },
      ]);
    });

    it('schedules a 1:1 from a local time in a named zone, and sends the invites at once', async () => {
      const answer = await book(employee('e1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e1',
        startsAt: '2027-03-02T10:00',
        timeZone: 'America/New_York',
        durationMinutes: 30,
        agenda: 'Career goals',
      });
      expect(answer.statusCode).toBe(201);
      expect(answer.json).toMatchObject({
        kind: 'one-on-one',
        status: 'scheduled',
        startsAt: '2027-03-02T15:00:00.000Z',
        local: { timezone: 'America/New_York', start: '2027-03-02T10:00' },
        participants: [
          { personId: 'm1', name: 'Mia Mentor', start: '2027-03-02T16:00' },
          { personId: 'e1', name: 'Eli Mentee', start: '2027-03-02T10:00' },
        ],
        sequence: 0,
      });
      expect(answer.body).not.toContain('@example.com');
      sessionId = answer.json.sessionId;
      const invites = ctx.mailer.sent.filter((email) => email.raw.toString().includes(sessionId));
      expect(invites.map((email) => email.to).sort()).toEqual(['e1@example.com', 'm1@example.com']);
    });

    it('answers 400 for a bad body or time zone, 403 for a pair the caller is not in, 409 for a clash, 422 for bad slots', async () => {
      const bad = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2 March',
        durationMinutes: 25,
        extra: 1,
      });
      expect(bad.statusCode).toBe(400);
      expect(
        errorsOf(bad)
          .map((error) => error.location)
          .sort(),
      ).toEqual(['body.durationMinutes', 'body.extra', 'body.startsAt']);
      const noZone = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-02T10:00',
      });
      expect(errorsOf(noZone)).toEqual([
        { location: 'body.timeZone', message: 'is required when startsAt has no offset' },
      ]);
      const zone = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-02T10:00',
        timeZone: 'Europe/Atlantis',
      });
      expect(zone.statusCode).toBe(400);
      expect(errorsOf(zone)[0]?.location).toBe('body.timeZone');
      const notMine = await book(mentor('m2'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-02T10:00:00Z',
      });
      expect(notMine.statusCode).toBe(403);
      const clash = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-02T15:15:00Z',
      });
      expect(clash.statusCode).toBe(409);
      expect(clash.json.detail).toContain(`session ${sessionId} of m1`);
      const late = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-02T18:00:00Z',
      });
      expect(late.statusCode).toBe(422);
      expect(errorsOf(late)).toEqual([
        {
          location: 'body.startsAt',
          message: 'is outside the working hours of Mia Mentor (m1): 09:00-17:00 Monday to Friday, Europe/Berlin',
        },
        {
          location: 'body.startsAt',
          message: 'is outside the working hours of Eve Mentee (e2): 09:00-17:00 Monday to Friday, Europe/Lisbon',
        },
      ]);
      const past = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-02-26T10:00:00Z',
      });
      expect(errorsOf(past)).toContainEqual({ location: 'body.startsAt', message: 'is in the past' });
    });

    it('shows a session to its participants and the life coach, and to nobody else, as if it did not exist', async () => {
      const own = await call({
        routeKey: 'GET /sessions/{sessionId}',
        pathParameters: { sessionId },
        caller: mentor('m1'),
      });
      expect(own.statusCode).toBe(200);
      expect(own.json).toMatchObject({ sessionId, agenda: 'Career goals', previousSession: null });
      expect(
        (await call({ routeKey: 'GET /sessions/{sessionId}', pathParameters: { sessionId }, caller: coach }))
          .statusCode,
      ).toBe(200);
      const other = await call({
        routeKey: 'GET /sessions/{sessionId}',
        pathParameters: { sessionId },
        caller: employee('e2'),
      });
      const missing = await call({
        routeKey: 'GET /sessions/{sessionId}',
        pathParameters: { sessionId: 'no-such' },
        caller: employee('e2'),
      });
      expect([other.statusCode, missing.statusCode]).toEqual([404, 404]);
      expect(other.body).not.toContain('Career goals');
      expect(other.json.title).toBe(missing.json.title);
    });

    it('lists the caller’s own sessions; only the life coach lists anyone’s', async () => {
      const mine = await call({ routeKey: 'GET /sessions', caller: employee('e1') });
      expect(mine.statusCode).toBe(200);
      expect(mine.json.items.map((item: { sessionId: string }) => item.sessionId)).toEqual([sessionId]);
      expect((await call({ routeKey: 'GET /sessions', caller: employee('e2') })).json.items).toEqual([]);
      expect(
        (await call({ routeKey: 'GET /sessions', query: { personId: 'e1' }, caller: employee('e2') })).statusCode,
      ).toBe(403);
      const asCoach = await call({ routeKey: 'GET /sessions', query: { personId: 'e1' }, caller: coach });
      expect(asCoach.json.items).toHaveLength(1);
      const everyone = await call({ routeKey: 'GET /sessions', query: { limit: '1' }, caller: coach });
      expect(everyone.json.items).toHaveLength(1);
      const forged = await call({ routeKey: 'GET /sessions', query: { cursor: 'bm9wZQ' }, caller: employee('e1') });
      expect(forged.statusCode).toBe(400);
      expect(errorsOf(forged)).toEqual([
        { location: 'query.cursor', message: 'The cursor is not one this API issued' },
      ]);
    });

    it('reschedules (409 on a clash, 422 outside hours), edits the agenda, and 404s for non-participants', async () => {
      const other = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-03T14:00:00Z',
      });
      expect(other.statusCode).toBe(201);
      const patch = (body: object, caller: CallerClaims = employee('e1'), id = sessionId) =>
        call({ routeKey: 'PATCH /sessions/{sessionId}', pathParameters: { sessionId: id }, body, caller });
      const clash = await patch({ startsAt: '2027-03-03T14:15:00Z' });
      expect(clash.statusCode).toBe(409);
      expect(clash.json.detail).toContain(`session ${other.json.sessionId} of m1`);
      expect((await patch({ startsAt: '2027-03-03T08:00:00Z' })).statusCode).toBe(422);
      expect((await patch({ agenda: 'x' }, employee('e2'))).statusCode).toBe(404);
      expect(errorsOf(await patch({})).map((error) => error.location)).toEqual(['body']);
      const moved = await patch({
        startsAt: '2027-03-03T15:00:00Z',
        durationMinutes: 60,
        actionItems: [{ text: 'Read the RFC', done: false }],
      });
      expect(moved.statusCode).toBe(200);
      expect(moved.json).toMatchObject({ sequence: 1, startsAt: '2027-03-03T15:00:00.000Z', durationMinutes: 60 });
      expect(moved.json.actionItems).toEqual([{ id: expect.any(String), text: 'Read the RFC', done: false }]);
      const edited = await patch({ agenda: 'Career goals, and the RFC' });
      expect(edited.json.sequence).toBe(1);
    });

    it('completes a 1:1 after it started, once; the next one shows what was left open', async () => {
      const complete = (caller: CallerClaims, id = sessionId) =>
        call({ routeKey: 'POST /sessions/{sessionId}/complete', pathParameters: { sessionId: id }, caller });
      expect((await complete(employee('e1'))).statusCode).toBe(409);
      ctx.clock.set('2027-03-03T16:30:00Z');
      expect((await complete(employee('e2'))).statusCode).toBe(404);
      const done = await complete(employee('e1'));
      expect(done.statusCode).toBe(200);
      expect(done.json).toMatchObject({ status: 'completed', outcome: { by: 'e1', via: 'api' } });
      expect((await complete(mentor('m1'))).statusCode).toBe(409);
      const next = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e1',
        startsAt: '2027-03-10T15:00:00Z',
      });
      const detail = await call({
        routeKey: 'GET /sessions/{sessionId}',
        pathParameters: { sessionId: next.json.sessionId },
        caller: employee('e1'),
      });
      expect(detail.json.previousSession).toMatchObject({
        sessionId,
        status: 'completed',
        openActionItems: [{ text: 'Read the RFC', done: false }],
      });
    });

    it('records "did not happen" through the API, and cancels with CANCEL invites', async () => {
      const session = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-04T09:00:00Z',
      });
      const attend = (caller: CallerClaims, id: string, happened: boolean) =>
        call({
          routeKey: 'POST /sessions/{sessionId}/attendance',
          pathParameters: { sessionId: id },
          body: { happened },
          caller,
        });
      expect((await attend(employee('e2'), session.json.sessionId, false)).statusCode).toBe(409);
      ctx.clock.set('2027-03-04T10:00:00Z');
      expect((await attend(employee('e1'), session.json.sessionId, false)).statusCode).toBe(404);
      const missed = await attend(employee('e2'), session.json.sessionId, false);
      expect(missed.json).toMatchObject({ status: 'missed', outcome: { by: 'e2' } });
      expect((await attend(mentor('m1'), session.json.sessionId, true)).statusCode).toBe(409);

      const later = await book(mentor('m1'), {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e2',
        startsAt: '2027-03-11T09:00:00Z',
      });
      const cancel = (caller: CallerClaims, id: string) =>
        call({ routeKey: 'POST /sessions/{sessionId}/cancel', pathParameters: { sessionId: id }, caller });
      expect((await cancel(employee('e1'), later.json.sessionId)).statusCode).toBe(404);
      const sentBefore = ctx.mailer.sent.length;
      const cancelled = await cancel(employee('e2'), later.json.sessionId);
      expect(cancelled.json).toMatchObject({
        status: 'cancelled',
        sequence: 1,
        cancelled: { by: 'e2', reason: 'cancelled-by-participant' },
      });
      const cancels = ctx.mailer.sent.slice(sentBefore);
      expect(cancels).toHaveLength(2);
      expect(cancels.every((email) => email.raw.toString().includes('method=CANCEL'))).toBe(true);
      expect((await cancel(employee('e2'), later.json.sessionId)).statusCode).toBe(409);
    });

    it('schedules a pod session with every mentee, booked by a member', async () => {
      const pod = await book(employee('e2'), {
        kind: 'pod',
        podId: 'pod-m1',
        startsAt: '2027-03-12T14:00:00Z',
        durationMinutes: 60,
      });
      expect(pod.statusCode).toBe(201);
      expect(pod.json.participants.map((participant: { personId: string }) => participant.personId)).toEqual([
        'm1',
        'e1',
        'e2',
      ]);
      expect(
        (await book(employee('e3'), { kind: 'pod', podId: 'pod-m1', startsAt: '2027-03-12T15:00:00Z' })).statusCode,
      ).toBe(403);
      expect(
        (await book(employee('e3'), { kind: 'pod', podId: 'no-pod', startsAt: '2027-03-12T15:00:00Z' })).statusCode,
      ).toBe(422);
      expect(
        (await book(employee('e3'), { kind: 'skip-level', personId: 'e1', startsAt: '2027-03-12T15:00:00Z' }))
          .statusCode,
      ).toBe(403);
    });
  });

  describe('cadences', () => {
    it('show the life coach every pair, a mentor their pod, a mentee their own', async () => {
      const all = await call({ routeKey: 'GET /cadences', caller: coach });
      expect(all.json.items.map((item: { mentorshipId: string }) => item.mentorshipId)).toEqual([
        'ms-m1-e1',
        'ms-m1-e2',
        'ms-m2-e3',
      ]);
      const e1 = all.json.items[0];
      expect(e1).toMatchObject({
        lastCompletedAt: '2027-03-03T15:00:00.000Z',
        dueAt: '2027-04-03T15:00:00.000Z',
        status: 'on-track',
      });
      const e3 = all.json.items[2];
      // Started 1 March, first 1:1 due 15 March; on 4 March nothing is scheduled but it is more than 7 days away.
      expect(e3).toMatchObject({ dueAt: '2027-03-15T07:00:00.000Z', status: 'on-track', nextSession: null });
      const page = await call({ routeKey: 'GET /cadences', query: { limit: '1', mentorId: 'm1' }, caller: coach });
      expect(page.json.items).toHaveLength(1);
      expect(page.json.nextCursor).toBeDefined();
      const ofMentor = await call({ routeKey: 'GET /cadences', caller: mentor('m1') });
      expect(ofMentor.json.items.map((item: { mentee: { personId: string } }) => item.mentee.personId)).toEqual([
        'e1',
        'e2',
      ]);
      const ofMentee = await call({ routeKey: 'GET /cadences', caller: employee('e3') });
      expect(ofMentee.json.items.map((item: { mentorshipId: string }) => item.mentorshipId)).toEqual(['ms-m2-e3']);
      expect(
        (await call({ routeKey: 'GET /cadences', query: { mentorId: 'm1' }, caller: employee('e3') })).statusCode,
      ).toBe(403);
      ctx.clock.set('2027-03-09T07:00:00Z');
      const due = await call({ routeKey: 'GET /cadences', caller: employee('e3') });
      expect(due.json.items[0].status).toBe('due');
      ctx.clock.set('2027-03-16T07:00:00Z');
      expect((await call({ routeKey: 'GET /cadences', caller: employee('e3') })).json.items[0].status).toBe('overdue');
    });
  });

  describe('skip-level plans', () => {
    it('propose, show, edit and confirm through the API', async () => {
      const proposed = await call({
        routeKey: 'POST /skip-levels/plans',
        body: { quarter: '2027-Q2', weeklyLimit: 2 },
        caller: coach,
      });
      expect(proposed.statusCode).toBe(201);
      expect(proposed.json).toMatchObject({
        quarter: '2027-Q2',
        status: 'proposed',
        weeklyLimit: 2,
        durationMinutes: 30,
      });
      expect(proposed.json.entries.map((entry: { personId: string }) => entry.personId).sort()).toEqual([
        'e1',
        'e2',
        'e3',
        'm1',
        'm2',
      ]);
      const planId = proposed.json.planId;
      expect(
        (await call({ routeKey: 'POST /skip-levels/plans', body: { quarter: '2026-Q4' }, caller: coach })).statusCode,
      ).toBe(422);
      const read = await call({
        routeKey: 'GET /skip-levels/plans/{planId}',
        pathParameters: { planId },
        caller: coach,
      });
      expect(read.json.entries).toEqual(proposed.json.entries);
      expect(
        (await call({ routeKey: 'GET /skip-levels/plans/{planId}', pathParameters: { planId: 'nope' }, caller: coach }))
          .statusCode,
      ).toBe(404);
      const [entry] = proposed.json.entries;
      const move = (startsAt: string, entryId = entry.entryId) =>
        call({
          routeKey: 'PATCH /skip-levels/plans/{planId}/entries/{entryId}',
          pathParameters: { planId, entryId },
          body: { startsAt },
          caller: coach,
        });
      expect((await move('2027-04-01T03:00:00Z')).statusCode).toBe(422);
      expect((await move(entry.startsAt, 'entry-99999')).statusCode).toBe(404);
      const moved = await move(new Date(Date.parse(entry.startsAt) + 30 * 60_000).toISOString());
      expect(moved.statusCode).toBe(200);

      timeLeft = 0;
      const partial = await call({
        routeKey: 'POST /skip-levels/plans/{planId}/confirm',
        pathParameters: { planId },
        caller: coach,
      });
      expect(partial.statusCode).toBe(202);
      expect(partial.json.status).toBe('confirming');
      expect((await move(entry.startsAt)).statusCode).toBe(409);
      timeLeft = 25_000;
      const confirmed = await call({
        routeKey: 'POST /skip-levels/plans/{planId}/confirm',
        pathParameters: { planId },
        caller: coach,
      });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json.entries.every((candidate: { state: string }) => candidate.state === 'scheduled')).toBe(
        true,
      );
      expect(
        (
          await call({
            routeKey: 'POST /skip-levels/plans/{planId}/confirm',
            pathParameters: { planId },
            caller: coach,
          })
        ).statusCode,
      ).toBe(409);
      expect(
        (
          await call({
            routeKey: 'POST /skip-levels/plans/{planId}/confirm',
            pathParameters: { planId: 'nope' },
            caller: coach,
          })
        ).statusCode,
      ).toBe(404);
    });
  });

  describe('the caller’s own settings', () => {
    it('turn kinds of email off (never calendar invites) and set the meeting link of sessions they host', async () => {
      expect((await call({ routeKey: 'GET /me/notification-preferences', caller: employee('e1') })).json).toEqual({
        optedOut: [],
      });
      const put = await call({
        routeKey: 'PUT /me/notification-preferences',
        body: { optedOut: ['session-tomorrow', 'pulse-reminders'] },
        caller: employee('e1'),
      });
      expect(put.json).toEqual({ optedOut: ['pulse-reminders', 'session-tomorrow'] });
      const invites = await call({
        routeKey: 'PUT /me/notification-preferences',
        body: { optedOut: ['session-invites'] },
        caller: employee('e1'),
      });
      expect(invites.statusCode).toBe(400);
      expect(errorsOf(invites)).toEqual([
        { location: 'body.optedOut.0', message: 'calendar invites cannot be turned off' },
      ]);
      expect((await call({ routeKey: 'GET /me/meeting-link', caller: mentor('m2') })).json).toEqual({
        meetingLink: null,
      });
      const link = await call({
        routeKey: 'PUT /me/meeting-link',
        body: { meetingLink: 'https://meet.example.com/max' },
        caller: mentor('m2'),
      });
      expect(link.json).toEqual({ meetingLink: 'https://meet.example.com/max' });
      const session = await book(employee('e3'), {
        kind: 'one-on-one',
        mentorId: 'm2',
        menteeId: 'e3',
        startsAt: '2027-03-17T01:00:00Z',
      });
      expect(session.json.videoLink).toBe('https://meet.example.com/max');
      expect(
        (
          await call({
            routeKey: 'PUT /me/meeting-link',
            body: { meetingLink: 'http://insecure.example.com' },
            caller: mentor('m2'),
          })
        ).statusCode,
      ).toBe(400);
    });

    it('shows admins the suppressed addresses', async () => {
      const answer = await call({ routeKey: 'GET /email-suppressions', caller: admin });
      expect(answer.statusCode).toBe(200);
      expect(answer.json.items).toEqual([]);
    });
  });

  it('answered every status its routes document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});
