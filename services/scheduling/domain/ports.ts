/**
 * What the domain needs from the outside: the store (DynamoDB in production), the mailer (SES),
 * the link signer, a clock and ids. Writes go through one unit of work, applied in one
 * transaction with the events it implies (the outbox), so state, notices and events never diverge.
 */
import type { PendingEvent } from '../../../shared/events/outbox';
import type { Page } from '../../../shared/pagination';
import type { Clock, IdGenerator } from '../../../shared/ports';
import type { LinkSigner } from './links';
import type {
  CalendarEntry,
  MentorshipRecord,
  Notice,
  NoticeRef,
  PersonRecord,
  PlanEntry,
  PodRecord,
  Preferences,
  Session,
  SkipLevelPlan,
  Suppression,
} from './model';
import type { SchedulingPolicy } from './policy';

/** A versioned record: `expectedVersion` null means "must not exist yet". */
interface Versioned<TType extends string, TRecord> {
  type: TType;
  record: TRecord;
  expectedVersion: number | null;
}

/** One write of a unit of work. Versioned writes fail the whole unit when the version moved. */
export type Write =
  | Versioned<'person', PersonRecord>
  | Versioned<'preferences', Preferences>
  | Versioned<'mentorship', MentorshipRecord>
  | Versioned<'pod', PodRecord>
  | Versioned<'session', Session>
  | Versioned<'plan', SkipLevelPlan>
  | { type: 'plan-entry'; planId: string; entry: PlanEntry }
  /** Serialises changes to one person's calendar: bumped by every session write that touches it. */
  | { type: 'calendar-lock'; personId: string; expectedVersion: number }
  | { type: 'calendar-entry'; entry: CalendarEntry }
  | { type: 'remove-calendar-entry'; personId: string; startsAt: string; sessionId: string }
  | { type: 'series-entry'; seriesId: string; sessionId: string; startsAt: string }
  | { type: 'remove-series-entry'; seriesId: string; sessionId: string; startsAt: string }
  | { type: 'mentorship-link'; personId: string; mentorshipId: string; role: 'mentor' | 'mentee'; active: boolean }
  | { type: 'email-owner'; email: string; personId: string }
  | { type: 'remove-email-owner'; email: string; personId: string }
  | { type: 'notice'; notice: Notice }
  | { type: 'remove-notice'; ref: NoticeRef }
  /** Create-only: fails the unit if the link was used already. */
  | { type: 'link-used'; linkId: string; usedAt: string; expiresAt: string }
  /** Create-only: fails the unit if the address is already suppressed. */
  | { type: 'suppression'; suppression: Suppression }
  /** Create-only: one confirmed skip-level plan per quarter. */
  | { type: 'quarter-confirmed'; quarter: string; planId: string };

export interface UnitOfWork {
  writes: Write[];
  events: PendingEvent[];
}

export interface WriteContext {
  correlationId: string;
  /** Applied at most once for this event (idempotent consumers). */
  consumedEvent?: { consumer: string; eventId: string };
}

/** A condition of a unit of work failed: someone else changed what it was based on. */
export class WriteConflictError extends Error {
  override readonly name = 'WriteConflictError';
  constructor(readonly failed: readonly Write[]) {
    super(`Changed by someone else at the same time: ${failed.map((write) => write.type).join(', ')}`);
  }
}

export interface CalendarLock {
  personId: string;
  version: number;
}

export interface SessionQuery {
  /** A person's sessions, or everyone's (life coach) when absent. */
  personId?: string;
  from: string;
  to: string;
  limit: number;
  cursor?: string;
}

export interface SchedulingStore {
  getPerson(personId: string): Promise<PersonRecord | undefined>;
  getPeople(personIds: readonly string[]): Promise<Map<string, PersonRecord>>;
  /** Everyone in the programme with a known profile (a whole listing: plans, not sweeps). */
  activePeople(domains?: readonly string[]): Promise<PersonRecord[]>;
  personIdsWithEmail(email: string): Promise<string[]>;
  getPreferences(personId: string): Promise<Preferences | undefined>;
  getPreferencesOf(personIds: readonly string[]): Promise<Map<string, Preferences>>;

