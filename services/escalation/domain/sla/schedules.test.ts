import { describe, expect, it } from 'vitest';
import { departmentP, employeeP, inMemoryEscalations, raiseInput } from '../../../../test/builders/escalations';
import { actOnEscalation, raiseEscalation } from '../escalations/escalations';
import type { RaiseInput } from '../escalations/model';
import { fireScheduledMilestone, firingInputOf, reconcilePlan, reconcileSchedules } from './schedules';

const context = { correlationId: 'c' };

const setup = async () => {
  const ctx = await inMemoryEscalations();
  const deps = { ...ctx.deps, schedules: ctx.store.schedules };
  const escalation = await raiseEscalation(ctx.deps, employeeP('e1'), raiseInput() as RaiseInput, context);
  const id = escalation.escalationId;
  const act = (action: Parameters<typeof actOnEscalation>[3], who = departmentP('it')) =>
    actOnEscalation(ctx.deps, who, id, action, context);
  const scheduled = () =>
    ctx.store
      .scheduled()
      .map((item) => `${item.timer}:${item.cycle}:${item.planId}:${item.milestone}@${item.dueAt}`)
      .sort();
  return { ...ctx, deps, id, act, scheduled };
};

describe('one-time schedules follow the SLA timers', () => {
  it('creates one per milestone on routing, drops first response on acknowledgement, moves resolution on pause and resume', async () => {
    const { deps, id, act, scheduled, clock, store } = await setup();
    expect(await reconcileSchedules(deps, id)).toEqual({ created: 8, deleted: 0 });
    // Reconciling again changes nothing.
    expect(await reconcileSchedules(deps, id)).toEqual({ created: 0, deleted: 0 });

    clock.advance(30 * 60_000);
    await act({ kind: 'acknowledge' });
    expect(await reconcileSchedules(deps, id)).toEqual({ created: 0, deleted: 4 });
    expect(store.scheduled().every((item) => item.timer === 'resolution' && item.planId === 1)).toBe(true);

    await act({ kind: 'status', status: 'waiting-on-reporter', comment: 'Which version?' });
    expect(await reconcileSchedules(deps, id)).toEqual({ created: 0, deleted: 4 });
    expect(scheduled()).toEqual([]);

    clock.advance(24 * 3600_000);
    await act({ kind: 'comment', body: '5.2.1' }, employeeP('e1'));
    expect(await reconcileSchedules(deps, id)).toEqual({ created: 4, deleted: 0 });
    // Paused Monday 10:30 (Berlin) with 30 min counted; resumed Tuesday 10:30 with 15.5 h left:
    // Tue 6.5 + Wed 8 + Thu 1 -> Thursday 10:00.
    expect(scheduled()).toContain('resolution:1:3:breach@2026-01-22T09:00:00.000Z');

    await act({ kind: 'status', status: 'resolved', comment: 'Fixed' });
    expect(await reconcileSchedules(deps, id)).toEqual({ created: 0, deleted: 4 });
    expect(scheduled()).toEqual([]);
  });

  it('never deletes the schedules of a newer plan when it reconciles from a stale read', async () => {
    const { deps, id, act, store } = await setup();
    const stale = await deps.escalations.get(id);
    await act({ kind: 'acknowledge' });
    await act({ kind: 'status', status: 'waiting-on-reporter', comment: 'Which version?' });
    await act({ kind: 'comment', body: '5.2.1' }, employeeP('e1'));
    await reconcileSchedules(deps, id);
    const current = store.scheduled();
    expect(current.map((item) => item.planId)).toEqual([3, 3, 3, 3]);
    // A reconciliation that read the escalation before all this (its event was processed late).
    const plan = reconcilePlan(stale, await store.schedules.list(id), []);
    expect(plan.delete).toEqual([]);
  });

  it('deletes everything of an escalation that is gone', async () => {
    const { store } = await setup();
    const existing = [{ timer: 'resolution' as const, cycle: 1, planId: 1, milestone: 'breach' as const }];
    expect(reconcilePlan(undefined, existing, [])).toEqual({ create: [], delete: existing });
    expect(store.scheduled()).toEqual([]);
  });
});

describe('a milestone schedule firing', () => {
  it('reaches the milestone of the current plan once, and ignores a firing of an older plan', async () => {
    const { deps, id, act, clock, detailTypes } = await setup();
    expect((await deps.escalations.get(id))?.timers.firstResponse.planId).toBe(1);
    const firing = {
      escalationId: id,
      timer: 'first-response' as const,
      cycle: 1,
      milestone: 'warning-50' as const,
      planId: 1,
      dueAt: '2026-01-19T11:00:00.000Z',
    };
    clock.set('2026-01-19T11:00:00Z');
    expect(await fireScheduledMilestone(deps, firing, context)).toBe('reached');
    expect(await fireScheduledMilestone(deps, firing, context)).toBe('stale');
    await act({ kind: 'acknowledge' });
    expect(await fireScheduledMilestone(deps, { ...firing, milestone: 'breach' }, context)).toBe('stale');
    expect(detailTypes().filter((type) => type.startsWith('Escalation.Sla'))).toEqual(['Escalation.SlaWarning']);
    expect(await fireScheduledMilestone(deps, { ...firing, escalationId: 'gone' }, context)).toBe('stale');
  });

  it('hands the timer function exactly what it needs', () => {
    expect(
      firingInputOf('esc-1', {
        timer: 'resolution',
        cycle: 2,
        milestone: 'breach-2',
        planId: 5,
        dueAt: '2026-01-23T10:00:00.000Z',
      }),
    ).toEqual({
      escalationId: 'esc-1',
      timer: 'resolution',
      cycle: 2,
      milestone: 'breach-2',
      planId: 5,
      dueAt: '2026-01-23T10:00:00.000Z',
    });
  });
});
