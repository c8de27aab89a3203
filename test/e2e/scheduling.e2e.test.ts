/**
 * Scheduling end to end on the local platform: matching's events reach the scheduling service
 * over the local bus; emails go through the real SES client to the SES emulator, whose raw
 * messages are read back with mailparser and ical.js; the reminder sweep is fired through the
 * platform's scheduler and, for chosen instants, as EventBridge Scheduler would fire it; every
 * scheduling event a consumer receives is checked against its published JSON Schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_EVENT_BUS_NAME } from '../../local/environment';
import type { EventBridgeEvent } from '../../local/eventbridge/local-bus';
import { seedDemo } from '../../local/seed/demo';
import { MentorshipStartedV1 } from '../../shared/contracts/matching-events';
import { addDays, isoWeekdayOf, utcInstantOf, wallClockAt } from '../../shared/time-zones';
import { personBody } from '../builders/people';
import { readCalendar } from '../support/calendar';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { type ReceivedEmail, rawHeader, receivedEmails } from '../support/ses';
import { eventBridgeClientOf, eventually, putOnBus } from './dev-view';
import { itemsOfPages, requestRun } from './matching-runs';

const admin = { sub: 'p-002', groups: ['admin', 'employee'] };
const coach = { sub: 'p-001', groups: ['life-coach', 'employee'] };
const person = (sub: string) => ({ sub, groups: ['employee', 'mentor'] });
const coldStart = { timeout: 180_000 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MORNING = 8 * 60;
const zones = ['Europe/Berlin', 'America/New_York'];

/** Calendar facts read with the shared wall-clock helpers only (nothing of the scheduling service's). */
const dateIn = (instant: number, zone: string) => {
  const { year, month, day } = wallClockAt(instant, zone);
  return { year, month, day };
};
const weekdayIn = (instant: number, zone: string) => isoWeekdayOf(dateIn(instant, zone));
const localTime = (instant: number, zone: string) => {
  const wall = wallClockAt(instant, zone);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${wall.year}-${two(wall.month)}-${two(wall.day)}T${two(wall.hour)}:${two(wall.minute)}`;
};
/** 08:00 on the working day before the session's day, in a zone: when its eve reminder goes out. */
const eveMorning = (start: number, zone: string) => {
  let date = addDays(dateIn(start, zone), -1);
  while (isoWeekdayOf(date) > 5) date = addDays(date, -1);
  return utcInstantOf(zone, date, MORNING);
};
/** The latest of the two people's next working mornings after the end: when both have been asked. */
const questionsDue = (end: number) =>
  Math.max(
    ...zones.map((zone) => {
      let date = dateIn(end, zone);
      for (;;) {
        const morning = utcInstantOf(zone, date, MORNING);
        if (isoWeekdayOf(date) <= 5 && morning >= end) return morning;
        date = addDays(date, 1);
      }
    }),
  );

interface SlotView {
  startsAt: string;
  endsAt: string;
  participants: { personId: string; timezone: string; start: string }[];
}

describe('scheduling through the local platform', () => {
  let platform: TestPlatform;
  /** Every scheduling event, as a consumer's rule receives it. */
  const delivered: EventBridgeEvent[] = [];
  const api = (path: string, request?: Parameters<TestPlatform['api']>[1]) => platform.api(path, request);
  const emails = () => receivedEmails(platform.urls.sesRawStore);
  const emailsSince = async (count: number) => (await emails()).slice(count);
  const firing = (scheduledTime: string) =>
    platform.functions.invoke('scheduling-reminder-sweep', { schedule: 'reminder-sweep', scheduledTime });
  /** Commits a matching run (202: the runner carries it out) and reads back the pods it formed. */
  const commitRun = async (body: object) => {
    const run = await requestRun<{ status: string; links: { pods: string } }>(
      platform,
      { mode: 'commit', ...body },
      coach,
    );
    expect(run.status).toBe('committed');
    return itemsOfPages<{ mentorId: string; menteeIds: string[] }>(platform, run.links.pods, coach);
  };
  const invitesIn = (messages: ReceivedEmail[]) =>
    messages.map((email) => {
      const ics = email.parsed.attachments.find((attachment) => attachment.filename === 'invite.ics');
      return { email, calendar: ics ? readCalendar(ics.content.toString('utf8')) : undefined };
    });

  beforeAll(async () => {
    platform = await startTestPlatform();
    platform.bus.addRule({
      name: 'a-consumer-of-scheduling',
      eventBusName: LOCAL_EVENT_BUS_NAME,
      pattern: { source: ['mentoring.scheduling'] },
      target: { id: 'recorder', invoke: async (event) => void delivered.push(event) },
    });
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('introduces each pod of the demo organisation, once, after a matching commit', coldStart, async () => {
    const seeded = await seedDemo(platform.urls.api, await platform.mintToken(admin));
    expect(seeded.rejected).toBe(0);
    const pods = await commitRun({});
    const members = pods.flatMap((pod) => [pod.mentorId, ...pod.menteeIds]);
    expect(pods.length).toBe(12);
    const introductions = await eventually(platform, async () => {
      const found = (await emails()).filter((email) => /mentoring pod/.test(email.parsed.subject ?? ''));
      expect(found).toHaveLength(members.length);
      return found;
    });
    const recipients = introductions.map((email) =>
      email.parsed.to && !Array.isArray(email.parsed.to) ? email.parsed.to.value[0]?.address : '',
    );
    expect(new Set(recipients).size).toBe(members.length);
    const [pod] = pods;
    const toMentor = introductions.find(
      (email) =>
        email.parsed.subject === 'Your mentoring pod is formed' && email.parsed.text?.includes(`First 1:1 with`),
    );
    expect(toMentor?.parsed.from?.value[0]).toEqual({ name: 'Mentoring programme', address: 'mentoring@example.com' });
    expect(toMentor?.parsed.text).toMatch(/, mentor \([A-Za-z_]+\/[A-Za-z_]+\)/);
    expect(toMentor?.parsed.text).toMatch(/- \w+day \d+ \w+ \d{4}, \d\d:\d\d \(/);
    expect(toMentor?.parsed.html).toContain('<li>');
    expect(pod?.menteeIds.length).toBeGreaterThanOrEqual(3);
  });

  describe('a pair of its own', () => {
    // Their own domain, so nothing of the demo mixes in: Berlin and New York share two hours a day.
    beforeAll(async () => {
      // A domain of the programme's (admin-managed) list, added beside whatever is there.
      const known = (await (await api('/domains', { as: admin })).json()) as { domains: object[] };
      const domains = [...known.domains, { id: 'sched', name: 'Scheduling test' }];
      expect((await api('/domains', { method: 'PUT', as: admin, json: { domains } })).status).toBe(200);
      for (const [personId, overrides] of [
        [
          'sm-1',
          {
            name: 'Sana Mentor',
            email: 'sana@example.com',
            timezone: 'Europe/Berlin',
            level: 8,
            roles: ['employee', 'mentor'],
            mentorCapacity: 3,
            projectIds: ['x'],
          },
        ],
        [
          'se-1',
          {
            name: 'Omar Mentee',
            email: 'omar@example.com',
            timezone: 'America/New_York',
            level: 2,
            managerId: null,
            projectIds: ['y'],
          },
        ],
        [
          'se-2',
          {
            name: 'Lena Mentee',
            email: 'lena@example.com',
            timezone: 'Europe/Paris',
            level: 2,
            managerId: null,
            projectIds: ['y'],
          },
        ],
        [
          'se-3',
          {
            name: 'Ravi Mentee',
            email: 'ravi@example.com',
            timezone: 'Asia/Kolkata',
            level: 2,
            managerId: null,
            projectIds: ['y'],
            workingHours: { start: '12:00', end: '20:00' },
          },
        ],
      ] as const) {
        const answer = await api(`/people/${personId}`, {
          method: 'PUT',
          as: admin,
          json: personBody({ domain: 'sched', managerId: null, ...overrides }),
        });
        expect(answer.status).toBe(201);
      }
      expect(await commitRun({ domains: ['sched'] })).toHaveLength(1);
      await eventually(platform, async () => {
        const cadences = await api('/cadences', { as: person('se-1') });
        expect(((await cadences.json()) as { items: unknown[] }).items).toHaveLength(1);
      });
    }, 120_000);

    let sessionId = '';
    let slots: SlotView[] = [];
    let chosen = -1;
    const addressOf: Record<string, string> = { 'sm-1': 'sana@example.com', 'se-1': 'omar@example.com' };
    const toOf = (email: ReceivedEmail) =>
      email.parsed.to && !Array.isArray(email.parsed.to) ? email.parsed.to.value[0]?.address : undefined;

    it('schedules a 1:1 from a suggested slot, and both receive an invite that reads right in their own zone', async () => {
      const suggestions = await api('/sessions/suggestions?mentorId=sm-1&menteeId=se-1&durationMinutes=30&count=20', {
        as: person('se-1'),
      });
      expect(suggestions.status).toBe(200);
      slots = ((await suggestions.json()) as { slots: SlotView[] }).slots;
      const now = Date.now();
      // A slot Monday to Thursday whose eve reminders go out at least 13 hours from now, whose
      // questions go out within 6 days (before the demo's first reminders), with two free slots after it.
      chosen = slots.findIndex((candidate, index) => {
        const start = Date.parse(candidate.startsAt);
        const next = slots[index + 1];
        const third = slots[index + 2];
        return (
          next?.startsAt === candidate.endsAt &&
          third?.startsAt === next.endsAt &&
          zones.every((zone) => weekdayIn(start, zone) <= 4) &&
          zones.every((zone) => eveMorning(start, zone) >= now + 13 * HOUR) &&
          questionsDue(Date.parse(candidate.endsAt)) < now + 6 * DAY
        );
      });
      expect(chosen).toBeGreaterThanOrEqual(0);
      const slot = slots[chosen] as SlotView;
      const before = (await emails()).length;
      const created = await api('/sessions', {
        method: 'POST',
        as: person('se-1'),
        json: {
          kind: 'one-on-one',
          mentorId: 'sm-1',
          menteeId: 'se-1',
          startsAt: slot.startsAt,
          durationMinutes: 30,
          agenda: 'Goals; feedback, and next steps',
        },
      });
      expect(created.status).toBe(201);
      const session = (await created.json()) as { sessionId: string; videoLink: string };
      sessionId = session.sessionId;
      const invites = invitesIn(
        await eventually(platform, async () => {
          const found = await emailsSince(before);
          expect(found).toHaveLength(2);
          return found;
        }),
      );
      for (const { email, calendar } of invites) {
        expect(email.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
        const inline = email.parsed.attachments.find((attachment) => attachment.contentType === 'text/calendar');
        expect(inline?.content.toString('utf8')).toContain('METHOD:REQUEST');
        expect(calendar?.method).toBe('REQUEST');
        const [event] = calendar?.events ?? [];
        expect(event).toMatchObject({
          uid: `${sessionId}@example.com`,
          sequence: 0,
          summary: '1:1: Sana Mentor and Omar Mentee',
          location: session.videoLink,
          url: session.videoLink,
          status: 'CONFIRMED',
          organizer: { email: 'mentoring@example.com', name: 'Mentoring programme' },
        });
        expect(event?.description).toContain('Goals; feedback, and next steps');
        expect(event?.attendees.map((attendee) => attendee.email).sort()).toEqual([
          'omar@example.com',
          'sana@example.com',
        ]);
        expect(event?.start.toISOString()).toBe(slot.startsAt);
        expect(event?.end.toISOString()).toBe(slot.endsAt);
        expect(rawHeader(email.parsed, 'List-Unsubscribe')).toBeUndefined();
      }
      // In each attendee's own zone, the invite's time is the one the suggestion showed them.
      for (const participant of slot.participants) {
        const invite = invites.find(({ email }) => toOf(email) === addressOf[participant.personId]);
        expect(localTime(invite?.calendar?.events[0]?.start.getTime() ?? 0, participant.timezone)).toBe(
          participant.start,
        );
        expect(invite?.email.parsed.subject).toContain(`(${participant.timezone})`);
      }
    });

    it('moves a session with updated invites (same UID, next SEQUENCE), then cancels it with CANCEL invites', async () => {
      const [, second, third] = slots.slice(chosen);
      const other = await api('/sessions', {
        method: 'POST',
        as: person('sm-1'),
        json: { kind: 'one-on-one', mentorId: 'sm-1', menteeId: 'se-1', startsAt: second?.startsAt },
      });
      expect(other.status).toBe(201);
      const temporary = ((await other.json()) as { sessionId: string }).sessionId;
      await platform.whenIdle();
      const before = (await emails()).length;
      const moved = await api(`/sessions/${temporary}`, {
        method: 'PATCH',
        as: person('se-1'),
        json: { startsAt: third?.startsAt },
      });
      expect(moved.status).toBe(200);
      const cancelled = await api(`/sessions/${temporary}/cancel`, { method: 'POST', as: person('sm-1') });
      expect(cancelled.status).toBe(200);
      const changes = invitesIn(
        await eventually(platform, async () => {
          const found = await emailsSince(before);
          expect(found).toHaveLength(4);
          return found;
        }),
      );
      expect(
        changes.map(({ calendar }) => [calendar?.method, calendar?.events[0]?.sequence, calendar?.events[0]?.uid]),
      ).toEqual([
        ['REQUEST', 1, `${temporary}@example.com`],
        ['REQUEST', 1, `${temporary}@example.com`],
        ['CANCEL', 2, `${temporary}@example.com`],
        ['CANCEL', 2, `${temporary}@example.com`],
      ]);
      expect(changes[0]?.calendar?.events[0]?.start.toISOString()).toBe(third?.startsAt);
      expect(changes[2]?.calendar?.events[0]?.status).toBe('CANCELLED');
      expect(changes[2]?.email.parsed.subject).toMatch(/^Cancelled: 1:1 with/);
    });

    it('sends the eve reminders and the "did it happen?" questions when the sweep fires for their times, each once', async () => {
      const slot = slots[chosen] as SlotView;
      const start = Date.parse(slot.startsAt);
      // On demand now (through the developer view), nothing is due.
      const count = (await emails()).length;
      const onDemand = await fetch(`${platform.urls.devView}/schedules/scheduling/reminder-sweep/run`, {
        method: 'POST',
      });
      expect(onDemand.status).toBe(200);
      await platform.whenIdle();
      expect((await emails()).length).toBe(count);

      // The firing a minute before the session: both eve reminders are due (the working morning before, in each zone).
      const eve = new Date(start - 60_000).toISOString();
      expect(await firing(eve)).toMatchObject({ ok: true, result: { sent: 2, failed: 0, retry: 0 } });
      expect(await firing(eve)).toMatchObject({ ok: true, result: { due: 0 } });
      const reminders = await emailsSince(count);
      expect(reminders.map((email) => [toOf(email), email.parsed.subject?.replace(/ is on .*/, '')]).sort()).toEqual([
        ['omar@example.com', 'Reminder: your 1:1 with Sana Mentor'],
        ['sana@example.com', 'Reminder: your 1:1 with Omar Mentee'],
      ]);
      for (const email of reminders) {
        const url = /^<(.+)>$/.exec(rawHeader(email.parsed, 'List-Unsubscribe') ?? '')?.[1] ?? '';
        expect(url.startsWith(`${platform.urls.api}/email-links/unsubscribe/`)).toBe(true);
        expect(rawHeader(email.parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      }
      // The firing after both have had their next working morning: both are asked.
      const after = new Date(questionsDue(Date.parse(slot.endsAt)) + 60_000).toISOString();
      expect(await firing(after)).toMatchObject({ ok: true, result: { sent: 2 } });
      expect(await firing(after)).toMatchObject({ ok: true, result: { due: 0 } });
      const questions = await emailsSince(count + 2);
      expect(questions.map((email) => [toOf(email), email.parsed.subject?.replace(/ on .*/, '')]).sort()).toEqual([
        ['omar@example.com', 'Did your 1:1 with Sana Mentor'],
        ['sana@example.com', 'Did your 1:1 with Omar Mentee'],
      ]);
      const link =
        /(http:\/\/\S+\/email-links\/attendance\/[A-Za-z0-9._-]+)\?answer=yes/.exec(
          questions[0]?.parsed.text ?? '',
        )?.[1] ?? '';
      const page = await fetch(`${link}?answer=yes`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('take place?');
      // The session is still ahead in real time, so the answer waits (409), and nothing was recorded by opening the page.
      const early = await fetch(`${link}?answer=yes`, { method: 'POST' });
      expect(early.status).toBe(409);
      const read = await api(`/sessions/${sessionId}`, { as: person('se-1') });
      expect(((await read.json()) as { status: string }).status).toBe('scheduled');
    });

    it('unsubscribes with the one-click POST a mail client sends', async () => {
      const reminder = (await emails()).find((email) =>
        email.parsed.subject?.startsWith('Reminder: your 1:1 with Sana'),
      );
      const url = /^<(.+)>$/.exec(rawHeader(reminder?.parsed as never, 'List-Unsubscribe') ?? '')?.[1] ?? '';
      const oneClick = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.status).toBe(200);
      const preferences = await api('/me/notification-preferences', { as: person('se-1') });
      expect(await preferences.json()).toEqual({ optedOut: ['session-tomorrow'] });
    });

    it('raises OneOnOne.Overdue for a pair without a 1:1 for 90 days, when the sweep runs on demand', async () => {
      // Matching's event for a pairing that started 100 days ago (as a replay from the archive would bring it).
      const startedAt = new Date(Date.now() - 100 * DAY).toISOString();
      await putOnBus(eventBridgeClientOf(platform), {
        source: MentorshipStartedV1.source,
        detailType: MentorshipStartedV1.detailType,
        detail: {
          metadata: {
            id: 'old-mentorship-1',
            version: 1,
            occurredAt: startedAt,
            correlationId: 'replay-1',
            service: 'matching',
          },
          data: {
            mentorshipId: 'old-ms-1',
            podId: 'old-pod',
            mentorId: 'sm-1',
            menteeId: 'se-2',
            domain: 'sched',
            startedAt,
            lockedUntil: startedAt,
            cause: 'matching-run',
            runId: null,
          },
        },
      });
      await platform.whenIdle();
      // Firings carry whole seconds (as Scheduler's do): let the one that was due now be in the past.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const run = await fetch(`${platform.urls.devView}/schedules/scheduling/reminder-sweep/run`, { method: 'POST' });
      expect(run.status).toBe(200);
      // Due now: the overdue check only (its reminder waits for a working morning; its warning is long past).
      expect(await run.json()).toMatchObject({ ok: true, result: { due: 1, sent: 1 } });
      const overdue = await eventually(platform, async () => {
        const found = delivered.filter((event) => event['detail-type'] === 'OneOnOne.Overdue');
        expect(found).toHaveLength(1);
        return found[0];
      });
      expect((overdue?.detail as { data: unknown } | undefined)?.data).toEqual({
        mentorshipId: 'old-ms-1',
        mentorId: 'sm-1',
        menteeId: 'se-2',
        podId: 'old-pod',
        lastCompletedAt: null,
        daysWithoutOneOnOne: 100,
      });
    });

    it('suppresses an address SES reports as bounced, for admins to see', async () => {
      await putOnBus(eventBridgeClientOf(platform), {
        source: 'aws.ses',
        detailType: 'Email Bounced',
        detail: {
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: 'lena@example.com' }],
            timestamp: new Date().toISOString(),
            feedbackId: 'fb-1',
          },
          mail: {
            messageId: 'm-1',
            destination: ['lena@example.com'],
            tags: { 'ses:configuration-set': ['mentoring-local'] },
          },
        },
      });
      const suppressed = await eventually(platform, async () => {
        const answer = await api('/email-suppressions', { as: admin });
        const { items } = (await answer.json()) as { items: { email: string; personId: string; reason: string }[] };
        expect(items).toHaveLength(1);
        return items[0];
      });
      expect(suppressed).toMatchObject({ email: 'lena@example.com', personId: 'se-2', reason: 'bounce' });
      expect((await api('/email-suppressions', { as: person('se-2') })).status).toBe(403);
    });
  });

  it('confirms a skip-level plan for a domain of the demo organisation: everyone invited once', coldStart, async () => {
    const year = new Date().getUTCFullYear();
    const quarter = `${year + 1}-Q1`;
    const proposed = await api('/skip-levels/plans', {
      method: 'POST',
      as: coach,
      json: { quarter, weeklyLimit: 3, durationMinutes: 30, domains: ['backend'] },
    });
    expect(proposed.status).toBe(201);
    const plan = (await proposed.json()) as { planId: string; entries: { personId: string }[]; unplanned: unknown[] };
    expect(plan.entries.length + plan.unplanned.length).toBe(16);
    const before = (await emails()).length;
    let confirmed = await api(`/skip-levels/plans/${plan.planId}/confirm`, { method: 'POST', as: coach });
    while (confirmed.status === 202)
      confirmed = await api(`/skip-levels/plans/${plan.planId}/confirm`, { method: 'POST', as: coach });
    expect(confirmed.status).toBe(200);
    const done = (await confirmed.json()) as { entries: { state: string }[] };
    const scheduled = done.entries.filter((entry) => entry.state === 'scheduled').length;
    await eventually(
      platform,
      async () => {
        const invites = (await emailsSince(before)).filter((email) =>
          email.parsed.subject?.startsWith('Invitation: skip-level'),
        );
        expect(invites).toHaveLength(scheduled * 2);
      },
      60_000,
    );
    const event = await eventually(platform, async () => {
      const found = delivered.filter((candidate) => candidate['detail-type'] === 'SkipLevelPlan.Confirmed');
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect((event?.detail as { data: unknown } | undefined)?.data).toEqual({
      planId: plan.planId,
      quarter,
      sessions: scheduled,
    });
  });

  it('publishes only events that validate against the event catalogue’s JSON Schemas', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const kinds = new Set(delivered.map((event) => event['detail-type']));
    for (const kind of [
      'Session.Scheduled',
      'Session.Rescheduled',
      'Session.Cancelled',
      'OneOnOne.Overdue',
      'SkipLevelPlan.Confirmed',
      'NotificationPreferences.Changed',
      'EmailAddress.Suppressed',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    for (const event of delivered) {
      const version = (event.detail as { metadata: { version: number } }).metadata.version;
      const file = join(
        import.meta.dirname,
        '..',
        '..',
        'docs',
        'events',
        event.source,
        `${event['detail-type']}.v${version}.json`,
      );
      const validate = validators.get(file) ?? ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
      validators.set(file, validate);
      expect(validate(event), `${event['detail-type']}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
