import { createInMemoryEscalationStore } from '../../services/escalation/adapters/in-memory-store';
import type { Department, DepartmentInput } from '../../services/escalation/domain/departments';
import type { EscalationDependencies } from '../../services/escalation/domain/ports';
import type { RoutingSettings } from '../../services/escalation/domain/routing';
import type { Principal } from '../../shared/auth/principal';
import type { Role } from '../../shared/auth/roles';
import { fixedClock, sequentialIds } from '../../shared/ports';

const weekdays = [{ start: '09:00', end: '17:00' }];

/** A department as an admin sends it: Berlin, Monday to Friday 09:00-17:00. */
export const departmentInput = (overrides: Partial<DepartmentInput> = {}): DepartmentInput => ({
  name: 'IT service desk',
  leadEmail: 'it-lead@example.com',
  timezone: 'Europe/Berlin',
  businessHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] },
  holidays: [],
  slaTargets: {
    critical: { firstResponseMinutes: 30, resolutionMinutes: 4 * 60 },
    high: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
    medium: { firstResponseMinutes: 4 * 60, resolutionMinutes: 16 * 60 },
    low: { firstResponseMinutes: 8 * 60, resolutionMinutes: 40 * 60 },
  },
  webhook: null,
  ...overrides,
});

export const storedDepartment = (departmentId: string, overrides: Partial<DepartmentInput> = {}): Department => {
  const { webhook: _webhook, ...input } = departmentInput(overrides);
  return {
    ...input,
    departmentId,
    webhook: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
};

/** Routing to IT (tools), HR (career & certification, and policy tagged `leave`), L&D the fallback. */
export const routingSettings = (overrides: Partial<RoutingSettings> = {}): RoutingSettings => ({
  version: 1,
  rules: [
    { ruleId: 'tools-to-it', category: 'tools', departmentId: 'it' },
    { ruleId: 'tech-to-it', category: 'technical-impediment', departmentId: 'it' },
    { ruleId: 'careers-to-hr', category: 'career-certification', departmentId: 'hr' },
    { ruleId: 'leave-to-hr', category: 'policy', tags: ['leave', 'parental-leave'], departmentId: 'hr' },
  ],
  fallbackDepartmentId: 'pmo',
  improvementSignals: { minPods: 3, minReporters: 3, windowDays: 30 },
  qualityCircles: { minPods: 2, windowDays: 30 },
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'admin-1',
  ...overrides,
});

export const principal = (personId: string, roles: Role[], departmentId?: string): Principal => ({
  personId,
  roles: new Set(roles),
  ...(departmentId ? { departmentId } : {}),
});

export const employeeP = (personId: string) => principal(personId, ['employee']);
export const coachP = principal('coach-1', ['life-coach', 'employee']);
export const adminP = principal('admin-1', ['admin', 'employee']);
export const departmentP = (departmentId: string) => principal(`client-${departmentId}`, ['department'], departmentId);

/**
 * Escalation dependencies over the in-memory store, a movable clock (Monday 2026-01-19 10:00
 * Berlin) and sequential ids; departments it, hr, pmo; routing settings version 1; a directory
 * with pods p1 (mentor m1; mentees e1, e2) and p2 (mentor m2; mentee e3), and the life coach.
 */
export const inMemoryEscalations = async () => {
  const store = createInMemoryEscalationStore();
  const clock = fixedClock('2026-01-19T09:00:00Z');
  const deps: EscalationDependencies = {
    escalations: store.escalations,
    directory: store.directory,
    configuration: store.configuration,
    clock,
    newId: sequentialIds('esc'),
  };
  for (const id of ['it', 'hr', 'pmo']) {
    await store.configuration.putDepartment(
      storedDepartment(id, { name: `${id.toUpperCase()} department`, leadEmail: `${id}-lead@example.com` }),
      null,
    );
  }
  await store.configuration.putRoutingSettings(routingSettings());
  const context = { correlationId: 'seed' };
  const person = async (personId: string, roles: string[] = ['employee']) =>
    store.directory.apply(
      {
        kind: 'person',
        person: { personId, name: `Person ${personId}`, email: `${personId}@example.com`, roles, active: true },
        asOf: '2026-01-01T00:00:00.000Z',
      },
      context,
    );
  for (const id of ['e1', 'e2', 'e3', 'e4', 'outsider']) await person(id);
  for (const id of ['m1', 'm2', 'm3']) await person(id, ['employee', 'mentor']);
  await person('coach-1', ['employee', 'life-coach']);
  const pods: [string, string, string[]][] = [
    ['p1', 'm1', ['e1', 'e2']],
    ['p2', 'm2', ['e3']],
    ['p3', 'm3', ['e4']],
  ];
  for (const [podId, mentorId, mentees] of pods) {
    await store.directory.apply({ kind: 'pod-formed', podId, mentorId, asOf: '2026-01-02T00:00:00.000Z' }, context);
    for (const menteeId of mentees) {
      await store.directory.apply(
        {
          kind: 'mentorship-started',
          mentorshipId: `${podId}-${menteeId}`,
          podId,
          mentorId,
          menteeId,
          asOf: '2026-01-02T00:00:00.000Z',
        },
        context,
      );
    }
  }
  const detailTypes = () => store.published.map((recorded) => recorded.event.contract.detailType);
  return { store, deps, clock, detailTypes };
};

export const raiseInput = (overrides: Record<string, unknown> = {}) => ({
  category: 'tools' as const,
  severity: 'medium' as const,
  summary: 'VPN drops every hour',
  details: 'Since the client update the VPN disconnects every hour and loses the session.',
  tags: ['vpn'],
  confidential: false,
  ...overrides,
});
