/**
 * Every port of the escalation domain in memory, with the same contracts as the DynamoDB
 * adapters (version checks, atomic state + events, at-most-once consumed events, the same
 * listing orders) plus recorders for schedules, webhook settings and emails. For domain and
 * handler tests.
 */
import type { PendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError, type Page } from '../../../shared/pagination';
import type { Department, WebhookInput } from '../domain/departments';
import { ConcurrentEscalationChangeError, StaleVersionError } from '../domain/escalations/errors';
import type { EscalationChange } from '../domain/escalations/lifecycle';
import type { Escalation, EscalationComment } from '../domain/escalations/model';
import type {
  ConfigurationRepository,
  ConsumedEvents,
  DirectoryPerson,
  DirectoryRepository,
  Email,
  EscalationRepository,
  Mailer,
  MilestoneSchedules,
  ScheduledMilestone,
  ThemeContribution,
  ThemeRepository,
  WebhookDeliveries,
  WriteContext,
} from '../domain/ports';
import { defaultRoutingSettings, type RoutingSettings } from '../domain/routing';
import type { PlannedMilestone } from '../domain/sla/timers';

export interface RecordedEvent {
  event: PendingEvent;
  correlationId: string;
}

const pageOf = <T>(items: readonly T[], sortKey: (item: T) => string, limit: number, cursor?: string): Page<T> => {
  const sorted = [...items].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  let start = 0;
  if (cursor) {
    const after = Buffer.from(cursor, 'base64url').toString('utf8');
    start = sorted.findIndex((item) => sortKey(item) === after) + 1;
    if (start === 0) throw new InvalidCursorError();
  }
  const page = sorted.slice(start, start + limit);
  const last = page.at(-1);
  return {
    items: structuredClone(page),
    ...(start + limit < sorted.length && last ? { nextCursor: Buffer.from(sortKey(last)).toString('base64url') } : {}),
  };
};

