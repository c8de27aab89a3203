/**
 * Escalation routing end to end on the local platform: departments and routing rules set by an
 * admin, people and pods learnt from matching's events on the bus, escalations raised through
 * the HTTP API and worked by a department's machine client (client-credentials token), the
 * department's tracker fed by its webhook (an HTTPS receiver), emails as the SES emulator holds
 * them, the three automatic sources put on the bus as pulse and scheduling would, improvement
 * signals and quality circles. Every event is checked against its published schema.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MentorshipStartedV1, PersonRegisteredV1, PodFormedV1 } from '../../shared/contracts/matching-events';
import { MenteeAtRiskV1, PulseScoreDroppedV1 } from '../../shared/contracts/pulse-events';
import { OneOnOneOverdueV1 } from '../../shared/contracts/scheduling-events';
import type { EventContract } from '../../shared/events/envelope';
import { departmentInput } from '../builders/escalations';
import { assertMatchesPublishedSchema } from '../support/event-schemas';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { storedEmails } from '../support/ses';
import { receiverCertificate, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { busEvents, envelopeOf, eventBridgeClientOf, eventually, putOnBus } from './dev-view';

const admin = { sub: 'admin-1', groups: ['admin', 'employee'] };
const coach = { sub: 'coach-1', groups: ['life-coach', 'employee'] };
const person = (sub: string) => ({ sub, groups: ['employee'] });
const departmentClient = (departmentId: string) => ({ sub: departmentId, departmentClient: departmentId });
const always = [{ start: '00:00', end: '24:00' }];
const alwaysOpen = { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always };

let sequence = 0;
/** An event as its producer would put it on the bus: the envelope with a unique id. */
const envelope = (contract: EventContract, data: unknown, id = `evt-${++sequence}`) => ({
  source: contract.source,
  detailType: contract.detailType,
  detail: {
    metadata: {
      id,
      version: contract.version,
      occurredAt: new Date().toISOString(),
      correlationId: `corr-${id}`,
      service: contract.source,
    },
    data,
  },
});

const personSnapshot = (personId: string, roles: string[]) => ({
  personId,
  name: `Person ${personId}`,
  email: `${personId}@example.com`,
  timezone: 'Europe/Berlin',
  workingHours: { start: '09:00', end: '17:00' },
  domain: 'backend',
  level: roles.includes('mentor') ? 7 : 3,
  projectIds: [],
  managerId: null,
  skills: [],
  growthGoals: [],
  languages: ['en'],
  roles,
  mentorCapacity: 5,
  acceptingMentees: true,
});

