/**
 * What each email says, as plain text and HTML, in the reader's own time zone. Pure: the sweep
 * gathers what a message needs and hands it here.
 */
import type { CalendarInvite } from './icalendar';
import type { KnownPerson, Session } from './model';
import { formatInZone, type Interval } from './working-time';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  calendar?: CalendarInvite;
}

export const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

/** Text in paragraphs, links as anchors: one source for both alternatives of an email. */
type Block = string | { link: string; label: string } | { list: string[] };

const textOf = (blocks: readonly Block[]) =>
  blocks
    .map((block) =>
      typeof block === 'string'
        ? block
        : 'link' in block
          ? `${block.label}: ${block.link}`
          : block.list.map((item) => `- ${item}`).join('\n'),
    )
    .join('\n\n');

const htmlOf = (title: string, blocks: readonly Block[]) =>
  [
    '<!doctype html><html><head><meta charset="utf-8"><title>',
    escapeHtml(title),
    '</title></head><body style="font-family:sans-serif;line-height:1.5">',
    ...blocks.map((block) =>
      typeof block === 'string'
        ? `<p>${escapeHtml(block).replaceAll('\n', '<br>')}</p>`
        : 'link' in block
          ? `<p><a href="${escapeHtml(block.link)}">${escapeHtml(block.label)}</a></p>`
          : `<ul>${block.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`,
    ),
    '</body></html>',
  ].join('');

const content = (subject: string, blocks: readonly Block[], calendar?: CalendarInvite): EmailContent => ({
  subject,
  text: `${textOf(blocks)}\n`,
  html: htmlOf(subject, blocks),
  ...(calendar ? { calendar } : {}),
});

const nameOf = (people: ReadonlyMap<string, KnownPerson>, personId: string) =>
  people.get(personId)?.profile.name ?? personId;

/** What a session is called for one of its participants: "your 1:1 with Grace Hopper". */
export const sessionTitleFor = (session: Session, people: ReadonlyMap<string, KnownPerson>, readerId: string) => {
  const others = session.participantIds.filter((personId) => personId !== readerId).map((id) => nameOf(people, id));
  if (session.kind === 'one-on-one') return `1:1 with ${others.join(', ')}`;
  if (session.kind === 'skip-level') return `skip-level with ${others.join(', ')}`;
  return readerId === session.hostId
    ? 'pod session with your mentees'
    : `pod session with ${nameOf(people, session.hostId)}`;
};

/** The calendar entry's own title, the same for everyone. */
export const sessionSummary = (session: Session, people: ReadonlyMap<string, KnownPerson>) => {
  const names = session.participantIds.map((personId) => nameOf(people, personId));
  if (session.kind === 'one-on-one') return `1:1: ${names.join(' and ')}`;
  if (session.kind === 'skip-level') return `Skip-level: ${names.join(' and ')}`;
  return `Pod session: ${nameOf(people, session.hostId)} and mentees`;
};

const whenFor = (session: Session, reader: KnownPerson) =>
  formatInZone(Date.parse(session.startsAt), reader.profile.timezone);
