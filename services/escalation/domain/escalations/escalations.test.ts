import { describe, expect, it } from 'vitest';
import {
  coachP,
  departmentP,
  employeeP,
  inMemoryEscalations,
  principal,
  raiseInput,
} from '../../../../test/builders/escalations';
import {
  ConcurrentEscalationChangeError,
  EscalationNotFoundError,
  IllegalTransitionError,
  NotEntitledError,
} from './errors';
import {
  actOnEscalation,
  listAllEscalations,
  listDepartmentQueue,
  listOwnEscalations,
  raiseEscalation,
  readEscalation,
} from './escalations';
import type { RaiseInput } from './model';

const context = { correlationId: 'corr-1' };
const input = (overrides: Record<string, unknown> = {}) => raiseInput(overrides) as RaiseInput;

describe('raising an escalation', () => {
  it('takes the pod from the directory: a mentee’s pod, else the pod the caller mentors, else none', async () => {
    const { deps } = await inMemoryEscalations();
    expect((await raiseEscalation(deps, employeeP('e1'), input(), context)).podId).toBe('p1');
    const byMentor = await raiseEscalation(deps, principal('m2', ['employee', 'mentor']), input(), context);
    expect([byMentor.podId, byMentor.reporterPodRole]).toEqual(['p2', 'mentor']);
    const byOutsider = await raiseEscalation(deps, employeeP('outsider'), input(), context);
    expect([byOutsider.podId, byOutsider.reporterPodRole]).toEqual([null, null]);
  });

  it('routes by the stored rules and records Raised and Routed with the request’s correlation id', async () => {
    const { deps, store, detailTypes } = await inMemoryEscalations();
    const careers = await raiseEscalation(
      deps,
      employeeP('e1'),
      input({ category: 'career-certification', tags: [] }),
      context,
    );
    expect(careers.departmentId).toBe('hr');
    const personal = await raiseEscalation(deps, employeeP('e1'), input({ category: 'personal' }), context);
    expect(personal.departmentId).toBe('life-coach');
    expect(detailTypes()).toEqual(['Escalation.Raised', 'Escalation.Routed', 'Escalation.Raised', 'Escalation.Routed']);
    expect(store.published.every((recorded) => recorded.correlationId === 'corr-1')).toBe(true);
  });

  it('counts the life coach’s escalations in a default calendar until the department is stored', async () => {
    const { deps } = await inMemoryEscalations();
    const personal = await raiseEscalation(
      deps,
      employeeP('e1'),
      input({ category: 'personal', severity: 'high' }),
      context,
    );
    expect(personal.calendar.timeZone).toBe('UTC');
    expect(personal.timers.firstResponse.targetMinutes).toBe(4 * 60);
  });
});

