/** The event-driven functions with fakes: each takes its payload as AWS delivers it and keeps its promise of idempotency. */
import { describe, expect, it } from 'vitest';
import {
  EscalationAcknowledgedV1,
  EscalationRaisedV1,
  EscalationRoutedV1,
} from '../../../shared/contracts/escalation-events';
import { MentorshipStartedV1, PersonRegisteredV1 } from '../../../shared/contracts/matching-events';
import { MenteeAtRiskV1 } from '../../../shared/contracts/pulse-events';
import { UnacceptableEventError } from '../../../shared/events/consumer';
import type { PendingEvent } from '../../../shared/events/outbox';
import { busEvent } from '../../../test/builders/bus-event';
import { departmentP, employeeP, inMemoryEscalations, raiseInput } from '../../../test/builders/escalations';
import { actOnEscalation, raiseEscalation } from '../domain/escalations/escalations';
import type { RaiseInput } from '../domain/escalations/model';
import { createAutomaticEscalationConsumer } from './automatic-escalations-handler';
import { createDirectoryProjectionConsumer } from './directory-projection-handler';
import { createEventConsumer } from './event-consumer-handler';
import { createNotifier } from './notifier-handler';
import { createSlaSchedulerConsumer } from './sla-scheduler-handler';
import { createSlaTimer } from './sla-timer-handler';
import { createThemeDetector } from './theme-detector-handler';

const context = { correlationId: 'c' };
const delivered = (pending: PendingEvent, id = 'evt-1') =>
  busEvent(pending.contract, pending.data as never, { id, correlationId: 'corr-9' });

describe('automatic-escalations', () => {
  const atRisk = busEvent(
    MenteeAtRiskV1,
    {
      menteeId: 'e1',
      mentorId: 'm1',
      podId: 'p1',
      checkInId: 'ci',
      risk: 'high',
      previousRisk: null,
      trigger: 'high-risk',
      droppedMeasures: [],
    },
    { id: 'risk-1', correlationId: 'pulse-corr' },
  );

  it('raises one escalation per source event, keeping the source’s correlation id', async () => {
    const { deps, store, detailTypes } = await inMemoryEscalations();
    const consume = createAutomaticEscalationConsumer(deps);
    expect(await consume(atRisk)).toBe('created');
    expect(await consume(atRisk)).toBe('duplicate');
    expect(detailTypes()).toEqual(['Escalation.Raised', 'Escalation.Routed']);
    expect(store.published.every((recorded) => recorded.correlationId === 'pulse-corr')).toBe(true);
  });

  it('rejects (so the bus retries and dead-letters) an event that breaks its contract', async () => {
    const { deps } = await inMemoryEscalations();
    const broken = structuredClone(atRisk);
    (broken.detail as { data: { risk: string } }).data.risk = 'extreme';
    await expect(createAutomaticEscalationConsumer(deps)(broken)).rejects.toBeInstanceOf(UnacceptableEventError);
  });
});

describe('directory-projection', () => {
  it('learns people and pods from matching’s events, each event once', async () => {
    const { deps } = await inMemoryEscalations();
    const consume = createDirectoryProjectionConsumer(deps);
    const person = {
      personId: 'n1',
      name: 'Nia',
      email: 'nia@example.com',
      timezone: 'Europe/Paris',
      workingHours: { start: '09:00', end: '17:00' },
      domain: 'backend',
      level: 3,
      projectIds: [],
      managerId: null,
      skills: [],
      growthGoals: [],
      languages: ['fr'],
      roles: ['employee'],
      mentorCapacity: 5,
      acceptingMentees: true,
    };
    const registered = busEvent(PersonRegisteredV1, { person }, { id: 'reg-1' });
    expect(await consume(registered)).toBe('applied');
    expect(await consume(registered)).toBe('duplicate');
    await consume(
      busEvent(MentorshipStartedV1, {
        mentorshipId: 'ms-n1',
        podId: 'p2',
        mentorId: 'm2',
        menteeId: 'n1',
        domain: 'backend',
        startedAt: '2026-01-05T00:00:00.000Z',
        lockedUntil: '2026-04-05T00:00:00.000Z',
        cause: 'matching-run',
        runId: 'run-1',
      }),
    );
    expect(await deps.directory.person('n1')).toMatchObject({ email: 'nia@example.com', active: true });
    expect(await deps.directory.podOf('n1')).toEqual({ podId: 'p2', as: 'mentee' });
  });
});

