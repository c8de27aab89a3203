/**
 * What the scheduling service keeps: its own projection of the people, pods and mentorships
 * matching announces (never matching's table), and its own sessions, notices and plans.
 */
import type { NotificationKind, SessionKind } from './vocabulary';

export interface WorkingHours {
  /** Local `HH:MM`; a start after the end is a night shift that ends the next morning. */
  start: string;
  end: string;
}

/** Who someone is, as far as scheduling needs to know (from `Person.*` events). */
export interface Profile {
  name: string;
  email: string;
  timezone: string;
  workingHours: WorkingHours;
  domain: string;
  roles: string[];
}

/**
 * One person in the projection. Each part is a last-writer-wins register stamped with the event
 * that set it (`occurredAt|eventId`), so any order of deliveries, duplicates included, ends in the
 * same record: the one the latest event of each part describes.
 */
export interface PersonRecord {
  personId: string;
  profile: Profile | null;
  profileStamp: string | null;
  status: 'active' | 'offboarded';
  statusStamp: string | null;
  /** The latest `Mentee.AtRisk` flag (pulse): skip-level plans put these people first. */
  atRisk: { risk: string; trigger: string; flaggedAt: string } | null;
  atRiskStamp: string | null;
  version: number;
}

/** A person the service can schedule with: known profile, still in the programme. */
export type KnownPerson = PersonRecord & { profile: Profile };

export const isKnown = (person: PersonRecord | undefined): person is KnownPerson =>
  person !== undefined && person.profile !== null;

/** What a person chose (`/me/...`): kinds of email they turned off, and their own meeting link. */
export interface Preferences {
  personId: string;
  optedOut: NotificationKind[];
  meetingLink: string | null;
  version: number;
}

export interface MentorshipRecord {
  mentorshipId: string;
  podId: string;
  mentorId: string;
  menteeId: string;
  startedAt: string;
  status: 'active' | 'ended';
  endedAt: string | null;
  endReason: string | null;
  /** The start of the latest completed 1:1 (null: none yet, the cadence counts from `startedAt`). */
  lastCompletedAt: string | null;
  /** Scheduled 1:1s of the pair that have not happened yet: session id -> start. */
  upcoming: Record<string, string>;
  version: number;
}

export interface PodRecord {
  podId: string;
  mentorId: string;
  domain: string;
  /** The mentees the pod was formed with (members who join later come as mentorships). */
  menteeIds: string[];
  formedAt: string;
  status: 'active' | 'dissolved';
  dissolvedAt: string | null;
  /** The start of the latest completed pod session. */
  lastCompletedAt: string | null;
  version: number;
}

export interface ActionItem {
  id: string;
  text: string;
  done: boolean;
}

export type SessionStatus = 'scheduled' | 'completed' | 'missed' | 'cancelled';

export interface Session {
  sessionId: string;
  kind: SessionKind;
  status: SessionStatus;
  /** The mentor (1:1s, pod sessions) or the life coach (skip-levels). */
  hostId: string;
  /** Everyone invited, the host first. */
  participantIds: string[];
  mentorshipId: string | null;
  podId: string | null;
  planId: string | null;
  /** Sessions of the same pair (or pod) in time: action items left open carry to the next one. */
  seriesId: string;
  startsAt: string;
  endsAt: string;
  videoLink: string;
  agenda: string;
  actionItems: ActionItem[];
  /** iCalendar SEQUENCE: moved by every change the participants' calendars must see. */
  sequence: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** Who recorded the outcome (completed or missed) and when. */
  outcome: { by: string; at: string; via: 'api' | 'email-link' } | null;
  cancelled: { by: string | null; at: string; reason: string } | null;
  version: number;
}

/** A session in one participant's calendar: what clash checks and "my sessions" read. */
export interface CalendarEntry {
  personId: string;
  sessionId: string;
  kind: SessionKind;
  status: SessionStatus;
  startsAt: string;
  endsAt: string;
}

/**
 * Something to tell someone at a given time: an email (invite, reminder, question) or, for an
 * overdue 1:1, an event. One per subject, kind and recipient: a later change of the subject
 * overwrites it, so the sweep never finds a stale one twice.
 */
export type NoticeKind =
  | 'session-invite'
  | 'session-tomorrow'
  | 'did-it-happen'
  | 'one-on-one-due'
  | 'inactivity-warning'
  | 'one-on-one-overdue'
  | 'pod-introduction';

export interface NoticeSubject {
  type: 'session' | 'mentorship' | 'pod';
  id: string;
}

export interface NoticeRef {
  subject: NoticeSubject;
  kind: NoticeKind;
  /** Null for notices that go to no one in particular (an overdue event). */
  recipientId: string | null;
}

export type NoticeState = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';

export interface Notice extends NoticeRef {
  dueAt: string;
  /** What the notice was worked out from (a session's sequence, a cadence's due date...): checked when it fires. */
  basis: string;
  state: NoticeState;
  attempts: number;
  createdAt: string;
  /** Set while a sweep holds it. */
  claim: { token: string; until: string } | null;
  /** How it ended: SES message id, or why it was skipped or failed. */
  result: { at: string; messageId?: string; reason?: string } | null;
}

export interface PlanEntry {
  entryId: string;
  personId: string;
  /** 1-based week of the quarter. */
  week: number;
  startsAt: string;
  endsAt: string;
  atRisk: boolean;
  /** The session made for it when the plan was confirmed. */
  sessionId: string | null;
  state: 'proposed' | 'scheduled' | 'conflict';
  note: string | null;
}

export interface SkipLevelPlan {
  planId: string;
  quarter: string;
  coachId: string;
  /** `confirming`: the quarter is taken and sessions are being made (confirming again resumes). */
  status: 'proposed' | 'confirming' | 'confirmed';
  weeklyLimit: number;
  durationMinutes: number;
  domains: string[] | null;
  weeks: { week: number; startsOn: string; endsOn: string }[];
  unplanned: { personId: string; reason: string }[];
  createdAt: string;
  confirmedAt: string | null;
  version: number;
}

export interface Suppression {
  email: string;
  personId: string | null;
  reason: 'bounce' | 'complaint';
  suppressedAt: string;
  detail: string;
}
