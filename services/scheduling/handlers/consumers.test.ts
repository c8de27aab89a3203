/**
 * The event consumers and the sweep's entry, on DynamoDB Local: matching's and pulse's events as
 * the bus delivers them (in any order, more than once), SES feedback, a schedule firing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PersonOffboardedV1,
  PersonRegisteredV1,
  PersonUpdatedV1,
  PodFormedV1,
} from '../../../shared/contracts/matching-events';
import { MenteeAtRiskV1 } from '../../../shared/contracts/pulse-events';
import { UnacceptableEventError } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { busEvent } from '../../../test/builders/bus-event';
import { readCalendar } from '../../../test/support/calendar';
import { scheduleSession } from '../domain/sessions';
import {
  outboxEvents,
  personSnapshot,
  type SchedulingTestContext,
  schedulingTestContext,
} from '../test-support/context';
import { createDirectoryConsumer } from './directory-consumer-handler';
import { createReminderSweep } from './reminder-sweep-handler';
import { createSesFeedbackConsumer } from './ses-feedback-consumer-handler';

/** A bus event with a chosen id and time (the builder's defaults, otherwise). */
const at = (event: BusEvent, id: string, occurredAt: string): BusEvent => {
  const detail = event.detail as { metadata: Record<string, unknown> };
  return { ...event, detail: { ...detail, metadata: { ...detail.metadata, id, occurredAt } } };
};