describe('sla-scheduler and sla-timer', () => {
  it('reconciles an escalation’s schedules on its timer events, and the firing reaches its milestone', async () => {
    const { deps, store, clock, detailTypes } = await inMemoryEscalations();
    const escalation = await raiseEscalation(deps, employeeP('e1'), raiseInput() as RaiseInput, context);
    const schedule = createSlaSchedulerConsumer({ ...deps, schedules: store.schedules });
    const routed = store.published.find((item) => item.event.contract === EscalationRoutedV1);
    if (!routed) throw new Error('Routed expected');
    expect(await schedule(delivered(routed.event))).toEqual({ created: 8, deleted: 0 });

    const warning = store
      .scheduled()
      .find((item) => item.timer === 'first-response' && item.milestone === 'warning-50');
    if (!warning) throw new Error('a schedule expected');
    const { escalationId: _id, ...planned } = warning;
    const payload = { escalationId: escalation.escalationId, ...planned };
    // Scheduler fires 40 s early (within the minute): the timer waits the rest out, then reaches the milestone.
    clock.set(new Date(Date.parse(warning.dueAt) - 40_000));
    const waited: number[] = [];
    const timer = createSlaTimer({ ...deps, sleep: async (ms) => void waited.push(ms) });
    expect(await timer(payload)).toBe('reached');
    expect(waited).toEqual([40_000]);
    expect(await timer(payload)).toBe('stale');
    expect(detailTypes().at(-1)).toBe('Escalation.SlaWarning');

    await actOnEscalation(deps, departmentP('it'), escalation.escalationId, { kind: 'acknowledge' }, context);
    const acknowledged = store.published.find((item) => item.event.contract === EscalationAcknowledgedV1);
    if (!acknowledged) throw new Error('Acknowledged expected');
    // The first-response schedules go (this fake keeps the fired one; Scheduler deletes it after it ran).
    expect(await schedule(delivered(acknowledged.event, 'evt-2'))).toEqual({ created: 0, deleted: 4 });
    expect(store.scheduled().every((item) => item.timer === 'resolution')).toBe(true);
  });

  it('refuses anything but a milestone schedule’s input', async () => {
    const { deps } = await inMemoryEscalations();
    await expect(
      createSlaTimer(deps)({ schedule: 'commit-sweeper', scheduledTime: '2026-01-19T10:00:00Z' }),
    ).rejects.toThrow();
  });
});

describe('notifier', () => {
  it('emails once per event, however often it is delivered', async () => {
    const { deps, store } = await inMemoryEscalations();
    const escalation = await raiseEscalation(deps, employeeP('e1'), raiseInput() as RaiseInput, context);
    await actOnEscalation(deps, departmentP('it'), escalation.escalationId, { kind: 'acknowledge' }, context);
    const notify = createNotifier({ ...deps, mailer: store.mailer, consumedEvents: store.consumedEvents });
    const acknowledged = store.published.find((item) => item.event.contract === EscalationAcknowledgedV1);
    if (!acknowledged) throw new Error('Acknowledged expected');
    expect(await notify(delivered(acknowledged.event, 'ack-1'))).toBe(1);
    expect(await notify(delivered(acknowledged.event, 'ack-1'))).toBe(0);
    expect(store.sentEmails.map((email) => email.to)).toEqual([['e1@example.com']]);
  });

  it('rethrows a failed send, so the event is retried and nothing is marked as sent', async () => {
    const { deps, store } = await inMemoryEscalations();
    const escalation = await raiseEscalation(deps, employeeP('e1'), raiseInput() as RaiseInput, context);
    await actOnEscalation(deps, departmentP('it'), escalation.escalationId, { kind: 'acknowledge' }, context);
    const failing = { send: async () => Promise.reject(new Error('Throttling: Maximum sending rate exceeded')) };
    const notify = createNotifier({ ...deps, mailer: failing, consumedEvents: store.consumedEvents });
    const acknowledged = store.published.find((item) => item.event.contract === EscalationAcknowledgedV1);
    if (!acknowledged) throw new Error('Acknowledged expected');
    await expect(notify(delivered(acknowledged.event, 'ack-2'))).rejects.toThrow(/Maximum sending rate/);
    expect(await store.consumedEvents.has('notifier', 'ack-2')).toBe(false);
  });
});

describe('event-consumer', () => {
  it('hands each event to its consumer, and refuses (so it is dead-lettered) an event it takes no part in', async () => {
    const { deps, store, detailTypes } = await inMemoryEscalations();
    const consume = createEventConsumer({ ...deps, themes: store.themes });
    const atRisk = busEvent(
      MenteeAtRiskV1,
      {
        menteeId: 'e1',
        mentorId: 'm1',
        podId: 'p1',
        checkInId: 'ci',
        risk: 'high',
        previousRisk: null,
        trigger: 'high-risk',
        droppedMeasures: [],
      },
      { id: 'risk-2' },
    );
    expect(await consume(atRisk)).toBe('created');
    const raised = store.published.find((item) => item.event.contract === EscalationRaisedV1);
    if (!raised) throw new Error('Raised expected');
    expect(await consume(delivered(raised.event))).toEqual({ signals: 0, circles: 0 });
    expect(detailTypes()).toEqual(['Escalation.Raised', 'Escalation.Routed']);
    const routed = store.published.find((item) => item.event.contract === EscalationRoutedV1);
    if (!routed) throw new Error('Routed expected');
    await expect(consume(delivered(routed.event))).rejects.toBeInstanceOf(UnacceptableEventError);
  });
});

describe('theme-detector', () => {
  it('counts each raised escalation toward its themes', async () => {
    const { deps, store } = await inMemoryEscalations();
    const detect = createThemeDetector({ ...deps, themes: store.themes });
    const escalation = await raiseEscalation(deps, employeeP('e1'), raiseInput() as RaiseInput, context);
    const raised = store.published.find((item) => item.event.contract === EscalationRaisedV1);
    if (!raised) throw new Error('Raised expected');
    expect(await detect(delivered(raised.event))).toEqual({ signals: 0, circles: 0 });
    expect(await store.themes.contributions('tag:vpn', '2026-01-01T00:00:00.000Z')).toEqual([
      expect.objectContaining({ escalationId: escalation.escalationId, podId: 'p1' }),
    ]);
  });
});