describe('who sees and who acts', () => {
  const raised = async (overrides: Record<string, unknown> = {}) => {
    const ctx = await inMemoryEscalations();
    const escalation = await raiseEscalation(ctx.deps, employeeP('e1'), input(overrides), context);
    const act = (who: Parameters<typeof actOnEscalation>[1], action: Parameters<typeof actOnEscalation>[3]) =>
      actOnEscalation(ctx.deps, who, escalation.escalationId, action, context);
    return { ...ctx, escalation, act };
  };

  it('lets the reporter, its department and the life coach read it, each as themselves, and nobody else', async () => {
    const { deps, escalation } = await raised();
    const read = (who: Parameters<typeof readEscalation>[1]) => readEscalation(deps, who, escalation.escalationId);
    expect((await read(employeeP('e1'))).viewer).toBe('reporter');
    expect((await read(departmentP('it'))).viewer).toBe('department');
    expect((await read(coachP)).viewer).toBe('life-coach');
    await expect(read(departmentP('hr'))).rejects.toBeInstanceOf(EscalationNotFoundError);
    await expect(read(employeeP('e2'))).rejects.toBeInstanceOf(EscalationNotFoundError);
    await expect(read(principal('admin-1', ['admin']))).rejects.toBeInstanceOf(EscalationNotFoundError);
    await expect(readEscalation(deps, coachP, 'no-such')).rejects.toBeInstanceOf(EscalationNotFoundError);
  });

  it('lets only the owning department acknowledge and move the status, and only the reporter reopen and withdraw', async () => {
    const { act } = await raised();
    await expect(act(employeeP('e1'), { kind: 'acknowledge' })).rejects.toBeInstanceOf(NotEntitledError);
    await expect(act(coachP, { kind: 'acknowledge' })).rejects.toBeInstanceOf(NotEntitledError);
    await expect(act(departmentP('hr'), { kind: 'acknowledge' })).rejects.toBeInstanceOf(EscalationNotFoundError);
    expect((await act(departmentP('it'), { kind: 'acknowledge' })).escalation.status).toBe('acknowledged');
    await expect(act(departmentP('it'), { kind: 'withdraw' })).rejects.toBeInstanceOf(NotEntitledError);
    await expect(act(coachP, { kind: 'reopen' })).rejects.toBeInstanceOf(NotEntitledError);
    await expect(act(departmentP('it'), { kind: 'reopen' })).rejects.toBeInstanceOf(NotEntitledError);
    await expect(act(departmentP('it'), { kind: 'acknowledge' })).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it('lets the life coach work the escalations routed to the life coach', async () => {
    const { act } = await raised({ category: 'personal' });
    const acked = await act(coachP, { kind: 'acknowledge' });
    expect(acked.escalation.status).toBe('acknowledged');
    const asked = await act(coachP, {
      kind: 'status',
      status: 'waiting-on-reporter',
      comment: 'Can we talk on Friday?',
    });
    expect(asked.comment?.authorRole).toBe('life-coach');
  });

  it('takes comments from the reporter, the department and the life coach, in their own capacity', async () => {
    const { act, deps, escalation } = await raised();
    expect((await act(employeeP('e1'), { kind: 'comment', body: 'Any news?' })).comment?.authorRole).toBe('reporter');
    expect((await act(departmentP('it'), { kind: 'comment', body: 'On it.' })).comment?.authorRole).toBe('department');
    expect((await act(coachP, { kind: 'comment', body: 'Following this.' })).comment?.authorRole).toBe('life-coach');
    expect((await deps.escalations.comments(escalation.escalationId)).map((comment) => comment.body)).toEqual([
      'Any news?',
      'On it.',
      'Following this.',
    ]);
  });

  it('redoes an action on fresh data when another write got in between', async () => {
    const { act, deps } = await raised();
    const update = deps.escalations.update;
    let calls = 0;
    deps.escalations.update = async (change, writeContext) => {
      if (++calls === 1) throw new ConcurrentEscalationChangeError(change.escalation.escalationId);
      return update(change, writeContext);
    };
    expect((await act(departmentP('it'), { kind: 'acknowledge' })).escalation.version).toBe(2);
    expect(calls).toBe(2);
  });
});

describe('listings', () => {
  it('gives a department its own queue only, the life coach any queue, a reporter their own, the life coach all by state', async () => {
    const { deps } = await inMemoryEscalations();
    const vpn = await raiseEscalation(deps, employeeP('e1'), input(), context);
    await raiseEscalation(deps, employeeP('e2'), input({ category: 'career-certification' }), context);
    await raiseEscalation(deps, employeeP('e1'), input({ category: 'tools', summary: 'Laptop too slow' }), context);
    await actOnEscalation(deps, departmentP('it'), vpn.escalationId, { kind: 'acknowledge' }, context);

    const queue = await listDepartmentQueue(deps, departmentP('it'), 'it', { limit: 10 });
    expect(queue.items.map((item) => item.status)).toEqual(['acknowledged', 'open']);
    expect(queue.viewer).toBe('department');
    expect(
      (await listDepartmentQueue(deps, departmentP('it'), 'it', { limit: 10, status: 'open' })).items,
    ).toHaveLength(1);
    await expect(listDepartmentQueue(deps, departmentP('it'), 'hr', { limit: 10 })).rejects.toBeInstanceOf(
      NotEntitledError,
    );
    expect((await listDepartmentQueue(deps, coachP, 'hr', { limit: 10 })).viewer).toBe('life-coach');

    expect((await listOwnEscalations(deps, employeeP('e1'), { limit: 10 })).items).toHaveLength(2);
    expect((await listOwnEscalations(deps, employeeP('e3'), { limit: 10 })).items).toHaveLength(0);
    expect((await listAllEscalations(deps, { limit: 10, status: 'open' })).items).toHaveLength(2);
    expect((await listAllEscalations(deps, { limit: 10, slaState: 'on-track' })).items).toHaveLength(3);
    const firstPage = await listAllEscalations(deps, { limit: 2 });
    const secondPage = await listAllEscalations(deps, { limit: 2, cursor: firstPage.nextCursor });
    expect([...firstPage.items, ...secondPage.items].map((item) => item.escalationId).sort()).toHaveLength(3);
    expect(secondPage.nextCursor).toBeUndefined();
  });
});
