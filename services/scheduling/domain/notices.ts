/**
 * Notices: what to tell whom, and when. A state change writes the notices it implies in the same
 * transaction (so none is lost), each keyed by subject, kind and recipient (so a later change
 * overwrites the earlier one). The sweep sends what is due (see sweep.ts).
 */
import type { Notice, NoticeKind, NoticeRef, Session } from './model';
import type { EmailPolicy } from './policy';
import type { ReminderKind } from './vocabulary';
import { HOUR, nextWorkingMorning, previousWorkingMorning } from './working-time';

/** The eve-of-session reminder is sent only if it comes at least this long after the invite. */
const REMINDER_AFTER_INVITE_MINIMUM = 12 * HOUR;

export const pendingNotice = (ref: NoticeRef, dueAt: number, basis: string, createdAt: string): Notice => ({
  ...ref,
  dueAt: new Date(dueAt).toISOString(),
  basis,
  state: 'pending',
  attempts: 0,
  createdAt,
  claim: null,
  result: null,
});

/** The email kind a person can turn off that covers a notice (none: always sent, or not an email). */
export const optOutKindOf = (kind: NoticeKind): ReminderKind | undefined => {
  switch (kind) {
    case 'one-on-one-due':
    case 'session-tomorrow':
    case 'did-it-happen':
    case 'inactivity-warning':
      return kind;
    default:
      return undefined;
  }
};

export const sameRef = (a: NoticeRef, b: NoticeRef): boolean =>
  a.subject.type === b.subject.type &&
  a.subject.id === b.subject.id &&
  a.kind === b.kind &&
  a.recipientId === b.recipientId;

/** Who is asked "did it happen?": both people of a 1:1 or skip-level, the host of a pod session. */
export const attendanceAskedOf = (session: Pick<Session, 'kind' | 'hostId' | 'participantIds'>): string[] =>
  session.kind === 'pod' ? [session.hostId] : [...session.participantIds];

export const sessionNoticeRefs = (session: Pick<Session, 'sessionId' | 'participantIds' | 'kind' | 'hostId'>) => {
  const subject = { type: 'session' as const, id: session.sessionId };
  return {
    invites: session.participantIds.map((recipientId) => ({ subject, kind: 'session-invite' as const, recipientId })),
    reminders: session.participantIds.map((recipientId) => ({
      subject,
      kind: 'session-tomorrow' as const,
      recipientId,
    })),
    questions: attendanceAskedOf(session).map((recipientId) => ({
      subject,
      kind: 'did-it-happen' as const,
      recipientId,
    })),
  };
};

/**
 * What a session that was just scheduled, moved or cancelled implies for its participants: the
 * invite (REQUEST or CANCEL, with the session's new sequence) now; while it stays scheduled, the
 * reminder on the working morning before it and the question on the working morning after it.
 */
export const sessionNotices = (
  session: Session,
  timezoneOf: (personId: string) => string,
  now: number,
  policy: EmailPolicy,
  options: { invite: boolean },
): { put: Notice[]; remove: NoticeRef[] } => {
  const createdAt = new Date(now).toISOString();
  const refs = sessionNoticeRefs(session);
  const put: Notice[] = [];
  const remove: NoticeRef[] = [];
  if (options.invite) {
    for (const ref of refs.invites) put.push(pendingNotice(ref, now, `sequence:${session.sequence}`, createdAt));
  }
  if (session.status !== 'scheduled') return { put, remove: [...remove, ...refs.reminders, ...refs.questions] };
  for (const ref of refs.reminders) {
    const at = previousWorkingMorning(Date.parse(session.startsAt), timezoneOf(ref.recipientId), policy.morningMinute);
    // Booked so late that the reminder would follow the invite within hours: the invite is the reminder.
    if (at - now >= REMINDER_AFTER_INVITE_MINIMUM)
      put.push(pendingNotice(ref, at, `starts:${session.startsAt}`, createdAt));
    else remove.push(ref);
  }
  for (const ref of refs.questions) {
    const at = nextWorkingMorning(Date.parse(session.endsAt), timezoneOf(ref.recipientId), policy.morningMinute);
    put.push(pendingNotice(ref, at, `ends:${session.endsAt}`, createdAt));
  }
  return { put, remove };
};
