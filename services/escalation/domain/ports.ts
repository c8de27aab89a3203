/**
 * What the escalation domain needs from the outside: storage (DynamoDB in production, in
 * memory in tests), one-time schedules, webhook deliveries and email. Adapters implement them.
 */
import type { PendingEvent } from '../../../shared/events/outbox';
import type { Page } from '../../../shared/pagination';
import type { Clock, IdGenerator } from '../../../shared/ports';
import type { Department, WebhookInput } from './departments';
import type { EscalationChange } from './escalations/lifecycle';
import type { Escalation, EscalationComment, EscalationStatus, SlaState } from './escalations/model';
import type { RoutingSettings } from './routing';
import type { PlannedMilestone } from './sla/timers';

export interface WriteContext {
  correlationId: string;
  /** When set, the write is applied at most once for this event (idempotent consumers). */
  consumedEvent?: { consumer: string; eventId: string };
}

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

export interface EscalationRepository {
  get(escalationId: string): Promise<Escalation | undefined>;
  comments(escalationId: string): Promise<EscalationComment[]>;
  /**
   * Writes a new escalation with its events. `exists` (and nothing written) when the id is
   * taken: an automatic escalation already made from the same source event.
   */
  create(change: EscalationChange, context: WriteContext): Promise<'created' | 'exists' | 'duplicate'>;
  /**
   * Replaces the escalation, adds the comment and records the events, atomically, if the
   * stored version is still `change.escalation.version - 1`; else ConcurrentEscalationChangeError.
   */
  update(change: EscalationChange, context: WriteContext): Promise<void>;
  listByDepartment(
    query: PageQuery & { departmentId: string; status?: EscalationStatus | undefined },
  ): Promise<Page<Escalation>>;
  listByReporter(query: PageQuery & { reporterId: string }): Promise<Page<Escalation>>;
  list(
    query: PageQuery & { status?: EscalationStatus | undefined; slaState?: SlaState | undefined },
  ): Promise<Page<Escalation>>;
}

/** A person as the directory (matching's events) describes them: enough to email them. */
export interface DirectoryPerson {
  personId: string;
  name: string;
  email: string;
  roles: string[];
  active: boolean;
}

export interface PodMembership {
  podId: string;
  as: 'mentee' | 'mentor';
}

/** One change of the directory projection, from one matching event. */
export type DirectoryChange =
  | { kind: 'person'; person: DirectoryPerson; asOf: string }
  | { kind: 'person-offboarded'; personId: string; asOf: string }
  | { kind: 'pod-formed'; podId: string; mentorId: string; asOf: string }
  | { kind: 'pod-dissolved'; podId: string; mentorId: string; asOf: string }
  | {
      kind: 'mentorship-started';
      mentorshipId: string;
      podId: string;
      mentorId: string;
      menteeId: string;
      asOf: string;
    }
  | { kind: 'mentorship-ended'; mentorshipId: string; podId: string; mentorId: string; menteeId: string; asOf: string };

/** The people and pods this service knows, projected from matching's `Person.*`, `Pod.*` and `Mentorship.*` events. */
export interface DirectoryRepository {
  person(personId: string): Promise<DirectoryPerson | undefined>;
  /** The pod a person is a mentee in, else the pod they mentor, else null. */
  podOf(personId: string): Promise<PodMembership | null>;
  mentorOfPod(podId: string): Promise<string | null>;
  /** Everyone in the directory with the `life-coach` role. */
  lifeCoaches(): Promise<DirectoryPerson[]>;
  /**
   * Applies a change once per event (with `context.consumedEvent`), keeping the newest: an
   * older event arriving late never overwrites a newer state.
   */
  apply(change: DirectoryChange, context: WriteContext): Promise<'applied' | 'duplicate'>;
}

export interface ConfigurationRepository {
  department(departmentId: string): Promise<Department | undefined>;
  /** The departments of these ids that exist. */
  existingDepartments(departmentIds: readonly string[]): Promise<Set<string>>;
  listDepartments(query: PageQuery): Promise<Page<Department>>;
  /** Creates (`expectedVersion` null: must not exist) or replaces the department at that version. */
  putDepartment(department: Department, expectedVersion: number | null): Promise<void>;
  routingSettings(): Promise<RoutingSettings>;
  /** Stores the next version; StaleVersionError when the stored one is not `settings.version - 1`. */
  putRoutingSettings(settings: RoutingSettings): Promise<void>;
}

/** A milestone's one-time schedule as it exists: which plan of which timer it belongs to. */
export type ScheduledMilestone = Omit<PlannedMilestone, 'dueAt'>;

/**
 * The one-time schedules of escalations' SLA milestones: EventBridge Scheduler `at()` schedules
 * in AWS, the local scheduler here (the same SDK calls). Each fires the SLA timer function with
 * its milestone at its due instant, once, and is deleted after it ran.
 */
export interface MilestoneSchedules {
  list(escalationId: string): Promise<ScheduledMilestone[]>;
  /** Creating one that exists changes nothing. */
  create(escalationId: string, planned: PlannedMilestone): Promise<void>;
  /** Deleting one that is gone changes nothing. */
  delete(escalationId: string, scheduled: ScheduledMilestone): Promise<void>;
}

/**
 * The delivery of a department's events to its own tracker (an EventBridge API destination
 * with its connection in AWS; the local bus's HTTP targets here). `null` removes it.
 */
export interface WebhookDeliveries {
  configure(departmentId: string, webhook: WebhookInput | null): Promise<void>;
}

export interface Email {
  to: string[];
  subject: string;
  text: string;
}

export interface Mailer {
  send(email: Email): Promise<void>;
}

/** One escalation counted toward the themes it belongs to (improvement signals, quality circles). */
export interface ThemeContribution {
  theme: string;
  escalationId: string;
  raisedAt: string;
  category: string;
  departmentId: string;
  reporterId: string;
  podId: string | null;
  reporterPodRole: 'mentee' | 'mentor' | null;
  confidential: boolean;
}

export interface ThemeRepository {
  /** Idempotent: counting the same escalation again changes nothing. */
  record(contributions: readonly ThemeContribution[]): Promise<void>;
  contributions(theme: string, since: string): Promise<ThemeContribution[]>;
  /**
   * Records that `kind` was emitted for the theme at `at` with its event, atomically, unless one
   * was emitted after `notBefore` (then false: once per theme and window).
   */
  claim(
    theme: string,
    kind: 'signal' | 'circle',
    at: string,
    notBefore: string,
    event: PendingEvent,
    context: WriteContext,
  ): Promise<boolean>;
}

export interface EscalationDependencies {
  escalations: EscalationRepository;
  directory: DirectoryRepository;
  configuration: ConfigurationRepository;
  clock: Clock;
  newId: IdGenerator;
}

/** Which events a consumer with outside effects (emails) has handled: checked before, marked after. */
export interface ConsumedEvents {
  has(consumer: string, eventId: string): Promise<boolean>;
  mark(consumer: string, eventId: string): Promise<void>;
}
