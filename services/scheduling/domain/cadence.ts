/**
 * The 1:1 cadence of a mentorship. The first 1:1 is due `firstWithinDays` after the mentorship
 * starts; each completed 1:1 moves the due date to `everyMonths` calendar months after it. With no
 * completed 1:1 for `inactivityWarningDays` the pair is warned, for `overdueDays` the service
 * raises `OneOnOne.Overdue` (counted from the last completed 1:1, or the start when there is none).
 */
import type { MentorshipRecord, Notice, NoticeRef } from './model';
import { pendingNotice } from './notices';
import type { CadencePolicy, EmailPolicy } from './policy';
import { DAY, nextWorkingMorning, workingMorningFromDay } from './working-time';

/** `iso` plus whole calendar months (UTC), the day clamped to the month's last (31 Jan + 1 = 28/29 Feb). */
export const addMonths = (iso: string, months: number): string => {
  const date = new Date(iso);
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.toISOString();
};

export const dueAtOf = (mentorship: MentorshipRecord, policy: CadencePolicy): string =>
  mentorship.lastCompletedAt
    ? addMonths(mentorship.lastCompletedAt, policy.everyMonths)
    : new Date(Date.parse(mentorship.startedAt) + policy.firstWithinDays * DAY).toISOString();

/** Since when the pair has had no completed 1:1. */
export const inactiveSinceOf = (mentorship: MentorshipRecord): string =>
  mentorship.lastCompletedAt ?? mentorship.startedAt;

export const daysWithoutOneOnOne = (mentorship: MentorshipRecord, now: number): number =>
  Math.max(0, Math.floor((now - Date.parse(inactiveSinceOf(mentorship))) / DAY));

/** The pair's next scheduled 1:1 that has not started yet. */
export const nextUpcoming = (
  mentorship: MentorshipRecord,
  now: number,
): { sessionId: string; startsAt: string } | undefined =>
  Object.entries(mentorship.upcoming)
    .filter(([, startsAt]) => Date.parse(startsAt) > now)
    .sort(([, a], [, b]) => a.localeCompare(b))
    .map(([sessionId, startsAt]) => ({ sessionId, startsAt }))[0];

export type CadenceStatus = 'on-track' | 'due' | 'overdue';

/**
 * `overdue`: the due date has passed without a completed 1:1. `due`: it is within the reminder
 * window and no 1:1 is scheduled before it. `on-track` otherwise.
 */
export const cadenceStatus = (mentorship: MentorshipRecord, now: number, policy: CadencePolicy): CadenceStatus => {
  const due = Date.parse(dueAtOf(mentorship, policy));
  if (now > due) return 'overdue';
  const next = nextUpcoming(mentorship, now);
  if (next && Date.parse(next.startsAt) <= due) return 'on-track';
  return due - now <= policy.dueReminderDaysBefore * DAY ? 'due' : 'on-track';
};

export interface Recipient {
  personId: string;
  timezone: string;
}

/** The refs of every cadence notice of a mentorship (what its end removes). */
export const cadenceNoticeRefs = (mentorship: MentorshipRecord): NoticeRef[] => {
  const subject = { type: 'mentorship' as const, id: mentorship.mentorshipId };
  const pair = [mentorship.mentorId, mentorship.menteeId];
  return [
    ...pair.map((recipientId) => ({ subject, kind: 'one-on-one-due' as const, recipientId })),
    ...pair.map((recipientId) => ({ subject, kind: 'inactivity-warning' as const, recipientId })),
    { subject, kind: 'one-on-one-overdue' as const, recipientId: null },
  ];
};

/**
 * The reminders and the overdue check of the mentorship's current cadence period, each at its
 * time (emails in the recipient's working morning). Written over the previous period's, so the
 * sweep only ever sees the current ones. Reminders already too late for this period are left out.
 */
export const cadenceNotices = (
  mentorship: MentorshipRecord,
  recipients: readonly Recipient[],
  now: number,
  policy: { cadence: CadencePolicy; email: EmailPolicy },
): { put: Notice[]; remove: NoticeRef[] } => {
  const subject = { type: 'mentorship' as const, id: mentorship.mentorshipId };
  const dueAt = dueAtOf(mentorship, policy.cadence);
  const due = Date.parse(dueAt);
  const since = inactiveSinceOf(mentorship);
  const put: Notice[] = [];
  const remove: NoticeRef[] = [];
  const createdAt = new Date(now).toISOString();
  for (const recipient of recipients) {
    const dueRef = { subject, kind: 'one-on-one-due' as const, recipientId: recipient.personId };
    const onTheDay = workingMorningFromDay(
      due - policy.cadence.dueReminderDaysBefore * DAY,
      recipient.timezone,
      policy.email.morningMinute,
    );
    const remindAt =
      onTheDay >= now ? onTheDay : nextWorkingMorning(now, recipient.timezone, policy.email.morningMinute);
    if (remindAt <= due) put.push(pendingNotice(dueRef, remindAt, `due:${dueAt}`, createdAt));
    else remove.push(dueRef);

    const warningRef = { subject, kind: 'inactivity-warning' as const, recipientId: recipient.personId };
    const warnFrom = Date.parse(since) + policy.cadence.inactivityWarningDays * DAY;
    if (warnFrom >= now) {
      const warnAt = workingMorningFromDay(warnFrom, recipient.timezone, policy.email.morningMinute);
      put.push(pendingNotice(warningRef, warnAt, `since:${since}`, createdAt));
    } else remove.push(warningRef);
  }
  const overdueAt = Math.max(Date.parse(since) + policy.cadence.overdueDays * DAY, now);
  put.push(
    pendingNotice({ subject, kind: 'one-on-one-overdue', recipientId: null }, overdueAt, `since:${since}`, createdAt),
  );
  return { put, remove };
};
