/**
 * The reminder sweep against DynamoDB Local: each notice once, whether the sweep runs twice, runs
 * twice at the same time or dies half-way; and a month on a fake clock, swept every hour, sends
 * exactly the reminders the cadence rules call for, each in its reader's working morning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallClockAt } from '../../../shared/time-zones';
import { outboxEvents, type SchedulingTestContext, schedulingTestContext } from '../test-support/context';
import { answerAttendance } from './email-links';
import { setOptedOut } from './preferences';
import { scheduleSession } from './sessions';
import { CLAIM_MINUTES, sweepDueNotices } from './sweep';
import { HOUR, MINUTE } from './working-time';

const at = (iso: string) => Date.parse(iso);
const write = { correlationId: 'test' };

describe('the sweep, run twice, concurrently, or interrupted', () => {
  let ctx: SchedulingTestContext;
  const sweep = () => sweepDueNotices(ctx.deps, { correlationId: 'sweep', concurrency: 3 });
  const sentTo = () => ctx.mailer.sent.map((email) => email.to).sort();

  beforeAll(async () => {
    ctx = await schedulingTestContext({ now: '2027-03-01T07:00:00Z' });
    for (const id of ['m1', 'e1', 'e2', 'e3', 'e4']) await ctx.person({ personId: id, timezone: 'Europe/Berlin' });
  });
  afterAll(() => ctx.drop());

  const bookFour = async (day: string) => {
    for (const [index, menteeId] of ['e1', 'e2', 'e3', 'e4'].entries()) {
      await ctx.mentorship('m1', menteeId);
      await scheduleSession(
        ctx.deps,
        { personId: 'm1', isLifeCoach: false },
        {
          kind: 'one-on-one',
          mentorId: 'm1',
          menteeId,
          startsAt: at(`${day}T${String(9 + index).padStart(2, '0')}:00:00Z`),
          durationMinutes: 30,
        },
        write,
      );
    }
  };

  it('sends each due notice once when two sweeps run at the same time, and nothing when run again', async () => {
    ctx.mailer.sent.length = 0;
    await bookFour('2027-03-10');
    const [first, second] = await Promise.all([sweep(), sweep()]);
    expect((first?.sent ?? 0) + (second?.sent ?? 0)).toBe(8);
    expect(sentTo()).toEqual([
      'e1@example.com',
      'e2@example.com',
      'e3@example.com',
      'e4@example.com',
      ...Array(4).fill('m1@example.com'),
    ]);
    expect(await sweep()).toMatchObject({ due: 0, sent: 0 });
  });

  it('finishes the rest after a sweep that failed half-way, without sending anything twice', async () => {
    ctx.mailer.sent.length = 0;
    ctx.clock.set('2027-03-02T07:00:00Z');
    await bookFour('2027-03-17');
    // SES throttles after a few sends: those notices are given back for a later attempt.
    const sendOnce = ctx.mailer.send.bind(ctx.mailer);
    let calls = 0;
    ctx.mailer.send = async (email) => {
      if (++calls > 3) throw Object.assign(new Error('Maximum sending rate exceeded'), { name: 'Throttling' });
      return sendOnce(email);
    };
    const interrupted = await sweep();
    expect(interrupted).toMatchObject({ sent: 3, retry: 5 });
    ctx.mailer.send = sendOnce;
    expect(await sweep()).toMatchObject({ due: 0 });
    ctx.clock.advance(5 * MINUTE);
    expect(await sweep()).toMatchObject({ sent: 5, retry: 0 });
    expect(
      new Set(ctx.mailer.sent.map((email) => `${email.to}|${email.raw.toString().match(/^Subject: (.*)$/m)?.[1]}`))
        .size,
    ).toBe(8);
  });

  it('takes back a notice from a sweep that died holding it, once the claim expires', async () => {
    ctx.mailer.sent.length = 0;
    ctx.clock.set('2027-03-03T07:00:00Z');
    await ctx.person({ personId: 'e5', timezone: 'Europe/Berlin' });
    await ctx.mentorship('m1', 'e5');
    const session = await scheduleSession(
      ctx.deps,
      { personId: 'm1', isLifeCoach: false },
      { kind: 'one-on-one', mentorId: 'm1', menteeId: 'e5', startsAt: at('2027-03-24T13:00:00Z'), durationMinutes: 30 },
      write,
    );
    const ref = {
      subject: { type: 'session' as const, id: session.sessionId },
      kind: 'session-invite' as const,
      recipientId: 'e5',
    };
    // A sweep claims e5's invite and dies before sending it.
    expect(
      await ctx.deps.store.claimNotice(ref, ctx.clock().toISOString(), {
        token: 'dead',
        until: new Date(ctx.clock().getTime() + CLAIM_MINUTES * MINUTE).toISOString(),
      }),
    ).toBeDefined();
    expect(await sweep()).toMatchObject({ sent: 1, 'not-claimed': 1 });
    expect(sentTo()).toEqual(['m1@example.com']);
    ctx.clock.advance(CLAIM_MINUTES * MINUTE + 1000);
    expect(await sweep()).toMatchObject({ sent: 1 });
    expect(sentTo()).toEqual(['e5@example.com', 'm1@example.com']);
    expect(await ctx.deps.store.getNotice(ref)).toMatchObject({
      state: 'sent',
      result: { messageId: expect.any(String) },
    });
  });
});

describe('a month of sweeps on a fake clock', () => {
  let ctx: SchedulingTestContext;
  // Shorter inactivity limits than the defaults (60/90 days), as a deployment may set them, so a month shows every kind.
  const policy = { inactivityWarningDays: 25, overdueDays: 28 };

  beforeAll(async () => {
    ctx = await schedulingTestContext({ now: '2027-03-01T06:00:00Z' });
    ctx.deps.policy = { ...ctx.deps.policy, cadence: { ...ctx.deps.policy.cadence, ...policy } };
    await ctx.person({ personId: 'm1', name: 'Mia', timezone: 'Europe/Berlin' });
    await ctx.person({ personId: 'e1', name: 'Eli', timezone: 'America/New_York' });
    await ctx.person({
      personId: 'm2',
      name: 'Kenji',
      timezone: 'Asia/Tokyo',
      workingHours: { start: '08:00', end: '16:00' },
    });
    await ctx.person({ personId: 'e2', name: 'Priya', timezone: 'Asia/Kolkata' });
    await ctx.person({ personId: 'e3', name: 'Liam', timezone: 'Australia/Sydney' });
    await ctx.mentorship('m1', 'e1');
    await ctx.mentorship('m2', 'e2');
    await ctx.mentorship('m2', 'e3');
    await setOptedOut(ctx.deps, 'e3', ['one-on-one-due'], write);
  }, 60_000);
  afterAll(() => ctx.drop());

  it('sends exactly the expected reminders, once each, in each reader’s working morning', async () => {
    const sent: { at: number; to: string; subject: string; text: string }[] = [];
    const end = at('2027-04-01T00:00:00Z');
    let sessionBooked = false;
    let answered = false;
    while (ctx.clock().getTime() < end) {
      const now = ctx.clock().getTime();
      if (!sessionBooked && now >= at('2027-03-04T12:00:00Z')) {
        // Eli books the 1:1 for Tuesday 9 March, 16:00 in Berlin, 10:00 in New York.
        await scheduleSession(
          ctx.deps,
          { personId: 'e1', isLifeCoach: false },
          {
            kind: 'one-on-one',
            mentorId: 'm1',
            menteeId: 'e1',
            startsAt: at('2027-03-09T15:00:00Z'),
            durationMinutes: 30,
          },
          write,
        );
        sessionBooked = true;
      }
      const before = ctx.mailer.sent.length;
      const firing = await sweepDueNotices(ctx.deps, { correlationId: 'sweep' });
      // A firing that found work runs again (a duplicate run of the schedule): it must send nothing more.
      if (firing.due > 0)
        expect(await sweepDueNotices(ctx.deps, { correlationId: 'sweep-again' })).toMatchObject({ sent: 0 });
      for (const email of ctx.mailer.sent.slice(before)) {
        const mail = await email.parsed();
        sent.push({ at: now, to: email.to, subject: mail.subject ?? '', text: mail.text ?? '' });
        // Mia answers "yes" from the link in her question, as soon as it arrives.
        if (!answered && email.to === 'm1@example.com' && mail.subject?.startsWith('Did your')) {
          const token = /attendance\/([^?\s]+)\?answer=yes/.exec(mail.text ?? '')?.[1] ?? '';
          await answerAttendance(ctx.deps, token, true, write);
          answered = true;
        }
      }
      ctx.clock.advance(HOUR);
    }

    const summary = sent.map(
      (email) =>
        `${email.to.split('@')[0]} ${email.subject.replace(/ (on|by|is on) .*$/, '').replace(/ for \d+ days/, '')}`,
    );
    expect(summary.sort()).toEqual(
      [
        // Mia and Eli: invites on booking, the eve reminder, and Mia's question (Eli's is withdrawn once she answers).
        'e1 Invitation: 1:1 with Mia',
        'm1 Invitation: 1:1 with Eli',
        'e1 Reminder: your 1:1 with Mia',
        'm1 Reminder: your 1:1 with Eli',
        'm1 Did your 1:1 with Eli',
        // Kenji and Priya: nothing scheduled, so both are reminded 7 days before the due date, then warned on day 25.
        'm2 Your 1:1 with Priya is due',
        'e2 Your 1:1 with Kenji is due',
        'm2 No 1:1 with Priya',
        'e2 No 1:1 with Kenji',
        // Kenji and Liam: Liam turned due reminders off.
        'm2 Your 1:1 with Liam is due',
        'm2 No 1:1 with Liam',
        'e3 No 1:1 with Kenji',
      ].sort(),
    );
    const zoneOf: Record<string, string> = {
      'm1@example.com': 'Europe/Berlin',
      'e1@example.com': 'America/New_York',
      'm2@example.com': 'Asia/Tokyo',
      'e2@example.com': 'Asia/Kolkata',
      'e3@example.com': 'Australia/Sydney',
    };
    for (const email of sent.filter((candidate) => !candidate.subject.startsWith('Invitation'))) {
      const wall = wallClockAt(email.at, zoneOf[email.to] ?? 'UTC');
      const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
      // Hourly sweeps: within the hour from 08:00 local (08:30 in Kolkata's half-hour zone), Monday to Friday.
      expect(wall.hour * 60 + wall.minute, `${email.to} ${email.subject}`).toBeGreaterThanOrEqual(8 * 60);
      expect(wall.hour * 60 + wall.minute, `${email.to} ${email.subject}`).toBeLessThan(9 * 60);
      expect(weekday >= 1 && weekday <= 5, `${email.to} ${email.subject}`).toBe(true);
    }
    const due = sent.filter((email) => email.subject.includes('is due'));
    expect(due.every((email) => email.at >= at('2027-03-07T00:00:00Z') && email.at < at('2027-03-09T00:00:00Z'))).toBe(
      true,
    );
    expect(sent.find((email) => email.subject.startsWith('Your 1:1 with Priya'))?.text).toMatch(
      /Times that suit you both/,
    );

    const overdue = (await outboxEvents(ctx)).filter((event) => event.detailType === 'OneOnOne.Overdue');
    expect(
      overdue.map((event) => event.detail.data).sort((a, b) => String(a.menteeId).localeCompare(String(b.menteeId))),
    ).toEqual([
      {
        mentorshipId: 'ms-m2-e2',
        mentorId: 'm2',
        menteeId: 'e2',
        podId: 'pod-m2',
        lastCompletedAt: null,
        daysWithoutOneOnOne: 28,
      },
      {
        mentorshipId: 'ms-m2-e3',
        mentorId: 'm2',
        menteeId: 'e3',
        podId: 'pod-m2',
        lastCompletedAt: null,
        daysWithoutOneOnOne: 28,
      },
    ]);
    const mia = await ctx.deps.store.getMentorship('ms-m1-e1');
    expect(mia?.lastCompletedAt).toBe('2027-03-09T15:00:00.000Z');
  }, 240_000);
});
