/**
 * SLA timing on the local runtime, in real time: each milestone has a one-time schedule (created
 * by the SLA scheduler through the Scheduler API) that fires at its instant; a stop (acknowledge,
 * resolve) deletes the schedules of what stopped; a pause deletes them and the resume plans them
 * again, moved by exactly the length of the pause; a breach emails the department lead.
 *
 * The department is open around the clock in UTC, with a critical first response of 1 minute
 * (warnings at 30 and 45 s, breach at 60 s) and resolution of 2 minutes: the test takes about a
 * minute of waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OneTimeSchedule } from '../../local/one-time-scheduler';
import { demoDepartments, demoRoutingRules, seedDemoDepartments } from '../../local/seed/demo-departments';
import { departmentInput } from '../builders/escalations';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { storedEmails } from '../support/ses';
import { busEvents, envelopeOf, eventually } from './dev-view';

const admin = { sub: 'admin-1', groups: ['admin', 'employee'] };
const reporter = { sub: 'r1', groups: ['employee'] };
const ops = { sub: 'ops', departmentClient: 'ops' };
const always = [{ start: '00:00', end: '24:00' }];

interface FiringInput {
  escalationId: string;
  timer: string;
  cycle: number;
  milestone: string;
  planId: number;
  dueAt: string;
}

describe('SLA milestones on the local runtime', () => {
  let platform: TestPlatform;
  const api = (path: string, request?: Parameters<TestPlatform['api']>[1]) => platform.api(path, request);

  /** The one-time schedules of an escalation, with what each will hand the SLA timer. */
  const schedulesOf = (escalationId: string) =>
    platform.oneTimeSchedules
      .schedules()
      .filter((schedule: OneTimeSchedule) => schedule.Name.startsWith(`${escalationId}.`))
      .map((schedule) => ({ ...schedule, firing: JSON.parse(schedule.Target.Input ?? '{}') as FiringInput }));
  const milestoneEvents = async (escalationId: string) =>
    (await busEvents(platform))
      .filter((event) => event.detailType === 'Escalation.SlaWarning' || event.detailType === 'Escalation.SlaBreached')
      .filter((event) => envelopeOf(event).data.escalationId === escalationId)
      .map((event): Record<string, unknown> & { detailType: string; occurredAt: string } => ({
        ...envelopeOf(event).data,
        detailType: event.detailType,
        occurredAt: (event.detail as { metadata: { occurredAt: string } }).metadata.occurredAt,
      }));
  const raise = async (summary: string) => {
    const response = await api('/escalations', {
      method: 'POST',
      as: reporter,
      json: { category: 'tools', severity: 'critical', summary, details: 'Production is down.' },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { escalationId: string; createdAt: string };
  };
  const act = async (escalationId: string, path: string, body?: object, as: object = ops) => {
    const response = await api(`/escalations/${escalationId}/${path}`, {
      method: 'POST',
      as: as as never,
      ...(body ? { json: body } : {}),
    });
    expect(response.status).toBeLessThan(300);
    return response.json() as Promise<{ updatedAt: string; comment?: { createdAt: string } }>;
  };

  beforeAll(async () => {
    platform = await startTestPlatform();
    // The demo's departments and rules (npm start -- --seed demo), seeded twice: the second time changes nothing.
    const adminToken = await platform.mintToken(admin);
    expect(await seedDemoDepartments(platform.urls.api, adminToken)).toEqual({
      departmentsCreated: Object.keys(demoDepartments),
      routingRulesVersion: 1,
    });
    expect(await seedDemoDepartments(platform.urls.api, adminToken)).toEqual({
      departmentsCreated: [],
      routingRulesVersion: 1,
    });
    const targets = departmentInput().slaTargets;
    const department = await api('/departments/ops', {
      method: 'PUT',
      as: admin,
      json: {
        ...departmentInput(),
        name: 'Operations',
        leadEmail: 'ops-lead@example.com',
        timezone: 'UTC',
        businessHours: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always },
        slaTargets: { ...targets, critical: { firstResponseMinutes: 1, resolutionMinutes: 2 } },
      },
    });
    expect(department.status).toBe(201);
    const rules = await api('/routing-rules', {
      method: 'PUT',
      as: admin,
      json: {
        basedOnVersion: 1,
        rules: [
          ...demoRoutingRules.filter((rule) => rule.category !== 'tools'),
          { ruleId: 'tools-to-ops', category: 'tools', departmentId: 'ops' },
        ],
        fallbackDepartmentId: 'life-coach',
      },
    });
    expect(rules.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('fires each milestone at its instant; a stop cancels, a pause moves; a breach reaches the lead', async () => {
    // A: worked by the department (stopped and paused). B: left alone until it breaches.
    const a = await raise('Checkout is down');
    const b = await raise('Search is down');
    const routedAt = (raised: { createdAt: string }) => Date.parse(raised.createdAt);

    // Eight schedules each: four milestones of each timer, at 50/75/100/200% of 1 and 2 minutes.
    const planned = await eventually(platform, async () => {
      const found = schedulesOf(a.escalationId);
      expect(found).toHaveLength(8);
      return found;
    });
    const offsets = planned
      .map((schedule) => [
        schedule.firing.timer,
        schedule.firing.milestone,
        Date.parse(schedule.firing.dueAt) - routedAt(a),
      ])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])) || Number(x[2]) - Number(y[2]));
    expect(offsets).toEqual([
      ['first-response', 'warning-50', 30_000],
      ['first-response', 'warning-75', 45_000],
      ['first-response', 'breach', 60_000],
      ['first-response', 'breach-2', 120_000],
      ['resolution', 'warning-50', 60_000],
      ['resolution', 'warning-75', 90_000],
      ['resolution', 'breach', 120_000],
      ['resolution', 'breach-2', 240_000],
    ]);
    // Each fires on the second after its instant (at() takes whole seconds, rounded up).
    for (const schedule of planned) {
      expect(Date.parse(schedule.fireAt)).toBe(Math.ceil(Date.parse(schedule.firing.dueAt) / 1000) * 1000);
    }

    // The first warning fires at its instant: reached exactly then, emitted at or after it.
    const [warning] = await eventually(
      platform,
      async () => {
        const events = await milestoneEvents(a.escalationId);
        expect(events).toHaveLength(1);
        return events;
      },
      45_000,
    );
    expect(warning).toMatchObject({ detailType: 'Escalation.SlaWarning', timer: 'first-response', percent: 50 });
    const dueAt = routedAt(a) + 30_000;
    expect(Date.parse(String(warning?.reachedAt))).toBe(dueAt);
    expect(Date.parse(String(warning?.occurredAt))).toBeGreaterThanOrEqual(dueAt);

    // A stop cancels: acknowledged now, the first response's remaining schedules are deleted.
    await act(a.escalationId, 'acknowledge');
    await eventually(platform, async () => {
      expect(schedulesOf(a.escalationId).filter((schedule) => schedule.firing.timer === 'first-response')).toEqual([]);
    });

    // A pause deletes the resolution's schedules; the resume plans them again, moved by the pause.
    const before = schedulesOf(a.escalationId).find((schedule) => schedule.firing.milestone === 'breach');
    const paused = await act(a.escalationId, 'status', { status: 'waiting-on-reporter', comment: 'Which region?' });
    await eventually(platform, async () => expect(schedulesOf(a.escalationId)).toEqual([]));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const resumed = await act(a.escalationId, 'comments', { body: 'eu-west-1' }, reporter);
    const after = await eventually(platform, async () => {
      const found = schedulesOf(a.escalationId).find((schedule) => schedule.firing.milestone === 'breach');
      expect(found).toBeDefined();
      return found;
    });
    const pause = Date.parse(resumed.comment?.createdAt ?? '') - Date.parse(paused.updatedAt);
    expect(pause).toBeGreaterThanOrEqual(2_000);
    expect(Date.parse(after?.firing.dueAt ?? '') - Date.parse(before?.firing.dueAt ?? '')).toBe(pause);
    expect(after?.firing.planId).toBe((before?.firing.planId ?? 0) + 2);

    // Resolved: nothing left to fire.
    await act(a.escalationId, 'status', { status: 'resolved', comment: 'Failed over.' });
    await eventually(platform, async () => expect(schedulesOf(a.escalationId)).toEqual([]));

    // B breaches its first response at 60 s: the event at that instant, the lead emailed.
    const breach = await eventually(
      platform,
      async () => {
        const found = (await milestoneEvents(b.escalationId)).find(
          (event) => event.detailType === 'Escalation.SlaBreached',
        );
        expect(found).toBeDefined();
        return found;
      },
      60_000,
    );
    expect(breach).toMatchObject({
      timer: 'first-response',
      level: 1,
      breachedAt: new Date(routedAt(b) + 60_000).toISOString(),
    });
    const email = await eventually(platform, async () => {
      const found = (await storedEmails({ storeUrl: platform.urls.sesStore })).find((item) =>
        item.destination.to.includes('ops-lead@example.com'),
      );
      expect(found).toBeDefined();
      return found;
    });
    expect(email?.subject).toBe('SLA breached: first response of a critical escalation (Operations)');
    // A's first response never breached: its schedules were deleted before.
    expect((await milestoneEvents(a.escalationId)).map((event) => `${event.timer} ${event.detailType}`)).toEqual([
      'first-response Escalation.SlaWarning',
    ]);
    expect(platform.deadLetters()).toEqual([]);
  }, 180_000);
});