describe('the directory consumer', () => {
  let ctx: SchedulingTestContext;
  let consume: (event: BusEvent) => Promise<void>;

  beforeAll(async () => {
    ctx = await schedulingTestContext({ now: '2027-03-01T07:00:00Z' });
    consume = createDirectoryConsumer(ctx.deps);
  });
  afterAll(() => ctx.drop());

  it('ends with the same projection of a person whatever the order and repetition of deliveries', async () => {
    let run = 0;
    const drafts = fc.array(
      fc.record({
        kind: fc.constantFrom('registered', 'updated', 'offboarded'),
        minute: fc.integer({ min: 0, max: 59 }),
        timezone: fc.constantFrom('Europe/Berlin', 'Asia/Tokyo', 'America/Lima'),
        email: fc.constantFrom('a@example.com', 'b@example.com'),
      }),
      { minLength: 1, maxLength: 6 },
    );
    // The deliveries: every event, the first two again, in any order.
    const withDeliveries = drafts.chain((list) => {
      const indexes = list.map((_, index) => index);
      const repeated = [...indexes, ...indexes.slice(0, 2)];
      return fc.tuple(fc.constant(list), fc.shuffledSubarray(repeated, { minLength: repeated.length }));
    });
    await fc.assert(
      fc.asyncProperty(withDeliveries, async ([list, deliveries]) => {
        run++;
        const eventsFor = (personId: string) =>
          list.map((draft, index) => {
            const occurredAt = new Date(Date.UTC(2027, 0, 1, 9, draft.minute)).toISOString();
            const person = personSnapshot({ personId, timezone: draft.timezone, email: draft.email });
            const event =
              draft.kind === 'offboarded'
                ? busEvent(PersonOffboardedV1, { personId, reason: 'offboarded' })
                : draft.kind === 'registered'
                  ? busEvent(PersonRegisteredV1, { person })
                  : busEvent(PersonUpdatedV1, { person, changedFields: ['timezone'] });
            return at(event, `evt-${index}-${personId}`, occurredAt);
          });
        const [inOrder, shuffled] = [`pa-${run}`, `pb-${run}`];
        for (const event of eventsFor(inOrder as string)) await consume(event);
        const shuffledEvents = eventsFor(shuffled as string);
        for (const index of deliveries) await consume(shuffledEvents[index] as BusEvent);
        const [a, b] = await Promise.all(
          [inOrder, shuffled].map((personId) => ctx.deps.store.getPerson(personId as string)),
        );
        // Identical but for the person's id (in the record and in event ids) and the write count.
        const normalise = (record: typeof a) =>
          JSON.parse(JSON.stringify({ ...record, version: 0 }).replaceAll(/p[ab]-\d+/g, 'p'));
        expect(normalise(b)).toEqual(normalise(a));
        if (b?.profile) expect(await ctx.deps.store.personIdsWithEmail(b.profile.email)).toContain(shuffled);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('introduces a new pod to each member, once, with time zones and slots for each first 1:1', async () => {
    for (const [personId, name, timezone] of [
      ['m1', 'Mia', 'Europe/Berlin'],
      ['e1', 'Eli', 'America/New_York'],
      ['e2', 'Priya', 'Asia/Kolkata'],
    ] as const) {
      await consume(busEvent(PersonRegisteredV1, { person: personSnapshot({ personId, name, timezone }) }));
    }
    const formed = busEvent(PodFormedV1, {
      podId: 'pod-1',
      mentorId: 'm1',
      domain: 'backend',
      menteeIds: ['e1', 'e2'],
      formedAt: '2027-03-01T06:00:00Z',
      runId: 'run-1',
    });
    ctx.mailer.sent.length = 0;
    await consume(formed);
    await consume(formed);
    expect(ctx.mailer.sent.map((email) => email.to).sort()).toEqual([
      'e1@example.com',
      'e2@example.com',
      'm1@example.com',
    ]);
    const toMentor = await ctx.mailer.sent.find((email) => email.to === 'm1@example.com')?.parsed();
    expect(toMentor?.subject).toBe('Your mentoring pod is formed');
    expect(toMentor?.text).toContain('Eli, mentee (America/New_York)');
    expect(toMentor?.text).toContain('Priya, mentee (Asia/Kolkata)');
    expect(toMentor?.text).toContain('First 1:1 with Eli, times that suit you both (your time, Europe/Berlin):');
    expect(toMentor?.text).toContain('- Monday 1 March 2027, 15:00 (Europe/Berlin)');
    // The mentor is never offered the same time for two mentees.
    const offered = (toMentor?.text ?? '').split('\n').filter((line) => line.startsWith('- ') && line.includes('2027'));
    expect(offered).toHaveLength(6);
    expect(new Set(offered).size).toBe(6);
    const toMentee = await ctx.mailer.sent.find((email) => email.to === 'e2@example.com')?.parsed();
    expect(toMentee?.subject).toBe("Welcome to Mia's mentoring pod");
    expect(toMentee?.text).toContain('Your first 1:1 with Mia, times that suit you both (your time, Asia/Kolkata):');
    expect(toMentee?.text).not.toContain('First 1:1 with Eli');
    expect(toMentee?.text).not.toMatch(/@example\.com/);
  });

  it('starts a cadence with a mentorship, and cancels the pair’s future sessions when it ends', async () => {
    const started = busEvent(MentorshipStartedV1, {
      mentorshipId: 'ms-1',
      podId: 'pod-1',
      mentorId: 'm1',
      menteeId: 'e1',
      domain: 'backend',
      startedAt: '2027-03-01T06:00:00.000Z',
      lockedUntil: '2027-06-01T06:00:00.000Z',
      cause: 'matching-run',
      runId: 'run-1',
    });
    await consume(started);
    await consume(started);
    expect(await ctx.deps.store.getMentorship('ms-1')).toMatchObject({
      status: 'active',
      lastCompletedAt: null,
      version: 1,
    });
    expect(
      await ctx.deps.store.getNotice({
        subject: { type: 'mentorship', id: 'ms-1' },
        kind: 'one-on-one-due',
        recipientId: 'e1',
      }),
    ).toMatchObject({
      basis: 'due:2027-03-15T06:00:00.000Z',
      // 7 days before: Monday 8 March, 08:00 in New York.
      dueAt: '2027-03-08T13:00:00.000Z',
    });
    const session = await scheduleSession(
      ctx.deps,
      { personId: 'm1', isLifeCoach: false },
      {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e1',
        startsAt: Date.parse('2027-03-09T15:00:00Z'),
        durationMinutes: 30,
      },
      { correlationId: 'test' },
    );
    ctx.mailer.sent.length = 0;
    const ended = busEvent(MentorshipEndedV1, {
      mentorshipId: 'ms-1',
      podId: 'pod-1',
      mentorId: 'm1',
      menteeId: 'e1',
      startedAt: '2027-03-01T06:00:00.000Z',
      endedAt: '2027-03-02T06:00:00.000Z',
      reason: 'reassigned',
    });
    await consume(ended);
    await consume(ended);
    expect(await ctx.deps.store.getSession(session.sessionId)).toMatchObject({
      status: 'cancelled',
      cancelled: { reason: 'mentorship-ended', by: null },
    });
    const cancels = await Promise.all(
      ctx.mailer.sent.map(async (email) =>
        readCalendar((await email.parsed()).attachments[0]?.content.toString() ?? ''),
      ),
    );
    expect(cancels.map((calendar) => [calendar.method, calendar.events[0]?.sequence])).toEqual([
      ['CANCEL', 1],
      ['CANCEL', 1],
    ]);
    // Whichever sweep comes next finds invites only, not the ended pair's reminders.
    expect(
      await ctx.deps.store.getNotice({
        subject: { type: 'mentorship', id: 'ms-1' },
        kind: 'one-on-one-due',
        recipientId: 'e1',
      }),
    ).toBeUndefined();
    const cancelled = (await outboxEvents(ctx)).filter((event) => event.detailType === 'Session.Cancelled');
    expect(cancelled.map((event) => event.detail.data.reason)).toEqual(['mentorship-ended']);
  });

  it('cancels the sessions of someone who leaves, and flags people pulse reports at risk', async () => {
    await consume(
      busEvent(PersonRegisteredV1, {
        person: personSnapshot({ personId: 'coach', roles: ['employee', 'life-coach'] }),
      }),
    );
    const session = await scheduleSession(
      ctx.deps,
      { personId: 'coach', isLifeCoach: true },
      { kind: 'skip-level', personId: 'e2', startsAt: Date.parse('2027-03-04T09:00:00Z'), durationMinutes: 30 },
      { correlationId: 'test' },
    );
    await consume(busEvent(PersonOffboardedV1, { personId: 'e2', reason: 'left-company' }));
    expect(await ctx.deps.store.getSession(session.sessionId)).toMatchObject({
      status: 'cancelled',
      cancelled: { reason: 'person-left' },
    });
    await consume(
      busEvent(MenteeAtRiskV1, {
        menteeId: 'e1',
        mentorId: 'm1',
        podId: 'pod-1',
        checkInId: 'c-1',
        risk: 'high',
        previousRisk: 'low',
        trigger: 'sharp-drop',
        droppedMeasures: ['engagement'],
      }),
    );
    expect((await ctx.deps.store.getPerson('e1'))?.atRisk).toMatchObject({ risk: 'high', trigger: 'sharp-drop' });
  });

  it('refuses events it has no contract for, so the bus dead-letters them', async () => {
    const event = busEvent(PersonRegisteredV1, { person: personSnapshot({ personId: 'x' }) });
    await expect(
      consume({ ...event, detail: { ...(event.detail as object), data: { person: { personId: 'x' } } } }),
    ).rejects.toBeInstanceOf(UnacceptableEventError);
  });
});

describe('SES feedback and the sweep’s schedule', () => {
  let ctx: SchedulingTestContext;

  beforeAll(async () => {
    ctx = await schedulingTestContext({ now: '2027-03-01T07:00:00Z' });
    await ctx.person({ personId: 'm1', email: 'Mia@Example.com' });
    await ctx.person({ personId: 'e1' });
    await ctx.mentorship('m1', 'e1');
  });
  afterAll(() => ctx.drop());

  const feedback = (detailType: string, detail: object, id: string): BusEvent => ({
    version: '0',
    id,
    'detail-type': detailType,
    source: 'aws.ses',
    account: '000000000000',
    time: '2027-03-01T07:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  });
  const bounce = (bounceType: string, address: string) => ({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: '2027-03-01T07:00:00Z',
      feedbackId: 'f',
    },
    mail: { messageId: 'ses-1', destination: [address], tags: { 'ses:configuration-set': ['mentoring-local'] } },
  });

  it('suppresses an address that hard-bounced or complained, once, and names its owner', async () => {
    const consume = createSesFeedbackConsumer(ctx.deps);
    await consume(feedback('Email Bounced', bounce('Transient', 'e1@example.com'), 'eb-1'));
    expect(await ctx.deps.store.getSuppression('e1@example.com')).toBeUndefined();
    await consume(feedback('Email Bounced', bounce('Permanent', 'mia@example.com'), 'eb-2'));
    await consume(feedback('Email Bounced', bounce('Permanent', 'mia@example.com'), 'eb-2'));
    await consume(
      feedback(
        'Email Complaint Received',
        {
          eventType: 'Complaint',
          complaint: {
            complainedRecipients: [{ emailAddress: 'e1@example.com' }],
            timestamp: 't',
            complaintFeedbackType: 'abuse',
          },
          mail: {},
        },
        'eb-3',
      ),
    );
    const suppressed = (await ctx.deps.store.listSuppressions({ limit: 10 })).items;
    expect(suppressed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          email: 'mia@example.com',
          personId: 'm1',
          reason: 'bounce',
          detail: 'General bounce: smtp; 550 5.1.1 user unknown',
        }),
        expect.objectContaining({
          email: 'e1@example.com',
          personId: 'e1',
          reason: 'complaint',
          detail: 'Complaint (abuse)',
        }),
      ]),
    );
    expect(suppressed).toHaveLength(2);
    const events = (await outboxEvents(ctx)).filter((event) => event.detailType === 'EmailAddress.Suppressed');
    expect(events.map((event) => event.detail.data)).toEqual(
      expect.arrayContaining([
        { email: 'mia@example.com', personId: 'm1', reason: 'bounce' },
        { email: 'e1@example.com', personId: 'e1', reason: 'complaint' },
      ]),
    );
    expect(events).toHaveLength(2);
    await expect(consume(feedback('Email Bounced', { eventType: 'Send' }, 'eb-4'))).rejects.toBeInstanceOf(
      UnacceptableEventError,
    );
  });

  it('sends nothing more to a suppressed address (its notices are skipped), from the schedule’s firing', async () => {
    const sweep = createReminderSweep(ctx.deps);
    await expect(sweep({ schedule: 'reminder-sweep' })).rejects.toThrow();
    // As of the firing's time, whatever the clock says.
    expect(await sweep({ schedule: 'reminder-sweep', scheduledTime: '2027-03-08T06:00:00Z' })).toMatchObject({
      due: 0,
    });
    const summary = await sweep({ schedule: 'reminder-sweep', scheduledTime: '2027-03-08T13:00:00Z' });
    // Both due reminders were due (Berlin's at 07:00Z, New York's at 13:00Z); both addresses are suppressed.
    expect(summary).toMatchObject({ due: 2, sent: 0, skipped: 2 });
    expect(ctx.mailer.sent).toEqual([]);
    expect(
      await ctx.deps.store.getNotice({
        subject: { type: 'mentorship', id: 'ms-m1-e1' },
        kind: 'one-on-one-due',
        recipientId: 'm1',
      }),
    ).toMatchObject({
      state: 'skipped',
      result: { reason: 'address-suppressed' },
    });
  });
});
