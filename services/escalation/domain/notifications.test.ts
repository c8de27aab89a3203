import { describe, expect, it } from 'vitest';
import { QualityCircleSuggestedV1 } from '../../../shared/contracts/escalation-events';
import type { PendingEvent } from '../../../shared/events/outbox';
import { coachP, departmentP, employeeP, inMemoryEscalations, raiseInput } from '../../../test/builders/escalations';
import { actOnEscalation, raiseEscalation } from './escalations/escalations';
import type { RaiseInput } from './escalations/model';
import { emailsFor, formatInstant, type NotifiedEvent } from './notifications';
import { fireScheduledMilestone } from './sla/schedules';

const context = { correlationId: 'c' };

/** A recorded event as its consumer receives it. */
const asDelivered = (pending: PendingEvent): NotifiedEvent =>
  ({
    contract: pending.contract,
    detail: {
      metadata: {
        id: 'evt',
        version: 1,
        occurredAt: '2026-01-19T10:00:00Z',
        correlationId: 'c',
        service: 'escalation',
      },
      data: pending.data,
    },
  }) as NotifiedEvent;

const setup = async (overrides: Record<string, unknown> = {}) => {
  const ctx = await inMemoryEscalations();
  const escalation = await raiseEscalation(ctx.deps, employeeP('e1'), raiseInput(overrides) as RaiseInput, context);
  const act = (who: Parameters<typeof actOnEscalation>[1], action: Parameters<typeof actOnEscalation>[3]) =>
    actOnEscalation(ctx.deps, who, escalation.escalationId, action, context);
  const notifyDeps = { ...ctx.deps };
  const emailsOfLast = async (detailType: string) => {
    const recorded = [...ctx.store.published].reverse().find((item) => item.event.contract.detailType === detailType);
    if (!recorded) throw new Error(`no ${detailType} recorded`);
    return emailsFor(notifyDeps, asDelivered(recorded.event));
  };
  return { ...ctx, escalation, act, emailsOfLast, notifyDeps };
};

describe('emails to the reporter', () => {
  it('tells them when it is acknowledged, answered (with the answer), asked something, and resolved', async () => {
    const { act, emailsOfLast } = await setup();
    await act(departmentP('it'), { kind: 'acknowledge' });
    const [acknowledged] = await emailsOfLast('Escalation.Acknowledged');
    expect(acknowledged).toMatchObject({
      to: ['e1@example.com'],
      subject: 'Your escalation was acknowledged: VPN drops every hour',
    });
    expect(acknowledged?.text).toContain(
      'IT department acknowledged your escalation on 2026-01-19 10:00 Europe/Berlin.',
    );

    await act(departmentP('it'), { kind: 'comment', body: 'We see it too.\nLooking into it.' });
    const [answered] = await emailsOfLast('Escalation.CommentAdded');
    expect(answered?.subject).toBe('IT department answered your escalation: VPN drops every hour');
    expect(answered?.text).toContain('> We see it too.\n> Looking into it.');

    await act(departmentP('it'), { kind: 'status', status: 'waiting-on-reporter', comment: 'Which client version?' });
    const [asked] = await emailsOfLast('Escalation.StatusChanged');
    expect(asked?.subject).toBe('IT department needs your answer: VPN drops every hour');
    expect(asked?.text).toContain('> Which client version?');

    // Their own answer is not emailed back to them.
    await act(employeeP('e1'), { kind: 'comment', body: '5.2.1' });
    expect(await emailsOfLast('Escalation.CommentAdded')).toEqual([]);
    expect(await emailsOfLast('Escalation.StatusChanged')).toEqual([]);

    await act(departmentP('it'), { kind: 'status', status: 'resolved', comment: 'Rolled back the client.' });
    const [resolved] = await emailsOfLast('Escalation.Resolved');
    expect(resolved?.subject).toBe('Your escalation was resolved: VPN drops every hour');
    expect(resolved?.text).toContain('> Rolled back the client.');
  });

  it('names the life coach when the life coach answers', async () => {
    const { act, emailsOfLast } = await setup();
    await act(coachP, { kind: 'comment', body: 'I asked IT to hurry.' });
    expect((await emailsOfLast('Escalation.CommentAdded'))[0]?.subject).toBe(
      'The life coach answered your escalation: VPN drops every hour',
    );
  });
});

describe('breach emails', () => {
  it('go to the department lead at level 1 and the life coach at level 2, without the reporter or their pod', async () => {
    const { store, escalation, notifyDeps, clock } = await setup({ confidential: true, severity: 'critical' });
    clock.set('2026-01-19T12:00:00Z');
    const firing = {
      escalationId: escalation.escalationId,
      timer: 'first-response' as const,
      cycle: 1,
      planId: 1,
      dueAt: '2026-01-19T10:00:00.000Z',
    };
    await fireScheduledMilestone({ ...notifyDeps }, { ...firing, milestone: 'breach-2' }, context);
    const breaches = store.published.filter((item) => item.event.contract.detailType === 'Escalation.SlaBreached');
    expect(breaches.map((item) => (item.event.data as { level: number }).level)).toEqual([1, 2]);
    const [levelOne] = await emailsFor(notifyDeps, asDelivered((breaches[0] as (typeof breaches)[number]).event));
    const [levelTwo] = await emailsFor(notifyDeps, asDelivered((breaches[1] as (typeof breaches)[number]).event));
    expect(levelOne).toMatchObject({
      to: ['it-lead@example.com'],
      subject: 'SLA breached: first response of a critical escalation (IT department)',
    });
    expect(levelOne?.text).toContain('passed at 2026-01-19 10:30 Europe/Berlin');
    expect(levelTwo).toMatchObject({
      to: ['coach-1@example.com'],
      subject: 'SLA breached twice over: first response of a critical escalation (IT department)',
    });
    for (const email of [levelOne, levelTwo]) {
      expect(email?.text).not.toMatch(/\be1\b|\bp1\b|Person e1/);
    }
  });
});

describe('quality circle emails', () => {
  it('go to the mentor of each pod named', async () => {
    const { notifyDeps } = await setup();
    const emails = await emailsFor(
      notifyDeps,
      asDelivered({
        contract: QualityCircleSuggestedV1,
        data: {
          suggestionId: 's',
          tag: 'flaky-ci',
          podIds: ['p1', 'p2', 'p-unknown'],
          window: { from: '2025-12-20T00:00:00.000Z', to: '2026-01-19T00:00:00.000Z', days: 30 },
          suggestedAt: '2026-01-19T00:00:00.000Z',
        },
      }),
    );
    expect(emails.map((email) => email.to)).toEqual([['m1@example.com'], ['m2@example.com']]);
    expect(emails[0]?.subject).toBe('A quality circle on "flaky-ci"?');
    expect(emails[0]?.text).toContain(
      'mentees of your pod and of 2 other pods raised the same technical impediment: "flaky-ci"',
    );
  });
});

describe('formatInstant', () => {
  it('writes the instant on the reader’s wall clock', () => {
    expect(formatInstant('2026-07-01T10:00:00Z', 'America/New_York')).toBe('2026-07-01 06:00 America/New_York');
    expect(formatInstant(null, 'UTC')).toBe('no date');
  });
});
