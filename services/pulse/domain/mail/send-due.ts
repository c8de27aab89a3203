/**
 * Sends the emails that are due: survey invitations and reminders, check-in reminders. Each is
 * checked again at sending time: the person still active, the kind of email not turned off
 * (NotificationPreferences.Changed), the address not suppressed (EmailAddress.Suppressed), the
 * round still open, and for a reminder, no answer yet. A claim with a lease keeps two sweeps from
 * sending the same email; a failed send is retried later with backoff, five times at most.
 */
import { forEachLimited } from '../../../../shared/concurrency';
import type { NotificationKind } from '../directory/model';
import type { Mailer, MailKind, OutgoingEmail, PulseDependencies, QueuedMail } from '../ports';
import { checkInReminder, surveyInvitation, surveyReminder } from './messages';

const LEASE_MS = 10 * 60_000;
const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 5 * 60_000;

const preferenceOf: Record<MailKind, NotificationKind> = {
  'survey-invitation': 'pulse-invitations',
  'survey-reminder': 'pulse-reminders',
  'check-in-reminder': 'check-in-reminders',
};

export type MailOutcome = 'sent' | 'skipped' | 'retry' | 'given-up' | 'taken';

/** The email to send now, or why none is (`skipped`). */
const render = async (
  deps: PulseDependencies,
  mail: QueuedMail,
  publicApiUrl: string | undefined,
): Promise<OutgoingEmail | 'skipped'> => {
  const person = await deps.directory.person(mail.personId);
  if (!person?.active || !person.email) return 'skipped';
  const preferences = await deps.directory.preferences(person.personId);
  if (preferences?.optedOut.includes(preferenceOf[mail.kind])) return 'skipped';
  if (await deps.directory.isSuppressed(person.email)) return 'skipped';

  if (mail.kind === 'check-in-reminder') {
    const still = await Promise.all(
      (mail.menteeIds ?? []).map(async (menteeId) => {
        const mentorship = await deps.directory.mentorshipOf(menteeId);
        const behind =
          mentorship?.mentorId === person.personId &&
          (mentorship.lastCheckInMonth === null || mentorship.lastCheckInMonth < (mail.month ?? ''));
        return behind ? [menteeId] : [];
      }),
    );
    const menteeIds = still.flat();
    if (menteeIds.length === 0) return 'skipped';
    const names = await deps.directory.people(menteeIds);
    return checkInReminder(person, {
      month: mail.month ?? '',
      mentees: menteeIds.map((id) => names.get(id)?.name ?? id),
    });
  }

  const round = mail.roundId ? await deps.surveys.round(mail.roundId) : undefined;
  const survey = mail.surveyId ? await deps.surveys.survey(mail.surveyId) : undefined;
  if (!round || !survey || round.status !== 'open') return 'skipped';
  const surveyLink = {
    surveyId: survey.surveyId,
    url: publicApiUrl ? `${publicApiUrl.replace(/\/$/, '')}/pulse/surveys/${survey.surveyId}` : null,
  };
  if (mail.kind === 'survey-reminder') {
    const member = await deps.surveys.member(round.roundId, person.personId);
    if (!member || member.answered) return 'skipped';
    return surveyReminder(person, { ...surveyLink, title: survey.title, closesAt: round.closesAt });
  }
  return surveyInvitation(person, {
    ...surveyLink,
    title: survey.title,
    questions: survey.questions.length,
    closesAt: round.closesAt,
  });
};

const sendOne = async (
  deps: PulseDependencies,
  mailer: Mailer,
  mail: QueuedMail,
  publicApiUrl: string | undefined,
): Promise<MailOutcome> => {
  const now = deps.clock();
  if (!(await deps.mail.claim(mail, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString()))) {
    return 'taken';
  }
  const email = await render(deps, mail, publicApiUrl);
  if (email === 'skipped') {
    await deps.mail.sent(mail);
    return 'skipped';
  }
  try {
    await mailer.send(email);
  } catch {
    if (mail.attempts + 1 >= MAX_ATTEMPTS) {
      await deps.mail.sent(mail);
      return 'given-up';
    }
    const at = new Date(now.getTime() + RETRY_BASE_MS * 2 ** mail.attempts).toISOString();
    await deps.mail.retryLater({ ...mail, attempts: mail.attempts + 1 }, at);
    return 'retry';
  }
  await deps.mail.sent(mail);
  return 'sent';
};

export const sendDueMail = async (
  deps: PulseDependencies,
  mailer: Mailer,
  options: { batch?: number; concurrency?: number; publicApiUrl?: string | undefined } = {},
): Promise<Record<MailOutcome, number>> => {
  const counts: Record<MailOutcome, number> = { sent: 0, skipped: 0, retry: 0, 'given-up': 0, taken: 0 };
  const due = await deps.mail.due(deps.clock().toISOString(), options.batch ?? 200);
  await forEachLimited(due, options.concurrency ?? 4, async (mail) => {
    counts[await sendOne(deps, mailer, mail, options.publicApiUrl)]++;
  });
  return counts;
};
