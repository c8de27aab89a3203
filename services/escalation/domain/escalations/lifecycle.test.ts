import { describe, expect, it } from 'vitest';
import { storedDepartment } from '../../../../test/builders/escalations';
import { IllegalTransitionError } from './errors';
import {
  acknowledge,
  addComment,
  changeStatus,
  type EscalationChange,
  fireSla,
  openEscalation,
  reopen,
  scheduledMilestonesOf,
  withdraw,
} from './lifecycle';
import type { Actor, Escalation } from './model';

const department: Actor = { role: 'department', departmentId: 'it', actorId: 'client-it' };
const reporter: Actor = { role: 'reporter', personId: 'e1' };
/** Berlin time: CET, UTC+1. */
const berlin = (local: string) => new Date(`${local}+01:00`);

const opened = (overrides: { confidential?: boolean; severity?: 'medium' | 'critical' } = {}) =>
  openEscalation({
    escalationId: 'esc-1',
    origin: 'person',
    sourceEventId: null,
    reporterId: 'e1',
    podId: 'p1',
    reporterPodRole: 'mentee',
    input: {
      category: 'tools',
      severity: overrides.severity ?? 'medium',
      summary: 'VPN drops every hour',
      details: 'It disconnects every hour.',
      tags: ['vpn'],
      confidential: overrides.confidential ?? false,
    },
    context: {},
    routing: { departmentId: 'it', rulesVersion: 3, ruleId: 'tools-to-it', reason: 'rule tools-to-it: category tools' },
    // medium: first response 4 h, resolution 16 h, Mon-Fri 09:00-17:00 Berlin.
    department: storedDepartment('it'),
    at: berlin('2026-01-19T10:00:00'),
  });

const dataOf = (change: EscalationChange, detailType: string) =>
  change.events.find((event) => event.contract.detailType === detailType)?.data as Record<string, unknown> | undefined;
const typesOf = (change: EscalationChange) => change.events.map((event) => event.contract.detailType);

