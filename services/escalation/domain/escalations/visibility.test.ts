import { describe, expect, it } from 'vitest';
import { coachP, departmentP, employeeP, inMemoryEscalations, raiseInput } from '../../../../test/builders/escalations';
import { actOnEscalation, raiseEscalation } from './escalations';
import type { RaiseInput } from './model';
import { escalationView } from './visibility';

const context = { correlationId: 'c' };

const confidentialWithComments = async () => {
  const { deps, clock } = await inMemoryEscalations();
  const escalation = await raiseEscalation(
    deps,
    employeeP('e1'),
    raiseInput({ confidential: true, category: 'tools' }) as RaiseInput,
    context,
  );
  await actOnEscalation(
    deps,
    employeeP('e1'),
    escalation.escalationId,
    { kind: 'comment', body: 'More detail' },
    context,
  );
  await actOnEscalation(deps, departmentP('it'), escalation.escalationId, { kind: 'comment', body: 'Thanks' }, context);
  const stored = await deps.escalations.get(escalation.escalationId);
  const comments = await deps.escalations.comments(escalation.escalationId);
  if (!stored) throw new Error('stored escalation expected');
  return { stored, comments, now: clock() };
};

describe('what each viewer sees', () => {
  it('hides who raised a confidential escalation, their pod and its facts from the department', async () => {
    const { stored, comments, now } = await confidentialWithComments();
    const view = escalationView(stored, 'department', now, comments);
    expect(view).toMatchObject({ view: 'department', reporterId: null, podId: null, context: {}, confidential: true });
    expect(view.comments?.map((comment) => [comment.authorRole, comment.authorId])).toEqual([
      ['reporter', undefined],
      ['department', undefined],
    ]);
    const text = JSON.stringify(view);
    expect(text).not.toContain('e1');
    expect(text).not.toContain('p1');
  });

  it('shows the reporter their own escalation, and the life coach everything including who wrote each comment', async () => {
    const { stored, comments, now } = await confidentialWithComments();
    expect(escalationView(stored, 'reporter', now, comments)).toMatchObject({ reporterId: 'e1', podId: 'p1' });
    const coach = escalationView(stored, 'life-coach', now, comments);
    expect(coach).toMatchObject({ reporterId: 'e1', podId: 'p1' });
    expect(coach.comments?.map((comment) => comment.authorId)).toEqual(['e1', 'client-it']);
  });

  it('shows the department a non-confidential escalation’s reporter and pod', async () => {
    const { deps, clock } = await inMemoryEscalations();
    const escalation = await raiseEscalation(deps, employeeP('e1'), raiseInput() as RaiseInput, context);
    expect(escalationView(escalation, 'department', clock())).toMatchObject({ reporterId: 'e1', podId: 'p1' });
    expect(escalationView(escalation, 'department', clock()).comments).toBeUndefined();
  });

  it('reports SLA progress as of now: elapsed business minutes and the due instant', async () => {
    const { deps, clock } = await inMemoryEscalations();
    // Raised Monday 10:00 Berlin, medium: first response 4 h.
    const escalation = await raiseEscalation(deps, employeeP('e1'), raiseInput() as RaiseInput, context);
    clock.advance(90 * 60_000);
    const view = escalationView(escalation, 'life-coach', clock());
    expect(view.sla.firstResponse).toMatchObject({
      status: 'running',
      elapsedMinutes: 90,
      targetMinutes: 240,
      dueAt: '2026-01-19T13:00:00.000Z',
      breached: false,
    });
    expect(coachP.roles.has('life-coach')).toBe(true);
  });
});
