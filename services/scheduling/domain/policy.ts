/**
 * The rules a deployment can tune (declared as settings in declaration.ts, read once at cold
 * start in adapters/configuration.ts). Domain code receives them; it never reads the environment.
 */
export interface CadencePolicy {
  /** The first 1:1 of a mentorship is due this many days after it starts. */
  firstWithinDays: number;
  /** After a completed 1:1, the next is due this many calendar months later. */
  everyMonths: number;
  /** "Your 1:1 is due and nothing is scheduled" goes out this many days before the due date. */
  dueReminderDaysBefore: number;
  /** No completed 1:1 for this many days: the pair is warned. */
  inactivityWarningDays: number;
  /** No completed 1:1 for this many days: `OneOnOne.Overdue`. */
  overdueDays: number;
  /** Pod sessions are due this many months apart (0: pods have no cadence). */
  podEveryMonths: number;
}

export interface EmailPolicy {
  /** Reminders reach people at this local time (minutes after midnight) on a working day. */
  morningMinute: number;
  /** A "did it happen?" link works for this long. */
  attendanceLinkDays: number;
}

export interface SchedulingPolicy {
  cadence: CadencePolicy;
  email: EmailPolicy;
  /** `https://meet.example.com/mentoring-{sessionId}`: the link of a session whose host set none. */
  meetingUrlTemplate: string;
  /** Suggested slots start at least this long from now. */
  minimumNoticeMinutes: number;
}

export const defaultPolicy: SchedulingPolicy = {
  cadence: {
    firstWithinDays: 14,
    everyMonths: 1,
    dueReminderDaysBefore: 7,
    inactivityWarningDays: 60,
    overdueDays: 90,
    podEveryMonths: 0,
  },
  email: { morningMinute: 8 * 60, attendanceLinkDays: 14 },
  meetingUrlTemplate: 'https://meet.jit.si/mentoring-{sessionId}',
  minimumNoticeMinutes: 60,
};

export const meetingUrlFor = (template: string, sessionId: string): string =>
  template.replaceAll('{sessionId}', encodeURIComponent(sessionId));