const minutesOf = (session: Session) => (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000;

export interface InviteInput {
  session: Session;
  people: ReadonlyMap<string, KnownPerson>;
  reader: KnownPerson;
  organizer: { name: string; email: string };
  uidDomain: string;
  stamp: Date;
}

/** The invite (REQUEST: new or moved) or cancellation (CANCEL) of a session, for one participant. */
export const inviteEmail = (input: InviteInput): EmailContent => {
  const { session, people, reader } = input;
  const cancelled = session.status === 'cancelled';
  const title = sessionTitleFor(session, people, reader.personId);
  const when = whenFor(session, reader);
  const subject = cancelled
    ? `Cancelled: ${title} on ${when}`
    : session.sequence === 0
      ? `Invitation: ${title} on ${when}`
      : `Updated invitation: ${title}, now on ${when}`;
  const participants = session.participantIds.map((personId) => {
    const person = people.get(personId);
    return person
      ? `${person.profile.name}: ${formatInZone(Date.parse(session.startsAt), person.profile.timezone)}`
      : personId;
  });
  const blocks: Block[] = cancelled
    ? [`Hello ${reader.profile.name},`, `Your ${title} on ${when} is cancelled.`]
    : [
        `Hello ${reader.profile.name},`,
        `Your ${title}: ${when}, ${minutesOf(session)} minutes.`,
        { link: session.videoLink, label: 'Join the video call' },
        ...(session.agenda ? [`Agenda:\n${session.agenda}`] : []),
        'Who and when, in each person’s own time:',
        { list: participants },
      ];
  const description = [
    ...(session.agenda ? [`Agenda: ${session.agenda}`] : []),
    `Video call: ${session.videoLink}`,
  ].join('\n');
  return content(subject, blocks, {
    method: cancelled ? 'CANCEL' : 'REQUEST',
    uid: `${session.sessionId}@${input.uidDomain}`,
    sequence: session.sequence,
    stamp: input.stamp,
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    summary: sessionSummary(session, people),
    description,
    location: session.videoLink,
    organizer: input.organizer,
    attendees: session.participantIds.flatMap((personId) => {
      const person = people.get(personId);
      return person ? [{ name: person.profile.name, email: person.profile.email }] : [];
    }),
  });
};

/** The eve-of-session reminder, with what was left open last time. */
export const sessionReminderEmail = (input: {
  session: Session;
  people: ReadonlyMap<string, KnownPerson>;
  reader: KnownPerson;
  openFromLastTime: readonly string[];
  unsubscribeUrl: string;
}): EmailContent => {
  const { session, people, reader } = input;
  const title = sessionTitleFor(session, people, reader.personId);
  const when = whenFor(session, reader);
  return content(`Reminder: your ${title} is on ${when}`, [
    `Hello ${reader.profile.name},`,
    `Your ${title} is on ${when} (${minutesOf(session)} minutes).`,
    { link: session.videoLink, label: 'Join the video call' },
    ...(session.agenda ? [`Agenda:\n${session.agenda}`] : []),
    ...(input.openFromLastTime.length > 0
      ? ['Action items still open from last time:', { list: [...input.openFromLastTime] }]
      : []),
    { link: input.unsubscribeUrl, label: 'Stop these reminders' },
  ]);
};

/** "Did it happen?", answered with one click (a signed link, no login). */
export const attendanceQuestionEmail = (input: {
  session: Session;
  people: ReadonlyMap<string, KnownPerson>;
  reader: KnownPerson;
  yesUrl: string;
  noUrl: string;
  unsubscribeUrl: string;
}): EmailContent => {
  const { session, people, reader } = input;
  const title = sessionTitleFor(session, people, reader.personId);
  const when = whenFor(session, reader);
  return content(`Did your ${title} on ${when} happen?`, [
    `Hello ${reader.profile.name},`,
    `Your ${title} was planned for ${when}. Did it take place? One click tells us; either of you can answer.`,
    { link: input.yesUrl, label: 'Yes, it happened' },
    { link: input.noUrl, label: 'No, it did not happen' },
    { link: input.unsubscribeUrl, label: 'Stop these questions' },
  ]);
};

const slotLines = (slots: readonly Interval[], timezone: string) =>
  slots.map((slot) => formatInZone(slot.start, timezone));

/** "Your 1:1 is due and nothing is scheduled", with free slots of the pair. */
export const oneOnOneDueEmail = (input: {
  reader: KnownPerson;
  other: KnownPerson;
  dueAt: string;
  suggestions: readonly Interval[];
  unsubscribeUrl: string;
}): EmailContent => {
  const { reader, other } = input;
  const due = formatInZone(Date.parse(input.dueAt), reader.profile.timezone);
  return content(`Your 1:1 with ${other.profile.name} is due by ${due.split(',')[0]}`, [
    `Hello ${reader.profile.name},`,
    `Your monthly 1:1 with ${other.profile.name} is due by ${due}, and nothing is scheduled yet.`,
    ...(input.suggestions.length > 0
      ? [
          `Times that suit you both (in your time, ${reader.profile.timezone}):`,
          { list: slotLines(input.suggestions, reader.profile.timezone) },
        ]
      : [`Your working hours and ${other.profile.name}'s do not meet in the next weeks; agree on a time together.`]),
    { link: input.unsubscribeUrl, label: 'Stop these reminders' },
  ]);
};

/** No completed 1:1 for a long time. */
export const inactivityWarningEmail = (input: {
  reader: KnownPerson;
  other: KnownPerson;
  days: number;
  unsubscribeUrl: string;
}): EmailContent =>
  content(`No 1:1 with ${input.other.profile.name} for ${input.days} days`, [
    `Hello ${input.reader.profile.name},`,
    `You and ${input.other.profile.name} have not had a 1:1 for ${input.days} days. Please meet soon: after 90 days the life coach is told.`,
    { link: input.unsubscribeUrl, label: 'Stop these warnings' },
  ]);

/** A new pod: who is in it, where they are, and times for each mentee's first 1:1. */
export const podIntroductionEmail = (input: {
  reader: KnownPerson;
  mentor: KnownPerson;
  mentees: readonly KnownPerson[];
  /** Per mentee: free slots with the mentor for the first 1:1. */
  suggestions: ReadonlyMap<string, readonly Interval[]>;
}): EmailContent => {
  const { reader, mentor, mentees } = input;
  const isMentor = reader.personId === mentor.personId;
  const member = (person: KnownPerson, role: string) => `${person.profile.name}, ${role} (${person.profile.timezone})`;
  const tz = reader.profile.timezone;
  const firstOneOnOnes: Block[] = isMentor
    ? mentees.flatMap((mentee): Block[] => {
        const slots = input.suggestions.get(mentee.personId) ?? [];
        return [
          `First 1:1 with ${mentee.profile.name}, times that suit you both (your time, ${tz}):`,
          slots.length > 0
            ? { list: slotLines(slots, tz) }
            : 'Your working hours do not meet in the next weeks; agree on a time together.',
        ];
      })
    : [
        `Your first 1:1 with ${mentor.profile.name}, times that suit you both (your time, ${tz}):`,
        (input.suggestions.get(reader.personId)?.length ?? 0) > 0
          ? { list: slotLines(input.suggestions.get(reader.personId) ?? [], tz) }
          : 'Your working hours do not meet in the next weeks; agree on a time together.',
      ];
  return content(isMentor ? 'Your mentoring pod is formed' : `Welcome to ${mentor.profile.name}'s mentoring pod`, [
    `Hello ${reader.profile.name},`,
    isMentor
      ? `You now mentor a pod of ${mentees.length}. Meet each of your mentees for a 1:1 at least once a month.`
      : `${mentor.profile.name} is your mentor. You will meet for a 1:1 at least once a month.`,
    'Who is in the pod:',
    { list: [member(mentor, 'mentor'), ...mentees.map((mentee) => member(mentee, 'mentee'))] },
    ...firstOneOnOnes,
  ]);
};
