/** The words of pulse's emails, as plain text and as HTML. */
import type { OutgoingEmail } from '../ports';

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const compose = (to: string, subject: string, paragraphs: readonly string[]): OutgoingEmail => ({
  to,
  subject,
  text: `${paragraphs.join('\n\n')}\n`,
  html: `<!doctype html><html><body>${paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('')}</body></html>`,
});

/** `Saturday, 28 November 2026 at 01:00`: when answers stop being taken, on the recipient's own clock. */
export const closingTimeFor = (closesAt: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(closesAt));

const ANONYMITY =
  'Your answers are anonymous: they are stored without your name or the time you answered, and results are only shown for groups large enough that no one can be singled out, the life coach included.';

const where = (survey: { surveyId: string; url: string | null }) =>
  survey.url ? `at ${survey.url}` : `in the mentoring programme portal (survey ${survey.surveyId})`;

export const surveyInvitation = (
  to: { name: string; email: string; timezone: string },
  survey: {
    surveyId: string;
    url: string | null;
    title: string;
    questions: number;
    closesAt: string;
  },
): OutgoingEmail =>
  compose(to.email, `Pulse survey: ${survey.title}`, [
    `Hello ${to.name},`,
    `You are invited to answer the pulse survey "${survey.title}" (${survey.questions} questions, a few minutes).`,
    ANONYMITY,
    `Answer before ${closingTimeFor(survey.closesAt, to.timezone)} (your time) ${where(survey)}.`,
  ]);

export const surveyReminder = (
  to: { name: string; email: string; timezone: string },
  survey: {
    surveyId: string;
    url: string | null;
    title: string;
    closesAt: string;
  },
): OutgoingEmail =>
  compose(to.email, `Reminder: pulse survey "${survey.title}" closes soon`, [
    `Hello ${to.name},`,
    `The pulse survey "${survey.title}" closes on ${closingTimeFor(survey.closesAt, to.timezone)} (your time), and we have not had your answer yet. This is the only reminder.`,
    ANONYMITY,
    `Answer ${where(survey)}.`,
  ]);

export const checkInReminder = (
  to: { name: string; email: string },
  reminder: {
    month: string;
    mentees: readonly string[];
  },
): OutgoingEmail =>
  compose(to.email, `Check-ins for ${reminder.month} are missing`, [
    `Hello ${to.name},`,
    `You have not recorded a ${reminder.month} check-in for: ${reminder.mentees.join(', ')}.`,
    'A late check-in for last month can still be recorded this month. This is the only reminder for that month.',
  ]);
