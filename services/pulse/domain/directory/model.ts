/**
 * What pulse knows of the organisation, learnt only from events (matching's Person.*, Pod.*,
 * Mentorship.*; scheduling's NotificationPreferences.Changed, EmailAddress.Suppressed and
 * Session.Completed). Pulse never reads another service's table.
 */

import type { NotificationKindV1 } from '../../../../shared/contracts/scheduling-events';
import type { WorkingHours } from '../../../../shared/working-hours';
import type * as z from '../../../../shared/zod';

export type NotificationKind = z.infer<ReturnType<typeof NotificationKindV1>>;

export interface DirectoryPerson {
  personId: string;
  name: string;
  email: string;
  timezone: string;
  workingHours: WorkingHours;
  domain: string;
  roles: string[];
  active: boolean;
  /** `occurredAt` of the event this record comes from: an older event never overwrites it. */
  asOf: string;
}

export interface PodRecord {
  podId: string;
  mentorId: string;
  domain: string;
  active: boolean;
  asOf: string;
}

export interface MentorshipRecord {
  mentorshipId: string;
  podId: string;
  mentorId: string;
  menteeId: string;
  domain: string;
  startedAt: string;
  /** The last month (`YYYY-MM`) with a check-in by this mentor, for the missed-check-in reminder. */
  lastCheckInMonth: string | null;
}

export interface EmailPreferences {
  personId: string;
  optedOut: NotificationKind[];
  asOf: string;
}

/** A completed 1:1, rateable once by its mentee. */
export interface CompletedSession {
  sessionId: string;
  mentorId: string;
  menteeId: string;
  mentorshipId: string | null;
  completedAt: string;
  rated: boolean;
}
