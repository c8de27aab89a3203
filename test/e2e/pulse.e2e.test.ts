/**
 * The pulse service end to end on the demo organisation (`npm start -- --seed demo`): matching's
 * people, pods and mentorships reach pulse through the bus; a weekly pulse opens, its invitations
 * land in the SES inbox in working hours (read with mailparser); round one is answered by fewer
 * people than the threshold and shows nothing, round two by more and shows its figures; an
 * anonymous conversation runs through the public reply routes; a check-in with a high risk puts
 * Mentee.AtRisk on the bus; scheduling's events (put on the bus by the test, as scheduling is
 * built beside this) turn emails off and make a 1:1 rateable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoster, seedDemo } from '../../local/seed/demo';
import {
  EmailAddressSuppressedV1,
  NotificationPreferencesChangedV1,
  SessionCompletedV1,
} from '../../shared/contracts/scheduling-events';
import { publishedSchemaViolations } from '../support/event-schema';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { receivedEmails, type StoredEmail, storedEmails } from '../support/ses';
import { busEvents, envelopeOf, eventBridgeClientOf, eventually, putOnBus } from './dev-view';
import { requestRun } from './matching-runs';

const admin = { sub: 'p-002', groups: ['admin', 'employee'] };
const coach = { sub: 'p-001', groups: ['life-coach', 'employee'] };
const employee = (sub: string) => ({ sub, groups: ['employee'] });
const mentor = (sub: string) => ({ sub, groups: ['employee', 'mentor'] });
const coldStart = { timeout: 180_000 };
const DAY = 24 * 3600_000;

const envelope = (data: unknown) => ({
  metadata: {
    id: `test-${Math.random().toString(36).slice(2)}`,
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'pulse-e2e',
    service: 'scheduling',
  },
  data,
});

describe('pulse on the demo organisation', () => {
  let platform: TestPlatform;
  const roster = demoRoster();
  const data = roster.filter((row) => row.domain === 'data');
  const api = (path: string, request?: Parameters<TestPlatform['api']>[1]) => platform.api(path, request);
  const fire = async (functionName: 'sweeper' | 'mail-sender', schedule: string, at: Date) => {
    const outcome = await platform.functions.invoke(`pulse-${functionName}`, {
      schedule,
      scheduledTime: `${at.toISOString().slice(0, 19)}Z`,
    });
    if (!outcome.ok) throw new Error(`${functionName}: ${outcome.error.errorMessage}`);
    await platform.whenIdle();
    return outcome.result as Record<string, unknown>;
  };
  const pulseEvents = async (detailType: string) =>
    (await busEvents(platform)).filter(
      (event) => event.source === 'mentoring.pulse' && event.detailType === detailType,
    );

  beforeAll(async () => {
    platform = await startTestPlatform();
    const summary = await seedDemo(platform.urls.api, await platform.mintToken(admin));
    expect(summary.rejected).toBe(0);
    // Accepted (202): the matching runner computes and commits it (whenIdle waits for it).
    await requestRun(platform, { mode: 'commit' }, coach);
  }, 240_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it(
    'opens a weekly pulse to a domain, emails invitations in working hours, respects turned-off and suppressed addresses',
    coldStart,
    async () => {
      const [optedOut, bounced] = [data[3], data[4]];
      if (!optedOut || !bounced) throw new Error('the demo has a data domain');
      const bus = eventBridgeClientOf(platform);
      await putOnBus(bus, {
        source: NotificationPreferencesChangedV1.source,
        detailType: NotificationPreferencesChangedV1.detailType,
        detail: envelope({ personId: optedOut.personId, optedOut: ['pulse-invitations'] }),
      });
      await putOnBus(bus, {
        source: EmailAddressSuppressedV1.source,
        detailType: EmailAddressSuppressedV1.detailType,
        detail: envelope({ email: bounced.email, personId: null, reason: 'bounce' }),
      });

      const today = new Date().toISOString().slice(0, 10);
      const created = await api('/pulse/surveys', {
        method: 'POST',
        as: coach,
        json: {
          title: 'Data team pulse',
          topic: 'engagement',
          questionSet: 'enps',
          audience: { kind: 'domains', domains: ['data'] },
          schedule: { kind: 'recurring', cadence: 'weekly', startsOn: today },
        },
      });
      expect(created.status).toBe(201);
      const survey = (await created.json()) as { surveyId: string };

      const opened = await fire('sweeper', 'survey-rounds', new Date());
      expect(opened.opened).toEqual([`${survey.surveyId}-r1`]);
      const [openedEvent] = await pulseEvents('PulseSurvey.Opened');
      expect(openedEvent && envelopeOf(openedEvent).data).toMatchObject({
        audienceSize: data.length,
        cadence: 'weekly',
      });
      expect(openedEvent && publishedSchemaViolations(openedEvent)).toEqual([]);

      // Every invitation is due within three and a half days (a weekend, a far time zone).
      await fire('mail-sender', 'mail', new Date(Date.now() + 3.5 * DAY));
      const emails = await storedEmails({ storeUrl: platform.urls.sesStore });
      const invitations = emails.filter((email: StoredEmail) => email.subject === 'Pulse survey: Data team pulse');
      expect(invitations.map((email) => email.destination.to[0]).sort()).toEqual(
        data
          .filter((row) => row !== optedOut && row !== bounced)
          .map((row) => row.email)
          .sort(),
      );
      // As a mail client reads it: the raw message SES received, parsed with mailparser.
      const received = await receivedEmails(platform.urls.sesRawStore);
      const parsed = received.find((email) => email.messageId === invitations[0]?.messageId)?.parsed;
      if (!parsed) throw new Error('the invitation is not among the raw messages');
      expect(parsed.subject).toBe('Pulse survey: Data team pulse');
      expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
      expect(parsed.text).toMatch(/Your answers are anonymous/);
      expect(parsed.text).toMatch(/Answer before \w+day, \d+ \w+ \d{4} at \d\d:\d\d \(your time\)/);
      expect(parsed.html).toContain('<p>Hello ');
    },
  );

  it(
    'shows nothing for a round fewer than the threshold answered, and the figures of the next one more answered',
    coldStart,
    async () => {
      const listed = await api('/pulse/surveys', { as: coach });
      const surveyId = ((await listed.json()) as { items: { surveyId: string; title: string }[] }).items.find(
        (item) => item.title === 'Data team pulse',
      )?.surveyId as string;
      const answer = async (personId: string, value: number, text = '') =>
        api(`/pulse/surveys/${surveyId}/responses`, {
          method: 'POST',
          as: employee(personId),
          json: {
            answers: [
              { questionId: 'q1', value },
              { questionId: 'q2', text },
            ],
          },
        });

      const few = data.slice(0, 3);
      for (const row of few) expect((await answer(row.personId, 9)).status).toBe(201);
      expect((await answer(few[0]?.personId as string, 1)).status).toBe(409);
      expect((await answer('p-003', 5)).status).toBe(403);
      const open = await api(`/pulse/surveys/${surveyId}/results`, { as: coach });
      expect(await open.json()).toMatchObject({ state: 'open', responsesAtLeast: 0, segments: [] });

      // A week on: round 1 has closed, round 2 opens.
      const week = await fire('sweeper', 'survey-rounds', new Date(Date.now() + 7 * DAY + 3600_000));
      expect(week).toMatchObject({ closed: [`${surveyId}-r1`], opened: [`${surveyId}-r2`] });
      const first = await eventually(platform, async () => {
        const response = await api(`/pulse/surveys/${surveyId}/results?round=1`, { as: coach });
        const body = (await response.json()) as { state: string; segments: { shown: boolean }[] };
        expect(body.state).toBe('released');
        return body;
      });
      expect(first.segments.length).toBeGreaterThan(0);
      expect(first.segments.every((segment) => !segment.shown)).toBe(true);

      const many = data.slice(0, 9);
      const scores = [10, 9, 9, 8, 7, 6, 3, 10, 9];
      const [commenter] = many;
      const withComment = await answer(commenter?.personId as string, 4, 'Too many context switches');
      expect(withComment.status).toBe(201);
      const { replyToken } = (await withComment.json()) as { replyToken: string };
      for (const [index, row] of many.slice(1).entries())
        expect((await answer(row.personId, scores[index + 1] as number)).status).toBe(201);
      const closed = await api(`/pulse/surveys/${surveyId}/close`, { method: 'POST', as: admin });
      expect(closed.status).toBe(200);

      const second = await eventually(platform, async () => {
        const response = await api(`/pulse/surveys/${surveyId}/results?round=2`, { as: coach });
        const body = (await response.json()) as {
          state: string;
          segments: {
            shown: boolean;
            respondents?: number;
            questions?: { enps: number | null; comments: { commentId: string; text: string }[] | null }[];
          }[];
        };
        expect(body.state).toBe('released');
        return body;
      });
      const [everyone] = second.segments;
      expect(everyone).toMatchObject({ shown: true, respondents: 9, segment: { kind: 'everyone', domain: null } });
      // 4, 9, 9, 8, 7, 6, 3, 10, 9: promoters 4 (9-10), detractors 3 (0-6), of 9.
      expect(everyone?.questions?.[0]?.enps).toBe(11.1);
      const comment = everyone?.questions?.[1]?.comments?.[0];
      expect(comment?.text).toBe('Too many context switches');

      // The events of answering carry nobody and no answer.
      const recorded = await pulseEvents('PulseResponse.Recorded');
      expect(recorded.length).toBe(12);
      for (const event of recorded) {
        expect(Object.keys(envelopeOf(event).data).sort()).toEqual(['roundId', 'surveyId']);
        expect(JSON.stringify(event.detail)).not.toMatch(/p-0\d\d/);
        expect(publishedSchemaViolations(event)).toEqual([]);
      }

      // The CSV says the same, for what the caller may see.
      const csv = await api(`/pulse/surveys/${surveyId}/results/export?round=2`, {
        as: employee(data[8]?.personId as string),
      });
      expect(csv.status).toBe(200);
      expect(await csv.text()).toContain('everyone,q1,enps,');

      // An anonymous conversation: the coach replies, the token holder reads and answers, no sign-in.
      const reply = await api(`/pulse/comments/${comment?.commentId}/replies`, {
        method: 'POST',
        as: coach,
        json: { text: 'What would cut them down?' },
      });
      expect(reply.status).toBe(201);
      const thread = await api('/pulse/replies', { token: null, headers: { 'x-reply-token': replyToken } });
      expect(thread.status).toBe(200);
      expect(((await thread.json()) as { items: { messages: { text: string }[] }[] }).items[0]?.messages[0]?.text).toBe(
        'What would cut them down?',
      );
      const answered = await api('/pulse/replies', {
        method: 'POST',
        token: null,
        headers: { 'x-reply-token': replyToken },
        json: { commentId: comment?.commentId, text: 'No-meeting afternoons.' },
      });
      expect(answered.status).toBe(201);
      expect((await api('/pulse/replies', { token: null })).status).toBe(400);

      const trend = await api('/pulse/trends?topic=engagement&domain=data', { as: coach });
      expect(((await trend.json()) as { points: { roundId: string; score: number }[] }).points).toEqual([
        expect.objectContaining({ roundId: `${surveyId}-r2`, score: 11.1 }),
      ]);
    },
  );

  it(
    'puts Mentee.AtRisk on the bus for a check-in rating a mentee at high risk; only the mentor and the coach read it',
    coldStart,
    async () => {
      const pods = (await (await api('/pods?limit=100', { as: coach })).json()) as {
        items: { podId: string; mentor: { personId: string }; mentees: { personId: string }[] }[];
      };
      const pod = pods.items.find((candidate) => candidate.mentees.length >= 3);
      const mentorId = pod?.mentor.personId as string;
      const menteeId = pod?.mentees[0]?.personId as string;
      const recorded = await api('/checkins', {
        method: 'POST',
        as: mentor(mentorId),
        json: {
          menteeId,
          performanceRisk: 'high',
          engagement: 2,
          roleClarity: 3,
          notes: 'Missed two deadlines; personal issues',
        },
      });
      expect(recorded.status).toBe(201);
      const { checkInId } = (await recorded.json()) as { checkInId: string };
      const atRisk = await eventually(platform, async () => {
        const [event] = await pulseEvents('Mentee.AtRisk');
        expect(event).toBeDefined();
        return event;
      });
      expect(atRisk && envelopeOf(atRisk).data).toEqual({
        menteeId,
        mentorId,
        podId: pod?.podId,
        checkInId,
        risk: 'high',
        previousRisk: null,
        trigger: 'high-risk',
        droppedMeasures: [],
      });
      expect(JSON.stringify(atRisk)).not.toContain('deadlines');
      expect(atRisk && publishedSchemaViolations(atRisk)).toEqual([]);

      const read = (as: { sub: string; groups: string[] }) => api(`/checkins?menteeId=${menteeId}`, { as });
      expect(((await (await read(coach)).json()) as { items: unknown[] }).items).toHaveLength(1);
      expect((await read(admin)).status).toBe(403);
      expect((await read(employee(menteeId))).status).toBe(403);
      const otherMentor = pods.items.find((candidate) => candidate.mentor.personId !== mentorId)?.mentor
        .personId as string;
      expect(((await (await read(mentor(otherMentor))).json()) as { items: unknown[] }).items).toEqual([]);

      // A completed 1:1 (scheduling's event, put on the bus here) becomes rateable by its mentee, once.
      const sessionId = 'session-e2e-1';
      await putOnBus(eventBridgeClientOf(platform), {
        source: SessionCompletedV1.source,
        detailType: SessionCompletedV1.detailType,
        detail: envelope({
          session: {
            sessionId,
            kind: 'one-on-one',
            hostId: mentorId,
            participantIds: [mentorId, menteeId],
            mentorshipId: null,
            podId: pod?.podId ?? null,
            startsAt: '2026-11-20T10:00:00Z',
            endsAt: '2026-11-20T10:30:00Z',
          },
          completedAt: '2026-11-20T10:31:00Z',
        }),
      });
      await platform.whenIdle();
      const rate = () =>
        api(`/sessions/${sessionId}/rating`, { method: 'POST', as: employee(menteeId), json: { rating: 4 } });
      expect((await rate()).status).toBe(201);
      expect((await rate()).status).toBe(409);
      const ratings = await api(`/ratings?mentorId=${mentorId}`, { as: mentor(mentorId) });
      expect(await ratings.json()).toMatchObject({ batches: [], overall: null });
    },
  );
});