describe('escalation routing through the local platform', () => {
  let platform: TestPlatform;
  let bus: EventBridgeClient;
  let tracker: WebhookReceiver;
  const api = (path: string, request?: Parameters<TestPlatform['api']>[1]) => platform.api(path, request);
  const json = async (response: Response) =>
    (await response.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] };
  const raise = async (as: { sub: string; groups: string[] }, body: object) => {
    const response = await api('/escalations', { method: 'POST', as, json: body });
    expect(response.status).toBe(201);
    return json(response);
  };
  const eventsOf = async (detailType: string) =>
    (await busEvents(platform)).filter(
      (event) => event.source === 'mentoring.escalation' && event.detailType === detailType,
    );
  const emailsTo = async (address: string) =>
    (await storedEmails({ storeUrl: platform.urls.sesStore })).filter((email) =>
      email.destination.to.includes(address),
    );

  beforeAll(async () => {
    tracker = await startWebhookReceiver();
    platform = await startTestPlatform({ trustedCertificates: [receiverCertificate] });
    bus = eventBridgeClientOf(platform);

    // The directory, as matching publishes it: pods p1 (m1: e1, e2), p2 (m2: e3), p3 (m3: e4); the life coach.
    for (const [personId, roles] of [
      ['e1', ['employee']],
      ['e2', ['employee']],
      ['e3', ['employee']],
      ['e4', ['employee']],
      ['m1', ['employee', 'mentor']],
      ['m2', ['employee', 'mentor']],
      ['m3', ['employee', 'mentor']],
      ['coach-1', ['employee', 'life-coach']],
    ] as const) {
      await putOnBus(bus, envelope(PersonRegisteredV1, { person: personSnapshot(personId, [...roles]) }));
    }
    for (const [podId, mentorId, mentees] of [
      ['p1', 'm1', ['e1', 'e2']],
      ['p2', 'm2', ['e3']],
      ['p3', 'm3', ['e4']],
    ] as const) {
      const formedAt = '2026-01-05T09:00:00.000Z';
      await putOnBus(
        bus,
        envelope(PodFormedV1, {
          podId,
          mentorId,
          domain: 'backend',
          menteeIds: [...mentees],
          formedAt,
          runId: 'run-1',
        }),
      );
      for (const menteeId of mentees) {
        await putOnBus(
          bus,
          envelope(MentorshipStartedV1, {
            mentorshipId: `${podId}-${menteeId}`,
            podId,
            mentorId,
            menteeId,
            domain: 'backend',
            startedAt: formedAt,
            lockedUntil: '2026-04-05T09:00:00.000Z',
            cause: 'matching-run',
            runId: 'run-1',
          }),
        );
      }
    }

    // Departments and routing, as an admin sets them.
    const webhook = {
      url: tracker.url,
      auth: { kind: 'api-key', headerName: 'X-Tracker-Key', value: 'tracker-secret' },
    };
    for (const [departmentId, extra] of [
      ['it', { name: 'IT service desk', leadEmail: 'it-lead@example.com', webhook }],
      ['hr', { name: 'People team', leadEmail: 'hr-lead@example.com' }],
    ] as const) {
      const response = await api(`/departments/${departmentId}`, {
        method: 'PUT',
        as: admin,
        json: { ...departmentInput(), timezone: 'UTC', businessHours: alwaysOpen, ...extra },
      });
      expect(response.status).toBe(201);
    }
    const rules = await api('/routing-rules', {
      method: 'PUT',
      as: admin,
      json: {
        basedOnVersion: 0,
        rules: [
          { ruleId: 'tools-to-it', category: 'tools', departmentId: 'it' },
          { ruleId: 'impediments-to-it', category: 'technical-impediment', departmentId: 'it' },
          { ruleId: 'careers-to-hr', category: 'career-certification', departmentId: 'hr' },
        ],
        fallbackDepartmentId: 'hr',
        improvementSignals: { minPods: 3, minReporters: 3, windowDays: 30 },
        qualityCircles: { minPods: 2, windowDays: 30 },
      },
    });
    expect(rules.status).toBe(200);
    await platform.whenIdle();
  }, 120_000);

  afterAll(async () => {
    bus?.destroy();
    await platform?.stop();
    await tracker?.stop();
  });

  it('routes a confidential escalation to its department, which sees neither the reporter nor the pod, anywhere', async () => {
    const raised = await raise(person('e1'), {
      category: 'tools',
      severity: 'high',
      summary: 'The build farm rejects my certificate',
      details: 'Since Monday every build fails at signing.',
      tags: ['signing'],
      confidential: true,
    });
    expect(raised).toMatchObject({ view: 'reporter', departmentId: 'it', podId: 'p1', reporterId: 'e1' });
    const id = raised.escalationId as string;

    // The machine client of IT: its queue and the escalation, redacted.
    const queue = await json(await api('/departments/it/escalations?status=open', { as: departmentClient('it') }));
    const listed = queue.items?.find((item) => item.escalationId === id);
    expect(listed).toMatchObject({ view: 'department', reporterId: null, podId: null });
    const asIt = await api(`/escalations/${id}`, { as: departmentClient('it') });
    expect(await asIt.text()).not.toMatch(/"e1"|"p1"/);
    // Another department: as if it did not exist; its queue is not theirs to read.
    expect((await api(`/escalations/${id}`, { as: departmentClient('hr') })).status).toBe(404);
    expect((await api('/departments/it/escalations', { as: departmentClient('hr') })).status).toBe(403);

    // The bus and the tracker carry it without the reporter and the pod.
    const routed = await eventually(platform, async () => {
      const found = (await eventsOf('Escalation.Routed')).find((event) => envelopeOf(event).data.escalationId === id);
      expect(found).toBeDefined();
      return found;
    });
    expect(envelopeOf(routed as NonNullable<typeof routed>).data).toMatchObject({
      departmentId: 'it',
      reporterId: null,
      podId: null,
    });
    const delivered = await eventually(platform, async () => {
      const request = tracker.received.find((item) => JSON.parse(item.body).detail.data.escalationId === id);
      expect(request).toBeDefined();
      return request;
    });
    expect(delivered?.headers['x-tracker-key']).toBe('tracker-secret');
    const body = JSON.parse(delivered?.body ?? '{}');
    assertMatchesPublishedSchema(body);
    expect(body['detail-type']).toBe('Escalation.Routed');
    expect(delivered?.body).not.toMatch(/"e1"|"p1"/);
  });

  it('is worked by the department: acknowledged, asked, answered, resolved, with an email to the reporter each time', async () => {
    const raised = await raise(person('e3'), {
      category: 'tools',
      severity: 'medium',
      summary: 'VPN drops every hour',
      details: 'It disconnects every hour since the update.',
      tags: ['vpn'],
    });
    const id = raised.escalationId as string;
    const act = async (path: string, as: object, body?: object) => {
      const response = await api(`/escalations/${id}/${path}`, {
        method: 'POST',
        as: as as never,
        ...(body ? { json: body } : {}),
      });
      return { status: response.status, body: await json(response) };
    };
    expect((await act('acknowledge', departmentClient('it'))).body.status).toBe('acknowledged');
    const asked = await act('status', departmentClient('it'), {
      status: 'waiting-on-reporter',
      comment: 'Which client version?',
    });
    expect(asked.body).toMatchObject({ status: 'waiting-on-reporter', slaState: 'paused' });
    const answered = await act('comments', person('e3'), { body: '5.2.1' });
    expect(answered.status).toBe(201);
    expect((answered.body.escalation as { status: string }).status).toBe('in-progress');
    const illegal = await act('reopen', person('e3'), {});
    expect(illegal.status).toBe(409);
    expect(illegal.body.detail).toBe(
      'The escalation is in-progress: it cannot be reopened. Allowed from in-progress: waiting-on-reporter, resolved, withdraw.',
    );
    expect(
      (await act('status', departmentClient('it'), { status: 'resolved', comment: 'Rolled the client back to 5.1.' }))
        .body.status,
    ).toBe('resolved');

    const emails = await eventually(platform, async () => {
      const found = await emailsTo('e3@example.com');
      expect(found.map((email) => email.subject)).toEqual(
        expect.arrayContaining([
          'Your escalation was acknowledged: VPN drops every hour',
          'IT service desk needs your answer: VPN drops every hour',
          'Your escalation was resolved: VPN drops every hour',
        ]),
      );
      return found;
    });
    expect(emails).toHaveLength(3);
    const resolved = emails.find((email) => email.subject.startsWith('Your escalation was resolved'));
    expect(resolved?.from).toBe('mentoring@example.com');
    expect(resolved?.body.text).toContain('> Rolled the client back to 5.1.');

    const view = await json(await api(`/escalations/${id}`, { as: person('e3') }));
    expect(
      (view.sla as { history: { timer: string; breached: boolean }[] }).history.map((cycle) => [
        cycle.timer,
        cycle.breached,
      ]),
    ).toEqual([
      ['first-response', false],
      ['resolution', false],
    ]);
  });

  it('raises escalations from the three automatic sources, once per source event', async () => {
    const atRisk = envelope(
      MenteeAtRiskV1,
      {
        menteeId: 'e2',
        mentorId: 'm1',
        podId: 'p1',
        checkInId: 'ci-1',
        risk: 'high',
        previousRisk: 'medium',
        trigger: 'high-risk',
        droppedMeasures: [],
      },
      'risk-evt-1',
    );
    await putOnBus(bus, atRisk);
    await putOnBus(bus, atRisk);
    await putOnBus(
      bus,
      envelope(OneOnOneOverdueV1, {
        mentorshipId: 'p3-e4',
        mentorId: 'm3',
        menteeId: 'e4',
        podId: 'p3',
        lastCompletedAt: null,
        daysWithoutOneOnOne: 90,
      }),
    );
    await putOnBus(
      bus,
      envelope(PulseScoreDroppedV1, {
        surveyId: 's-1',
        roundId: 'r-2',
        topic: 'tool',
        segment: { kind: 'everyone', domain: null },
        measure: 'enps',
        score: 2.8,
        trailingAverage: 3.9,
        respondents: 57,
      }),
    );
    const lifeCoachQueue = await eventually(platform, async () => {
      const queue = await json(await api('/departments/life-coach/escalations', { as: coach }));
      expect(queue.items?.filter((item) => item.origin !== 'person')).toHaveLength(2);
      return queue;
    });
    const automatic = (lifeCoachQueue.items ?? []).filter((item) => item.origin !== 'person');
    expect(automatic.map((item) => [item.origin, item.severity, item.confidential]).sort()).toEqual([
      ['mentee-at-risk', 'high', true],
      ['one-on-one-overdue', 'low', true],
    ]);
    const itQueue = await json(await api('/departments/it/escalations', { as: departmentClient('it') }));
    expect(
      itQueue.items
        ?.filter((item) => item.origin === 'pulse-score-dropped')
        .map((item) => [item.severity, item.category]),
    ).toEqual([['medium', 'tools']]);
    // The at-risk escalation's events name neither the mentee nor the pod.
    const raisedEvents = (await eventsOf('Escalation.Raised')).filter(
      (event) => envelopeOf(event).data.origin === 'mentee-at-risk',
    );
    expect(raisedEvents).toHaveLength(1);
    expect(JSON.stringify(raisedEvents[0]?.detail)).not.toMatch(/"e2"|"p1"/);
  });

  it('signals an improvement programme to the department once three pods raised a theme, and suggests a quality circle to mentors', async () => {
    for (const reporter of ['e1', 'e3', 'e4']) {
      await raise(person(reporter), {
        category: 'technical-impediment',
        severity: 'low',
        summary: 'Flaky CI',
        details: 'Builds fail at random.',
        tags: ['flaky-ci'],
      });
    }
    const signals = await eventually(platform, async () => {
      const found = (await busEvents(platform)).filter((event) => event.detailType === 'ImprovementSignal.Detected');
      expect(found.map((event) => (envelopeOf(event).data.theme as { value: string }).value).sort()).toEqual([
        'flaky-ci',
        'technical-impediment',
      ]);
      return found;
    });
    for (const signal of signals) {
      expect(envelopeOf(signal).data).toMatchObject({ departmentId: 'it', distinctPods: 3, distinctReporters: 3 });
      expect(JSON.stringify(signal.detail)).not.toMatch(/"e[134]"|"p[123]"/);
    }
    const circles = await eventually(platform, async () => {
      const found = (await busEvents(platform)).filter((event) => event.detailType === 'QualityCircle.Suggested');
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
    await platform.whenIdle();
    // Suggested once, when the second pod's escalation is counted. The bus does not order events, so
    // which pods it names depends on which escalations were counted by then: at least two of the three.
    expect((await busEvents(platform)).filter((event) => event.detailType === 'QualityCircle.Suggested')).toHaveLength(
      1,
    );
    const circle = envelopeOf(circles[0] as NonNullable<(typeof circles)[number]>).data as {
      tag: string;
      podIds: string[];
    };
    expect(circle.tag).toBe('flaky-ci');
    expect(circle.podIds.length).toBeGreaterThanOrEqual(2);
    for (const podId of circle.podIds) expect(['p1', 'p2', 'p3']).toContain(podId);
    const mentorOfPod: Record<string, string> = { p1: 'm1', p2: 'm2', p3: 'm3' };
    await eventually(platform, async () => {
      for (const mentor of circle.podIds.map((podId) => mentorOfPod[podId] as string)) {
        expect((await emailsTo(`${mentor}@example.com`)).map((email) => email.subject)).toEqual([
          'A quality circle on "flaky-ci"?',
        ]);
      }
      expect((await emailsTo('it-lead@example.com')).map((email) => email.subject)).toEqual(
        expect.arrayContaining([
          'Improvement signal: tag "flaky-ci"',
          'Improvement signal: category "technical-impediment"',
        ]),
      );
    });
  });

  it('publishes every escalation event as its catalogue schema describes, and dead-letters nothing', async () => {
    await platform.whenIdle();
    const events = (await busEvents(platform)).filter((event) => event.source === 'mentoring.escalation');
    expect(events.length).toBeGreaterThan(20);
    for (const event of events) {
      assertMatchesPublishedSchema({
        source: event.source,
        'detail-type': event.detailType,
        detail: event.detail as never,
      });
    }
    expect(platform.deadLetters()).toEqual([]);
  });
});
