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

/** `Friday 27 November 2026` in the recipient's zone: the last day answers are taken, as they see it. */
export const lastDayFor = (closesAt: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(new Date(closesAt).getTime() - 1));

const ANONYMITY =
  'Your answers are anonymous: they are stored without your name or the time you answered, and results are only shown for groups large enough that no one can be singled out, the life coach included.';

export const surveyInvitation = (
  to: { name: string; email: string; timezone: string },
  survey: {
    surveyId: string;
    title: string;
    questions: number;
    closesAt: string;
  },
): OutgoingEmail =>
  compose(to.email, `Pulse survey: ${survey.title}`, [
    `Hello ${to.name},`,
    `You are invited to answer the pulse survey "${survey.title}" (${survey.questions} questions, a few minutes).`,
    ANONYMITY,
    `Answer by ${lastDayFor(survey.closesAt, to.timezone)} in the mentoring programme portal (survey ${survey.surveyId}).`,
  ]);

export const surveyReminder = (
  to: { name: string; email: string; timezone: string },
  survey: {
    surveyId: string;
    title: string;
    closesAt: string;
  },
): OutgoingEmail =>
  compose(to.email, `Reminder: pulse survey "${survey.title}" closes soon`, [
    `Hello ${to.name},`,
    `The pulse survey "${survey.title}" closes after ${lastDayFor(survey.closesAt, to.timezone)}, and we have not had your answer yet. This is the only reminder.`,
    ANONYMITY,
    `Answer in the mentoring programme portal (survey ${survey.surveyId}).`,
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
