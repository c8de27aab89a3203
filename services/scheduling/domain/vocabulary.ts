/** The words the service shares with its event contracts (shared/contracts/scheduling-events.ts). */

import {
  type NotificationKindV1,
  notificationKindsV1,
  type SessionKindV1,
  sessionKindsV1,
} from '../../../shared/contracts/scheduling-events';
import type * as z from '../../../shared/zod';

export type SessionKind = z.infer<ReturnType<typeof SessionKindV1>>;
export type NotificationKind = z.infer<ReturnType<typeof NotificationKindV1>>;

export const sessionKinds = sessionKindsV1;
export const notificationKinds = notificationKindsV1;

/** Calendar invites always go out: a person cannot miss a session because an email kind was off. */
export const ALWAYS_SENT: readonly NotificationKind[] = ['session-invites'];

/** The kinds of email this service sends that a person may turn off. */
export const schedulingReminderKinds = [
  'one-on-one-due',
  'session-tomorrow',
  'did-it-happen',
  'inactivity-warning',
] as const;
export type ReminderKind = (typeof schedulingReminderKinds)[number];

export const SESSION_DURATIONS = [30, 45, 60] as const;