export const createInMemoryEscalationStore = () => {
  const escalationsById = new Map<string, Escalation>();
  const commentsById = new Map<string, EscalationComment[]>();
  const consumed = new Set<string>();
  const published: RecordedEvent[] = [];
  const people = new Map<string, DirectoryPerson & { asOf: string }>();
  const mentorships = new Map<string, { mentorshipId: string; podId: string; startedAt: string }>();
  const endedMentorships = new Set<string>();
  const mentorPods = new Map<string, { podId: string; asOf: string }>();
  const podMentors = new Map<string, string>();
  const departments = new Map<string, Department>();
  const routingHistory: RoutingSettings[] = [];
  const contributions = new Map<string, ThemeContribution>();
  const claims = new Map<string, string>();
  const schedules = new Map<string, PlannedMilestone & { escalationId: string }>();
  const webhookSettings = new Map<string, WebhookInput | null>();
  const sentEmails: Email[] = [];

  /** Consumed-event markers: true when this event was applied before. */
  const seen = (context: WriteContext) => {
    const key = context.consumedEvent && `${context.consumedEvent.consumer}#${context.consumedEvent.eventId}`;
    return { duplicate: key ? consumed.has(key) : false, mark: () => key && consumed.add(key) };
  };
  const record = (events: readonly PendingEvent[], context: WriteContext) =>
    published.push(...events.map((event) => ({ event, correlationId: context.correlationId })));

  const escalations: EscalationRepository = {
    async get(escalationId) {
      const found = escalationsById.get(escalationId);
      return found ? structuredClone(found) : undefined;
    },
    async comments(escalationId) {
      return structuredClone(commentsById.get(escalationId) ?? []);
    },
    async create(change: EscalationChange, context) {
      const marker = seen(context);
      if (marker.duplicate) return 'duplicate';
      if (escalationsById.has(change.escalation.escalationId)) {
        marker.mark();
        return 'exists';
      }
      escalationsById.set(change.escalation.escalationId, structuredClone(change.escalation));
      record(change.events, context);
      marker.mark();
      return 'created';
    },
    async update(change: EscalationChange, context) {
      const stored = escalationsById.get(change.escalation.escalationId);
      if (!stored || stored.version !== change.escalation.version - 1) {
        throw new ConcurrentEscalationChangeError(change.escalation.escalationId);
      }
      escalationsById.set(change.escalation.escalationId, structuredClone(change.escalation));
      if (change.comment) {
        commentsById.set(change.escalation.escalationId, [
          ...(commentsById.get(change.escalation.escalationId) ?? []),
          structuredClone(change.comment),
        ]);
      }
      record(change.events, context);
    },
    async listByDepartment({ departmentId, status, limit, cursor }) {
      const items = [...escalationsById.values()].filter(
        (item) => item.departmentId === departmentId && (!status || item.status === status),
      );
      return pageOf(items, (item) => `${item.status}#${item.createdAt}#${item.escalationId}`, limit, cursor);
    },
    async listByReporter({ reporterId, limit, cursor }) {
      const items = [...escalationsById.values()].filter((item) => item.reporterId === reporterId);
      return pageOf(items, (item) => `${item.createdAt}#${item.escalationId}`, limit, cursor);
    },
    async list({ status, slaState, limit, cursor }) {
      const items = [...escalationsById.values()].filter(
        (item) => (!status || item.status === status) && (!slaState || item.slaState === slaState),
      );
      const key = (item: Escalation) =>
        status || !slaState
          ? `${item.status}#${item.slaState}#${item.createdAt}#${item.escalationId}`
          : `${item.slaState}#${item.createdAt}#${item.escalationId}`;
      return pageOf(items, key, limit, cursor);
    },
  };

  const directory: DirectoryRepository = {
    async person(personId) {
      const found = people.get(personId);
      if (!found) return undefined;
      const { asOf: _asOf, ...person } = found;
      return structuredClone(person);
    },
    async podOf(personId) {
      const asMentee = mentorships.get(personId);
      if (asMentee) return { podId: asMentee.podId, as: 'mentee' };
      const asMentor = mentorPods.get(personId);
      return asMentor ? { podId: asMentor.podId, as: 'mentor' } : null;
    },
    async mentorOfPod(podId) {
      return podMentors.get(podId) ?? null;
    },
    async lifeCoaches() {
      return [...people.values()]
        .filter((person) => person.roles.includes('life-coach'))
        .map(({ asOf: _asOf, ...person }) => structuredClone(person));
    },
    async apply(change, context) {
      const marker = seen(context);
      if (marker.duplicate) return 'duplicate';
      switch (change.kind) {
        case 'person': {
          const stored = people.get(change.person.personId);
          if (!stored || stored.asOf <= change.asOf)
            people.set(change.person.personId, { ...change.person, asOf: change.asOf });
          break;
        }
        case 'person-offboarded': {
          const stored = people.get(change.personId);
          if (stored && stored.asOf <= change.asOf)
            people.set(change.personId, { ...stored, active: false, asOf: change.asOf });
          break;
        }
        case 'pod-formed': {
          podMentors.set(change.podId, change.mentorId);
          const stored = mentorPods.get(change.mentorId);
          if (!stored || stored.asOf <= change.asOf)
            mentorPods.set(change.mentorId, { podId: change.podId, asOf: change.asOf });
          break;
        }
        case 'pod-dissolved': {
          if (mentorPods.get(change.mentorId)?.podId === change.podId) mentorPods.delete(change.mentorId);
          break;
        }
        case 'mentorship-started': {
          podMentors.set(change.podId, change.mentorId);
          const stored = mentorships.get(change.menteeId);
          if (!endedMentorships.has(change.mentorshipId) && (!stored || stored.startedAt <= change.asOf)) {
            mentorships.set(change.menteeId, {
              mentorshipId: change.mentorshipId,
              podId: change.podId,
              startedAt: change.asOf,
            });
          }
          break;
        }
        case 'mentorship-ended': {
          endedMentorships.add(change.mentorshipId);
          if (mentorships.get(change.menteeId)?.mentorshipId === change.mentorshipId)
            mentorships.delete(change.menteeId);
          break;
        }
      }
      marker.mark();
      return 'applied';
    },
  };

  const configuration: ConfigurationRepository = {
    async department(departmentId) {
      const found = departments.get(departmentId);
      return found ? structuredClone(found) : undefined;
    },
    async existingDepartments(departmentIds) {
      return new Set(departmentIds.filter((id) => departments.has(id)));
    },
    async listDepartments({ limit, cursor }) {
      return pageOf([...departments.values()], (department) => department.departmentId, limit, cursor);
    },
    async putDepartment(department, expectedVersion) {
      if ((departments.get(department.departmentId)?.version ?? null) !== expectedVersion)
        throw new StaleVersionError();
      departments.set(department.departmentId, structuredClone(department));
    },
    async routingSettings() {
      return structuredClone(routingHistory.at(-1) ?? defaultRoutingSettings);
    },
    async putRoutingSettings(settings) {
      if ((routingHistory.at(-1)?.version ?? 0) !== settings.version - 1) throw new StaleVersionError();
      routingHistory.push(structuredClone(settings));
    },
  };

  const themes: ThemeRepository = {
    async record(items) {
      for (const item of items) contributions.set(`${item.theme}#${item.escalationId}`, structuredClone(item));
    },
    async contributions(theme, since) {
      return [...contributions.values()]
        .filter((item) => item.theme === theme && item.raisedAt >= since)
        .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
    },
    async claim(theme, kind, at, notBefore, event, context) {
      const last = claims.get(`${theme}#${kind}`);
      if (last !== undefined && last > notBefore) return false;
      claims.set(`${theme}#${kind}`, at);
      record([event], context);
      return true;
    },
  };

  const scheduleKey = (escalationId: string, item: ScheduledMilestone) =>
    `${escalationId}.${item.timer}.${item.cycle}.${item.planId}.${item.milestone}`;
  const milestoneSchedules: MilestoneSchedules = {
    async list(escalationId) {
      return [...schedules.values()]
        .filter((item) => item.escalationId === escalationId)
        .map(({ escalationId: _id, dueAt: _dueAt, ...item }) => item);
    },
    async create(escalationId, planned) {
      schedules.set(scheduleKey(escalationId, planned), { ...planned, escalationId });
    },
    async delete(escalationId, scheduled) {
      schedules.delete(scheduleKey(escalationId, scheduled));
    },
  };

  const webhooks: WebhookDeliveries = {
    async configure(departmentId, webhook) {
      webhookSettings.set(departmentId, structuredClone(webhook));
    },
  };

  const consumedEvents: ConsumedEvents = {
    async has(consumer, eventId) {
      return consumed.has(`${consumer}#${eventId}`);
    },
    async mark(consumer, eventId) {
      consumed.add(`${consumer}#${eventId}`);
    },
  };

  const mailer: Mailer = {
    async send(email) {
      sentEmails.push(structuredClone(email));
    },
  };

  return {
    escalations,
    directory,
    configuration,
    themes,
    schedules: milestoneSchedules,
    webhooks,
    mailer,
    consumedEvents,
    published,
    sentEmails,
    /** The one-time schedules that exist, with their due instants. */
    scheduled: () => [...schedules.values()].map((item) => structuredClone(item)),
    webhookSettings,
    consumedMarkers: consumed,
  };
};

export type InMemoryEscalationStore = ReturnType<typeof createInMemoryEscalationStore>;
