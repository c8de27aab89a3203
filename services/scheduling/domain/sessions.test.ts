/** Sessions against DynamoDB Local: the decisions, the calendar locks, the notices and the invites they send. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCalendar } from '../../../test/support/calendar';
import { outboxEvents, type SchedulingTestContext, schedulingTestContext } from '../test-support/context';
import { SessionClashError, SessionNotFoundError, SessionStateError, UnprocessableRequestError } from './errors';
import { cancelSession, changeSession, recordOutcome, scheduleSession } from './sessions';
import { sweepDueNotices } from './sweep';
import { localDateTime } from './working-time';

const at = (iso: string) => Date.parse(iso);
const mentor = { personId: 'm1', isLifeCoach: false };
const write = { correlationId: 'test' };

describe('sessions', () => {
  let ctx: SchedulingTestContext;
  const sweep = () => sweepDueNotices(ctx.deps, { correlationId: 'sweep' });
  const invitesSince = async (from: number) =>
    Promise.all(
      ctx.mailer.sent.slice(from).map(async (email) => {
        const mail = await email.parsed();
        const calendar = mail.attachments.find((attachment) => attachment.filename === 'invite.ics');
        return { to: email.to, mail, calendar: calendar ? readCalendar(calendar.content.toString('utf8')) : undefined };
      }),
    );

  beforeAll(async () => {
    // Monday 1 March 2027, 08:00 in Berlin.
    ctx = await schedulingTestContext({ now: '2027-03-01T07:00:00Z' });
    await ctx.person({ personId: 'm1', name: 'Mia Mentor', timezone: 'Europe/Berlin', roles: ['employee', 'mentor'] });
    await ctx.person({ personId: 'e1', name: 'Eli Mentee', timezone: 'America/New_York' });
    await ctx.person({
      personId: 'e2',
      name: 'Eve Mentee',
      timezone: 'Europe/Lisbon',
      workingHours: { start: '07:00', end: '15:00' },
    });
    await ctx.person({
      personId: 'e3',
      name: 'Ezra Nights',
      timezone: 'Asia/Tokyo',
      workingHours: { start: '22:00', end: '06:00' },
    });
    await ctx.mentorship('m1', 'e1');
    await ctx.mentorship('m1', 'e2');
    await ctx.mentorship('m1', 'e3');
  });
  afterAll(() => ctx.drop());

  it('schedules a 1:1 inside both people’s hours and sends each an invite that reads right in their own zone', async () => {
    const before = ctx.mailer.sent.length;
    const session = await scheduleSession(
      ctx.deps,
      mentor,
      {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e1',
        startsAt: at('2027-03-02T15:00:00Z'),
        durationMinutes: 30,
        agenda: 'Goals for Q2',
      },
      write,
    );
    expect(session).toMatchObject({
      status: 'scheduled',
      sequence: 0,
      hostId: 'm1',
      participantIds: ['m1', 'e1'],
      mentorshipId: 'ms-m1-e1',
    });
    expect(session.videoLink).toBe(`https://meet.jit.si/mentoring-${session.sessionId}`);
    expect(await sweep()).toMatchObject({ sent: 2, failed: 0 });
    const invites = await invitesSince(before);
    expect(invites.map((invite) => invite.to).sort()).toEqual(['e1@example.com', 'm1@example.com']);
    for (const invite of invites) {
      const event = invite.calendar?.events[0];
      expect(invite.calendar?.method).toBe('REQUEST');
      expect(event).toMatchObject({
        uid: `${session.sessionId}@example.com`,
        sequence: 0,
        location: session.videoLink,
        url: session.videoLink,
      });
      expect(event?.start.toISOString()).toBe('2027-03-02T15:00:00.000Z');
      expect(event?.attendees.map((attendee) => attendee.email).sort()).toEqual(['e1@example.com', 'm1@example.com']);
      expect(event?.organizer.email).toBe('mentoring@example.com');
    }
    const forMentee = invites.find((invite) => invite.to === 'e1@example.com');
    expect(localDateTime(forMentee?.calendar?.events[0]?.start.getTime() ?? 0, 'America/New_York')).toBe(
      '2027-03-02T10:00',
    );
    expect(forMentee?.mail.subject).toBe(
      'Invitation: 1:1 with Mia Mentor on Tuesday 2 March 2027, 10:00 (America/New_York)',
    );
    expect(forMentee?.mail.text).toContain('Goals for Q2');
    const forMentor = invites.find((invite) => invite.to === 'm1@example.com');
    expect(forMentor?.mail.subject).toBe(
      'Invitation: 1:1 with Eli Mentee on Tuesday 2 March 2027, 16:00 (Europe/Berlin)',
    );
    const events = await outboxEvents(ctx);
    expect(
      events.filter((event) => event.detailType === 'Session.Scheduled').map((event) => event.detail.data.session),
    ).toContainEqual(
      expect.objectContaining({
        sessionId: session.sessionId,
        kind: 'one-on-one',
        mentorshipId: 'ms-m1-e1',
        podId: 'pod-m1',
      }),
    );
    // A second sweep finds nothing to send.
    expect(await sweep()).toMatchObject({ due: 0, sent: 0 });
  });

  it('refuses a slot in the past or outside someone’s hours (422 naming them) and a clash (409 naming the session)', async () => {
    const attempt = (startsAt: string, menteeId = 'e2') =>
      scheduleSession(
        ctx.deps,
        mentor,
        { kind: 'one-on-one', mentorId: 'm1', menteeId, startsAt: at(startsAt), durationMinutes: 30 },
        write,
      );
    const past = await attempt('2027-03-01T06:00:00Z').catch((error) => error);
    expect(past).toBeInstanceOf(UnprocessableRequestError);
    expect(past.errors).toContainEqual({ location: 'body.startsAt', message: 'is in the past' });
    // 08:00 Berlin is before Mia's hours; it is 07:00 in Lisbon, where Eve starts at 07:00.
    const early = await attempt('2027-03-03T07:00:00Z').catch((error) => error);
    expect(early.errors.map((error: { message: string }) => error.message)).toEqual([
      'is outside the working hours of Mia Mentor (m1): 09:00-17:00 Monday to Friday, Europe/Berlin',
    ]);
    const bothOut = await attempt('2027-03-06T10:00:00Z').catch((error) => error); // Saturday
    expect(bothOut.errors).toHaveLength(2);
    const clash = await attempt('2027-03-02T15:15:00Z', 'e1').catch((error) => error);
    expect(clash).toBeInstanceOf(SessionClashError);
    expect(clash.message).toMatch(
      /clashes with session id-\d+ of m1 \(2027-03-02T15:00:00.000Z to 2027-03-02T15:30:00.000Z\)/,
    );
    expect(clash.clashes.map((found: { personId: string }) => found.personId)).toEqual(['m1', 'e1']);
    // A mentee of someone else may not be booked by this mentor.
    await ctx.person({ personId: 'x1', timezone: 'Europe/Berlin' });
    const stranger = await attempt('2027-03-03T10:00:00Z', 'x1').catch((error) => error);
    expect(stranger.errors).toEqual([{ location: 'body.menteeId', message: 'has no active mentorship with m1' }]);
  });

  it('works a night shift across midnight, in Tokyo', async () => {
    // 23:00 Tokyo on Tuesday = 14:00Z; Mia is at work then (15:00 Berlin).
    const session = await scheduleSession(
      ctx.deps,
      { personId: 'e3', isLifeCoach: false },
      { kind: 'one-on-one', mentorId: 'm1', menteeId: 'e3', startsAt: at('2027-03-02T14:00:00Z'), durationMinutes: 30 },
      write,
    );
    expect(session.participantIds).toEqual(['m1', 'e3']);
    await sweep();
  });

  it('lets only one of two bookings that race for the same person win', async () => {
    const book = (menteeId: string) =>
      scheduleSession(
        ctx.deps,
        mentor,
        { kind: 'one-on-one', mentorId: 'm1', menteeId, startsAt: at('2027-03-04T14:30:00Z'), durationMinutes: 30 },
        write,
      );
    const results = await Promise.allSettled([book('e1'), book('e2')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const [refused] = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(SessionClashError);
    await sweep();
  });

  it('reschedules with a new sequence and updated invites, then cancels with CANCEL invites', async () => {
    const session = await scheduleSession(
      ctx.deps,
      mentor,
      { kind: 'one-on-one', mentorId: 'm1', menteeId: 'e2', startsAt: at('2027-03-05T09:00:00Z'), durationMinutes: 30 },
      write,
    );
    await sweep();
    const before = ctx.mailer.sent.length;
    const moved = await changeSession(
      ctx.deps,
      { personId: 'e2', isLifeCoach: false },
      session.sessionId,
      { startsAt: at('2027-03-05T10:00:00Z'), agenda: 'Career plan' },
      write,
    );
    expect(moved).toMatchObject({
      sequence: 1,
      startsAt: '2027-03-05T10:00:00.000Z',
      endsAt: '2027-03-05T10:30:00.000Z',
      agenda: 'Career plan',
    });
    await sweep();
    const updated = await invitesSince(before);
    expect(updated).toHaveLength(2);
    for (const invite of updated) {
      expect(invite.calendar).toMatchObject({ method: 'REQUEST' });
      expect(invite.calendar?.events[0]).toMatchObject({ uid: `${session.sessionId}@example.com`, sequence: 1 });
      expect(invite.calendar?.events[0]?.start.toISOString()).toBe('2027-03-05T10:00:00.000Z');
      expect(invite.mail.subject).toMatch(/^Updated invitation: 1:1 with/);
    }
    // The old slot is free again.
    const other = await scheduleSession(
      ctx.deps,
      mentor,
      { kind: 'one-on-one', mentorId: 'm1', menteeId: 'e2', startsAt: at('2027-03-05T09:00:00Z'), durationMinutes: 30 },
      write,
    );
    expect(other.status).toBe('scheduled');

    const cancelledAt = ctx.mailer.sent.length;
    await sweep();
    const cancelled = await cancelSession(ctx.deps, mentor, session.sessionId, write);
    expect(cancelled).toMatchObject({ status: 'cancelled', sequence: 2 });
    await sweep();
    const cancels = (await invitesSince(cancelledAt)).filter((invite) => invite.calendar?.method === 'CANCEL');
    expect(cancels).toHaveLength(2);
    for (const invite of cancels) {
      expect(invite.calendar?.events[0]).toMatchObject({
        uid: `${session.sessionId}@example.com`,
        sequence: 2,
        status: 'CANCELLED',
      });
      expect(invite.mail.subject).toMatch(/^Cancelled: 1:1 with/);
    }
    await expect(cancelSession(ctx.deps, mentor, session.sessionId, write)).rejects.toBeInstanceOf(SessionStateError);
    await expect(
      changeSession(ctx.deps, { personId: 'e3', isLifeCoach: false }, session.sessionId, { agenda: 'x' }, write),
    ).rejects.toBeInstanceOf(SessionNotFoundError);
    const kinds = (await outboxEvents(ctx)).map((event) => event.detailType);
    expect(kinds).toContain('Session.Rescheduled');
    expect(kinds).toContain('Session.Cancelled');
  });

  it('records a 1:1 that happened once it started, which resets the cadence', async () => {
    const session = await scheduleSession(
      ctx.deps,
      mentor,
      { kind: 'one-on-one', mentorId: 'm1', menteeId: 'e2', startsAt: at('2027-03-08T10:00:00Z'), durationMinutes: 30 },
      write,
    );
    await expect(
      recordOutcome(ctx.deps, mentor, session.sessionId, { happened: true, via: 'api' }, write),
    ).rejects.toThrow(/not started yet/);
    ctx.clock.set('2027-03-08T11:00:00Z');
    const done = await recordOutcome(
      ctx.deps,
      { personId: 'e2', isLifeCoach: false },
      session.sessionId,
      { happened: true, via: 'api' },
      write,
    );
    expect(done).toMatchObject({ status: 'completed', outcome: { by: 'e2', via: 'api' } });
    const mentorship = await ctx.deps.store.getMentorship('ms-m1-e2');
    expect(mentorship?.lastCompletedAt).toBe('2027-03-08T10:00:00.000Z');
    expect(Object.keys(mentorship?.upcoming ?? {})).not.toContain(session.sessionId);
    const notice = await ctx.deps.store.getNotice({
      subject: { type: 'mentorship', id: 'ms-m1-e2' },
      kind: 'one-on-one-due',
      recipientId: 'e2',
    });
    // Due a month after the completed 1:1, reminded 7 days before, at 08:00 in Lisbon (summer time by then).
    expect(notice).toMatchObject({
      basis: 'due:2027-04-08T10:00:00.000Z',
      dueAt: '2027-04-01T07:00:00.000Z',
      state: 'pending',
    });
    await expect(
      recordOutcome(ctx.deps, mentor, session.sessionId, { happened: false, via: 'api' }, write),
    ).rejects.toThrow(/already recorded as completed/);
    const completed = (await outboxEvents(ctx)).filter((event) => event.detailType === 'Session.Completed');
    expect(completed.map((event) => (event.detail.data.session as { sessionId: string }).sessionId)).toContain(
      session.sessionId,
    );
  });
});
