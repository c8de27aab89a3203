/**
 * A mentor who missed last month's check-ins gets one reminder, in their working hours, naming
 * the mentees without one. The daily sweep reads only the mentorships that are behind (an index
 * sorted by last check-in month), so it does not grow with the organisation.
 */
import { nextWorkingMoment } from '../../../../shared/working-hours';
import { monthOf, previousMonth } from '../ids';
import type { PulseDependencies, QueuedMail } from '../ports';

export const queueCheckInReminders = async (deps: PulseDependencies): Promise<{ month: string; queued: string[] }> => {
  const now = deps.clock();
  const month = previousMonth(monthOf(now));
  const monthStart = `${month}-01T00:00:00.000Z`;
  // A mentorship started during the month owed no check-in for it.
  const behind = (await deps.directory.mentorshipsBehind(month)).filter(
    (mentorship) => mentorship.startedAt < monthStart,
  );
  const byMentor = new Map<string, string[]>();
  for (const mentorship of behind) {
    byMentor.set(mentorship.mentorId, [...(byMentor.get(mentorship.mentorId) ?? []), mentorship.menteeId]);
  }
  const queued: string[] = [];
  const mentors = await deps.directory.people([...byMentor.keys()]);
  for (const [mentorId, menteeIds] of byMentor) {
    const mentor = mentors.get(mentorId);
    if (!mentor?.active) continue;
    const mail: QueuedMail = {
      mailId: `check-in-reminder.${month}.${mentorId}`,
      kind: 'check-in-reminder',
      personId: mentorId,
      dueAt: nextWorkingMoment(now, mentor.timezone, mentor.workingHours).toISOString(),
      attempts: 0,
      month,
      menteeIds: menteeIds.sort(),
    };
    if (await deps.mail.queueCheckInReminder(mail, mentorId)) queued.push(mentorId);
  }
  return { month, queued };
};