describe('an escalation from raise to resolve', () => {
  it('is raised and routed at once, both timers running in the department’s calendar', () => {
    const change = opened();
    expect(typesOf(change)).toEqual(['Escalation.Raised', 'Escalation.Routed']);
    expect(change.escalation).toMatchObject({ status: 'open', slaState: 'on-track', departmentId: 'it', version: 1 });
    expect(dataOf(change, 'Escalation.Routed')).toMatchObject({
      departmentId: 'it',
      reporterId: 'e1',
      podId: 'p1',
      routing: { rulesVersion: 3, ruleId: 'tools-to-it' },
      // 4 business hours from Monday 10:00 -> 14:00; 16 h: Mon 7 + Tue 8 + Wed 1 -> Wednesday 10:00.
      sla: {
        timeZone: 'Europe/Berlin',
        firstResponseDueAt: '2026-01-19T13:00:00.000Z',
        resolutionDueAt: '2026-01-21T09:00:00.000Z',
      },
    });
    // Eight one-time schedules: four milestones of each timer.
    expect(scheduledMilestonesOf(change.escalation)).toHaveLength(8);
  });

  it('leaves the reporter and the pod out of every event of a confidential escalation', () => {
    const change = opened({ confidential: true });
    for (const event of change.events) {
      expect(event.data).toMatchObject({ reporterId: null, podId: null, confidential: true });
    }
    const text = JSON.stringify(change.events.map((event) => event.data));
    expect(text).not.toContain('e1');
    expect(text).not.toContain('p1');
  });

  it('stops first response on acknowledgement, pauses while waiting on the reporter, resumes on their answer, stops on resolve', () => {
    let escalation = opened().escalation;
    const acked = acknowledge(escalation, berlin('2026-01-19T11:30:00'));
    escalation = acked.escalation;
    expect(dataOf(acked, 'Escalation.Acknowledged')).toMatchObject({
      firstResponseBusinessMinutes: 90,
      withinTarget: true,
    });
    expect(escalation.history).toEqual([
      expect.objectContaining({
        timer: 'first-response',
        cycle: 1,
        elapsedMinutes: 90,
        breached: false,
        outcome: 'stopped',
      }),
    ]);
    expect(scheduledMilestonesOf(escalation).map((planned) => planned.timer)).toEqual(Array(4).fill('resolution'));

    // Monday 16:00: a question to the reporter; the resolution timer pauses at 6 h (under 50%).
    const asked = changeStatus(
      escalation,
      department,
      'waiting-on-reporter',
      'Which client version?',
      'c-1',
      berlin('2026-01-19T16:00:00'),
    );
    escalation = asked.escalation;
    expect(asked.comment).toMatchObject({
      authorRole: 'department',
      statusChange: { from: 'acknowledged', to: 'waiting-on-reporter' },
    });
    expect(escalation).toMatchObject({ status: 'waiting-on-reporter', slaState: 'paused' });
    expect(typesOf(asked)).toEqual(['Escalation.StatusChanged']);
    expect(scheduledMilestonesOf(escalation)).toEqual([]);

    // Wednesday 09:00 the reporter answers: resumed, 10 business hours left -> Thursday 11:00.
    const answered = addComment(escalation, reporter, '5.2.1', 'c-2', berlin('2026-01-21T09:00:00'));
    escalation = answered.escalation;
    expect(typesOf(answered)).toEqual(['Escalation.CommentAdded', 'Escalation.StatusChanged']);
    expect(dataOf(answered, 'Escalation.StatusChanged')).toMatchObject({
      from: 'waiting-on-reporter',
      to: 'in-progress',
      by: 'reporter',
    });
    expect(escalation.timers.resolution).toMatchObject({ status: 'running', elapsedMs: 6 * 3600_000 });
    expect(scheduledMilestonesOf(escalation).find((planned) => planned.milestone === 'breach')?.dueAt).toBe(
      '2026-01-22T10:00:00.000Z',
    );

    // Resolved Wednesday 12:00 (9 h counted): the 50% mark passed at 11:00 and is reached there.
    const resolved = changeStatus(
      escalation,
      department,
      'resolved',
      'Rolled back to 5.1.',
      'c-3',
      berlin('2026-01-21T12:00:00'),
    );
    escalation = resolved.escalation;
    expect(typesOf(resolved)).toEqual(['Escalation.SlaWarning', 'Escalation.Resolved']);
    expect(dataOf(resolved, 'Escalation.SlaWarning')).toMatchObject({
      percent: 50,
      reachedAt: '2026-01-21T10:00:00.000Z',
    });
    expect(dataOf(resolved, 'Escalation.Resolved')).toMatchObject({
      cycle: 1,
      commentId: 'c-3',
      resolutionBusinessMinutes: 9 * 60,
      withinTarget: true,
    });
    expect(escalation).toMatchObject({ status: 'resolved', slaState: 'met', resolvedAt: '2026-01-21T11:00:00.000Z' });
    expect(scheduledMilestonesOf(escalation)).toEqual([]);
  });

  it('starts a new resolution cycle on reopen, keeping every cycle in the history', () => {
    let escalation = acknowledge(opened().escalation, berlin('2026-01-19T11:00:00')).escalation;
    escalation = changeStatus(
      escalation,
      department,
      'resolved',
      'Done',
      'c-1',
      berlin('2026-01-19T15:00:00'),
    ).escalation;
    const reopened = reopen(escalation, reporter, 'Still dropping', 'c-2', berlin('2026-01-20T09:00:00'));
    expect(dataOf(reopened, 'Escalation.Reopened')).toMatchObject({
      cycle: 2,
      resolutionDueAt: '2026-01-21T16:00:00.000Z',
    });
    escalation = changeStatus(
      reopened.escalation,
      department,
      'resolved',
      'Fixed for good',
      'c-3',
      berlin('2026-01-20T10:00:00'),
    ).escalation;
    expect(escalation.history.map((cycle) => [cycle.timer, cycle.cycle, cycle.elapsedMinutes, cycle.breached])).toEqual(
      [
        ['first-response', 1, 60, false],
        ['resolution', 1, 5 * 60, false],
        ['resolution', 2, 60, false],
      ],
    );
  });

  it('cancels the timers when withdrawn, and fires nothing afterwards', () => {
    const raised = opened().escalation;
    const withdrawn = withdraw(raised, reporter, 'Solved it myself', 'c-1', berlin('2026-01-19T12:00:00'));
    expect(withdrawn.escalation).toMatchObject({ status: 'withdrawn', slaState: 'cancelled' });
    expect(withdrawn.escalation.history.map((cycle) => [cycle.timer, cycle.outcome])).toEqual([
      ['first-response', 'cancelled'],
      ['resolution', 'cancelled'],
    ]);
    expect(scheduledMilestonesOf(withdrawn.escalation)).toEqual([]);
    const breach = {
      escalationId: 'esc-1',
      timer: 'first-response' as const,
      cycle: 1,
      milestone: 'breach' as const,
      planId: 1,
    };
    expect(fireSla(withdrawn.escalation, breach, berlin('2026-01-19T14:00:00'))).toBeNull();
  });

  it('reaches a milestone when its schedule fires, and records a late breach on stop', () => {
    const raised = opened({ severity: 'critical' }).escalation; // first response 30 min, resolution 4 h
    const warning = fireSla(
      raised,
      { escalationId: 'esc-1', timer: 'first-response', cycle: 1, milestone: 'warning-50', planId: 1 },
      berlin('2026-01-19T10:15:00'),
    );
    expect(warning && typesOf(warning)).toEqual(['Escalation.SlaWarning']);
    expect(warning && dataOf(warning, 'Escalation.SlaWarning')).toMatchObject({
      percent: 50,
      timer: 'first-response',
      reachedAt: '2026-01-19T09:15:00.000Z',
    });
    // Acknowledged at 10:40, after the 30-minute target: the 75% warning and the breach are reached there.
    const late = acknowledge(warning?.escalation ?? raised, berlin('2026-01-19T10:40:00'));
    expect(typesOf(late)).toEqual(['Escalation.SlaWarning', 'Escalation.SlaBreached', 'Escalation.Acknowledged']);
    expect(dataOf(late, 'Escalation.SlaBreached')).toMatchObject({
      level: 1,
      breachedAt: '2026-01-19T09:30:00.000Z',
      severity: 'critical',
    });
    expect(dataOf(late, 'Escalation.Acknowledged')).toMatchObject({
      withinTarget: false,
      firstResponseBusinessMinutes: 40,
    });
    expect(late.escalation.slaState).toBe('breached');
  });
});

