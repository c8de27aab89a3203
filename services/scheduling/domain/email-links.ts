/**
 * The signed links in emails: "did it happen?" (yes or no, once, until it expires) and the
 * one-click unsubscribe (one kind of email, for one person). What a page shows is decided here;
 * the handler only renders it.
 */
import { InvalidLinkError, LinkGoneError } from './errors';
import type { AttendanceClaims, UnsubscribeClaims } from './links';
import { isKnown, type Session } from './model';
import type { SchedulingDependencies, WriteContext } from './ports';
import { optOut } from './preferences';
import { recordOutcome } from './sessions';

const claimsOf = <TPurpose extends 'attendance' | 'unsubscribe'>(
  deps: SchedulingDependencies,
  token: string,
  purpose: TPurpose,
):
  | { ok: true; claims: TPurpose extends 'attendance' ? AttendanceClaims : UnsubscribeClaims }
  | { ok: false; reason: 'invalid' | 'expired' } => {
  if (!deps.links) throw new Error('This function has no link-signing key');
  const checked = deps.links.check(token, deps.clock().getTime());
  if (!checked.ok) return { ok: false, reason: checked.reason };
  if (checked.claims.purpose !== purpose) return { ok: false, reason: 'invalid' };
  return { ok: true, claims: checked.claims as never };
};

/** What the attendance page says before anyone answers. */
export type AttendancePage =
  | { state: 'invalid' }
  | { state: 'expired' }
  | { state: 'used' }
  | { state: 'answered'; session: Session; sessionTitle: string }
  | { state: 'cancelled'; sessionTitle: string }
  | { state: 'ask'; session: Session; sessionTitle: string; readerTimezone: string };

const titleOf = async (deps: SchedulingDependencies, session: Session, readerId: string) => {
  const people = await deps.store.getPeople(session.participantIds);
  const others = session.participantIds
    .filter((personId) => personId !== readerId)
    .map((personId) => {
      const person = people.get(personId);
      return isKnown(person) ? person.profile.name : personId;
    });
  const kind = session.kind === 'one-on-one' ? '1:1' : session.kind === 'pod' ? 'pod session' : 'skip-level';
  return {
    title: `your ${kind} with ${others.join(', ')}`,
    timezone: people.get(readerId)?.profile?.timezone ?? 'UTC',
  };
};

/** The page a "did it happen?" link opens: nothing is recorded by opening it (mail scanners open links). */
export const attendancePage = async (deps: SchedulingDependencies, token: string): Promise<AttendancePage> => {
  const checked = claimsOf(deps, token, 'attendance');
  if (!checked.ok) return { state: checked.reason };
  const { claims } = checked;
  if (await deps.store.linkUsed(claims.linkId)) return { state: 'used' };
  const session = await deps.store.getSession(claims.sessionId);
  if (!session?.participantIds.includes(claims.personId)) return { state: 'invalid' };
  const { title, timezone } = await titleOf(deps, session, claims.personId);
  if (session.status === 'cancelled') return { state: 'cancelled', sessionTitle: title };
  if (session.status !== 'scheduled') return { state: 'answered', session, sessionTitle: title };
  return { state: 'ask', session, sessionTitle: title, readerTimezone: timezone };
};

/** The answer, posted from that page: recorded once, as the person the link was sent to. */
export const answerAttendance = async (
  deps: SchedulingDependencies,
  token: string,
  happened: boolean,
  context: WriteContext,
): Promise<Session> => {
  const checked = claimsOf(deps, token, 'attendance');
  if (!checked.ok) {
    if (checked.reason === 'expired')
      throw new LinkGoneError('This link has expired; answer in the app or through the API.');
    throw new InvalidLinkError('This link is not one the platform sent.');
  }
  const { claims } = checked;
  if (await deps.store.linkUsed(claims.linkId)) throw new LinkGoneError('This link was used already.');
  // Two clicks at once: the link's marker lets one through; the other finds the session answered.
  return recordOutcome(
    deps,
    { personId: claims.personId, isLifeCoach: false },
    claims.sessionId,
    {
      happened,
      via: 'email-link',
      link: { linkId: claims.linkId, expiresAt: new Date(claims.expiresAt * 1000).toISOString() },
    },
    context,
  );
};

export type UnsubscribePage = { state: 'invalid' } | { state: 'ask'; kind: string; name: string };

/** The page an unsubscribe link opens in a browser (the one-click POST is for mail clients). */
export const unsubscribePage = async (deps: SchedulingDependencies, token: string): Promise<UnsubscribePage> => {
  const checked = claimsOf(deps, token, 'unsubscribe');
  if (!checked.ok) return { state: 'invalid' };
  const person = await deps.store.getPerson(checked.claims.personId);
  return { state: 'ask', kind: checked.claims.kind, name: person?.profile?.name ?? checked.claims.personId };
};

/** RFC 8058 one-click: turns that kind of email off for that person; repeating it changes nothing. */
export const unsubscribe = async (deps: SchedulingDependencies, token: string, context: WriteContext) => {
  const checked = claimsOf(deps, token, 'unsubscribe');
  if (!checked.ok) {
    if (checked.reason === 'expired')
      throw new LinkGoneError('This link has expired; change your preferences in the app.');
    throw new InvalidLinkError('This link is not one the platform sent.');
  }
  await optOut(deps, checked.claims.personId, checked.claims.kind, context);
  return checked.claims;
};