  getMentorship(mentorshipId: string): Promise<MentorshipRecord | undefined>;
  /** The mentorships a person is in (active or not), as mentor or mentee. */
  mentorshipLinksOf(personId: string): Promise<{ mentorshipId: string; role: 'mentor' | 'mentee'; active: boolean }[]>;
  getMentorships(mentorshipIds: readonly string[]): Promise<MentorshipRecord[]>;
  /** Active mentorships, a page at a time, by mentor (optionally one mentor's). */
  activeMentorships(query: { limit: number; cursor?: string; mentorId?: string }): Promise<Page<MentorshipRecord>>;
  getPod(podId: string): Promise<PodRecord | undefined>;

  getSession(sessionId: string): Promise<Session | undefined>;
  getSessions(sessionIds: readonly string[]): Promise<Session[]>;
  /** The calendar lock of each person (version 0 when they have none yet). */
  calendarLocks(personIds: readonly string[]): Promise<Map<string, number>>;
  /** A person's calendar entries that start in [from, to). */
  calendarOf(personId: string, from: string, to: string): Promise<CalendarEntry[]>;
  /** Ids of sessions starting in [from, to), in order of start, a page at a time. */
  listSessionIds(query: SessionQuery): Promise<Page<string>>;
  /** The session of the series just before `startsAt` (not `sessionId` itself), if any. */
  previousInSeries(seriesId: string, startsAt: string, sessionId: string): Promise<Session | undefined>;

  getNotice(ref: NoticeRef): Promise<Notice | undefined>;
  /** Pending notices due at `now` or before, oldest first, at most `limit` (read through the due index only). */
  dueNotices(now: string, limit: number): Promise<NoticeRef[]>;
  /**
   * Takes a due notice for one sweep: it must still be pending and due, or held by a claim that
   * expired. Undefined when another sweep has it or it is done.
   */
  claimNotice(ref: NoticeRef, now: string, claim: { token: string; until: string }): Promise<Notice | undefined>;
  /** Ends a claimed notice (sent, skipped or failed), with the unit of work it implies, if the claim still holds. */
  finishNotice(
    notice: Notice,
    outcome: { state: 'sent' | 'skipped' | 'failed'; at: string; messageId?: string; reason?: string },
    work: UnitOfWork,
    context: WriteContext,
  ): Promise<'finished' | 'lost-claim'>;
  /** Gives a claimed notice back for a later attempt. */
  releaseNotice(notice: Notice, retryAt: string, reason: string): Promise<void>;

  getPlan(planId: string): Promise<{ plan: SkipLevelPlan; entries: PlanEntry[] } | undefined>;
  /** Writes a new plan's entries (any number; unreachable until the plan itself is committed). */
  savePlanEntries(planId: string, entries: readonly PlanEntry[], expiresAt: string): Promise<void>;
  /** Which plan confirmed a quarter, if any. */
  confirmedPlanOf(quarter: string): Promise<string | undefined>;
  getSuppression(email: string): Promise<Suppression | undefined>;
  listSuppressions(query: { limit: number; cursor?: string }): Promise<Page<Suppression>>;
  linkUsed(linkId: string): Promise<boolean>;

  /** Applies a unit of work atomically; WriteConflictError when a condition failed. */
  commit(work: UnitOfWork, context: WriteContext): Promise<'applied' | 'duplicate'>;
}

/** A MIME message ready for SES `SendRawEmail`. */
export interface OutgoingEmail {
  to: string;
  raw: Buffer;
}

export interface Mailer {
  /** Sends one message; resolves with the provider's message id. */
  send(email: OutgoingEmail): Promise<string>;
}

/** The email identity of the deployment. */
export interface Sender {
  address: string;
  name: string;
  /** Where links in emails point: the HTTP API's URL. */
  publicApiUrl: string;
}

export interface SchedulingDependencies {
  store: SchedulingStore;
  clock: Clock;
  newId: IdGenerator;
  policy: SchedulingPolicy;
  mailer: Mailer;
  sender: Sender;
  /** Only the functions that sign or check links have the key. */
  links?: LinkSigner;
}