describe('illegal moves', () => {
  const statusOf = (escalation: Escalation) => escalation.status;
  const refusal = (act: () => unknown) => {
    try {
      act();
    } catch (error) {
      if (error instanceof IllegalTransitionError) return error.message;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('names what is allowed from where the escalation is', () => {
    const raised = opened().escalation;
    expect(
      refusal(() => changeStatus(raised, department, 'in-progress', 'x', 'c', berlin('2026-01-19T11:00:00'))),
    ).toBe('The escalation is open: it cannot move to in-progress. Allowed from open: acknowledge, withdraw.');
    const acked = acknowledge(raised, berlin('2026-01-19T11:00:00')).escalation;
    expect(refusal(() => acknowledge(acked, berlin('2026-01-19T12:00:00')))).toBe(
      'The escalation is acknowledged: it cannot be acknowledged. Allowed from acknowledged: in-progress, waiting-on-reporter, resolved, withdraw.',
    );
    expect(refusal(() => reopen(acked, reporter, undefined, 'c', berlin('2026-01-19T12:00:00')))).toMatch(
      /cannot be reopened/,
    );
    const resolved = changeStatus(acked, department, 'resolved', 'done', 'c', berlin('2026-01-19T12:00:00')).escalation;
    expect(refusal(() => withdraw(resolved, reporter, undefined, 'c', berlin('2026-01-19T13:00:00')))).toBe(
      'The escalation is resolved: it cannot be withdrawn. Allowed from resolved: reopen.',
    );
    const withdrawn = withdraw(acked, reporter, undefined, 'c', berlin('2026-01-19T13:00:00')).escalation;
    expect(statusOf(withdrawn)).toBe('withdrawn');
    expect(refusal(() => addComment(withdrawn, reporter, 'hello?', 'c', berlin('2026-01-19T14:00:00')))).toBe(
      'The escalation is withdrawn: it cannot take comments. Nothing moves it from withdrawn.',
    );
  });
});
