/**
 * Delivering notices. The sweep reads only what is due (the due index), then takes each notice
 * with a conditional claim, so two sweeps running at once, or twice, never send the same one: the
 * loser of the claim moves on. A claimed notice is checked against what it was worked out from
 * (a moved session, a completed 1:1, an opt-out or a suppressed address make it stale), sent, and
 * marked sent in one conditional write. A sweep that dies after claiming leaves a claim that
 * expires; the next sweep takes the notice again. The one window that can repeat an email is a
 * crash between SES accepting it and the write that marks it sent (milliseconds): then it is sent
 * again rather than lost.
 */

import { forEachLimited } from '../../../shared/concurrency';
import { OneOnOneOverdueV1 } from '../../../shared/contracts/scheduling-events';
import { composeRawEmail } from '../../../shared/email/raw-email';
import { pendingEvent } from '../../../shared/events/outbox';
import { daysWithoutOneOnOne, dueAtOf, inactiveSinceOf, nextUpcoming } from './cadence';
import { buildInvite } from './icalendar';
import { linkUrl } from './links';
import {
  attendanceQuestionEmail,
  type EmailContent,
  inactivityWarningEmail,
  inviteEmail,
  oneOnOneDueEmail,
  podIntroductionEmail,
  sessionReminderEmail,
} from './messages';
import { isKnown, type KnownPerson, type Notice, type NoticeRef } from './model';
import { optOutKindOf } from './notices';
import type { SchedulingDependencies, UnitOfWork } from './ports';
import { activeMenteesOf } from './sessions';
import type { ReminderKind } from './vocabulary';
import { DAY, type Interval, MINUTE, suggestSlots } from './working-time';

/** A sweep holds a notice this long; past it, another sweep may take it again. */
export const CLAIM_MINUTES = 5;
/** Tries per notice before it is given up (and logged as failed). */
export const MAX_ATTEMPTS = 5;
const RETRY_BASE_MINUTES = 5;

/** Something a later attempt may get past (a person not projected yet, a throttled send). */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

/** Mailers throw this for a message the provider refuses for good (an address it will not send to). */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
}

type Plan =
  | { action: 'skip'; reason: string }
  | { action: 'email'; to: KnownPerson; email: EmailContent; unsubscribe?: string }
  | { action: 'event'; work: UnitOfWork };

export type DeliveryOutcome = 'sent' | 'skipped' | 'failed' | 'retry' | 'not-claimed' | 'lost-claim';

const skip = (reason: string): Plan => ({ action: 'skip', reason });

const unsubscribeLink = (deps: SchedulingDependencies, personId: string, kind: ReminderKind, now: number) => {
  if (!deps.links) throw new NotReadyError('This function has no link-signing key; the sweep will send it');
  const token = deps.links.sign({
    purpose: 'unsubscribe',
    personId,
    kind,
    expiresAt: Math.floor(now / 1000) + 365 * 24 * 3600,
  });
  return linkUrl(deps.sender.publicApiUrl, 'unsubscribe', token);
};

const knownPeople = async (deps: SchedulingDependencies, personIds: readonly string[]) => {
  const people = await deps.store.getPeople(personIds);
  const known = new Map<string, KnownPerson>();
  for (const [personId, person] of people) if (isKnown(person)) known.set(personId, person);
  return known;
};

const SUGGESTION_HORIZON_DAYS = 28;

const busyOf = async (deps: SchedulingDependencies, personIds: readonly string[], from: number) => {
  const to = new Date(from + SUGGESTION_HORIZON_DAYS * DAY).toISOString();
  return (
    await Promise.all(
      personIds.map((personId) => deps.store.calendarOf(personId, new Date(from - DAY).toISOString(), to)),
    )
  )
    .flat()
    .filter((entry) => entry.status === 'scheduled')
    .map((entry) => ({ start: Date.parse(entry.startsAt), end: Date.parse(entry.endsAt) }));
};

const availabilityOf = (person: KnownPerson) => ({
  personId: person.personId,
  timezone: person.profile.timezone,
  workingHours: person.profile.workingHours,
});

/** Free 30-minute slots of two people for a 1:1, from `minimumNoticeMinutes` after now. */
const pairSuggestions = async (
  deps: SchedulingDependencies,
  a: KnownPerson,
  b: KnownPerson,
  now: number,
  count: number,
): Promise<Interval[]> => {
  const from = now + deps.policy.minimumNoticeMinutes * MINUTE;
  return suggestSlots({
    people: [availabilityOf(a), availabilityOf(b)],
    busy: await busyOf(deps, [a.personId, b.personId], from),
    from,
    durationMinutes: 30,
    count,
    horizonDays: SUGGESTION_HORIZON_DAYS,
  });
};

/**
 * Slots for each mentee's first 1:1 with the mentor, mentee by mentee in a fixed order, each
 * avoiding the slots offered to the ones before: the mentor is never offered the same time twice.
 */
const podSuggestions = async (
  deps: SchedulingDependencies,
  mentor: KnownPerson,
  mentees: readonly KnownPerson[],
  now: number,
): Promise<Map<string, Interval[]>> => {
  const from = now + deps.policy.minimumNoticeMinutes * MINUTE;
  const mentorBusy = await busyOf(deps, [mentor.personId], from);
  const offered: Interval[] = [];
  const suggestions = new Map<string, Interval[]>();
  for (const mentee of mentees) {
    const slots = suggestSlots({
      people: [availabilityOf(mentor), availabilityOf(mentee)],
      busy: [...mentorBusy, ...offered, ...(await busyOf(deps, [mentee.personId], from))],
      from,
      durationMinutes: 30,
      count: 3,
      horizonDays: SUGGESTION_HORIZON_DAYS,
    });
    offered.push(...slots);
    suggestions.set(mentee.personId, slots);
  }
  return suggestions;
};

/** What to do with a claimed notice, decided on fresh reads. */
const planOf = async (deps: SchedulingDependencies, notice: Notice, now: number): Promise<Plan> => {
  if (notice.kind === 'one-on-one-overdue') {
    const mentorship = await deps.store.getMentorship(notice.subject.id);
    if (mentorship?.status !== 'active') return skip('mentorship-ended');
    if (notice.basis !== `since:${inactiveSinceOf(mentorship)}`) return skip('superseded');
    return {
      action: 'event',
      work: {
        writes: [],
        events: [
          pendingEvent(OneOnOneOverdueV1, {
            mentorshipId: mentorship.mentorshipId,
            mentorId: mentorship.mentorId,
            menteeId: mentorship.menteeId,
            podId: mentorship.podId,
            lastCompletedAt: mentorship.lastCompletedAt,
            daysWithoutOneOnOne: daysWithoutOneOnOne(mentorship, now),
          }),
        ],
      },
    };
  }

  const reader = notice.recipientId ? await deps.store.getPerson(notice.recipientId) : undefined;
  if (!isKnown(reader)) {
    if (notice.attempts < 3) throw new NotReadyError(`${notice.recipientId} is not known yet`);
    return skip('recipient-unknown');
  }
  if (reader.status !== 'active' && notice.kind !== 'session-invite') return skip('recipient-left');
  if (await deps.store.getSuppression(reader.profile.email)) return skip('address-suppressed');
  const optOut = optOutKindOf(notice.kind);
  if (optOut && (await deps.store.getPreferences(reader.personId))?.optedOut.includes(optOut)) return skip('opted-out');
  const unsubscribe = optOut ? unsubscribeLink(deps, reader.personId, optOut, now) : undefined;

  switch (notice.kind) {
    case 'session-invite':
    case 'session-tomorrow':
    case 'did-it-happen': {
      const session = await deps.store.getSession(notice.subject.id);
      if (!session) return skip('session-gone');
      const people = await knownPeople(deps, session.participantIds);
      if (notice.kind === 'session-invite') {
        if (notice.basis !== `sequence:${session.sequence}`) return skip('superseded');
        const domain = deps.sender.address.split('@')[1] ?? 'mentoring.invalid';
        return {
          action: 'email',
          to: reader,
          email: inviteEmail({
            session,
            people,
            reader,
            organizer: { name: deps.sender.name, email: deps.sender.address },
            uidDomain: domain,
            stamp: new Date(now),
          }),
        };
      }
      if (session.status !== 'scheduled') return skip(`session-${session.status}`);
      if (notice.kind === 'session-tomorrow') {
        if (notice.basis !== `starts:${session.startsAt}`) return skip('superseded');
        const previous = await deps.store.previousInSeries(session.seriesId, session.startsAt, session.sessionId);
        const open = (previous?.actionItems ?? []).filter((item) => !item.done).map((item) => item.text);
        return {
          action: 'email',
          to: reader,
          email: sessionReminderEmail({
            session,
            people,
            reader,
            openFromLastTime: open,
            unsubscribeUrl: unsubscribe ?? '',
          }),
          ...(unsubscribe ? { unsubscribe } : {}),
        };
      }
      if (notice.basis !== `ends:${session.endsAt}`) return skip('superseded');
      if (!deps.links) throw new NotReadyError('This function has no link-signing key; the sweep will send it');
      const token = deps.links.sign({
        purpose: 'attendance',
        linkId: deps.newId(),
        sessionId: session.sessionId,
        personId: reader.personId,
        expiresAt: Math.floor(now / 1000) + deps.policy.email.attendanceLinkDays * 24 * 3600,
      });
      const page = linkUrl(deps.sender.publicApiUrl, 'attendance', token);
      return {
        action: 'email',
        to: reader,
        email: attendanceQuestionEmail({
          session,
          people,
          reader,
          yesUrl: `${page}?answer=yes`,
          noUrl: `${page}?answer=no`,
          unsubscribeUrl: unsubscribe ?? '',
        }),
        ...(unsubscribe ? { unsubscribe } : {}),
      };
    }
    case 'one-on-one-due':
    case 'inactivity-warning': {
      const mentorship = await deps.store.getMentorship(notice.subject.id);
      if (mentorship?.status !== 'active') return skip('mentorship-ended');
      const otherId = reader.personId === mentorship.mentorId ? mentorship.menteeId : mentorship.mentorId;
      const other = await deps.store.getPerson(otherId);
      if (!isKnown(other)) return skip('partner-unknown');
      if (notice.kind === 'one-on-one-due') {
        const dueAt = dueAtOf(mentorship, deps.policy.cadence);
        if (notice.basis !== `due:${dueAt}`) return skip('superseded');
        if (nextUpcoming(mentorship, now)) return skip('scheduled');
        const suggestions = await pairSuggestions(deps, reader, other, now, 3);
        return {
          action: 'email',
          to: reader,
          email: oneOnOneDueEmail({ reader, other, dueAt, suggestions, unsubscribeUrl: unsubscribe ?? '' }),
          ...(unsubscribe ? { unsubscribe } : {}),
        };
      }
      if (notice.basis !== `since:${inactiveSinceOf(mentorship)}`) return skip('superseded');
      return {
        action: 'email',
        to: reader,
        email: inactivityWarningEmail({
          reader,
          other,
          days: daysWithoutOneOnOne(mentorship, now),
          unsubscribeUrl: unsubscribe ?? '',
        }),
        ...(unsubscribe ? { unsubscribe } : {}),
      };
    }
    case 'pod-introduction': {
      const pod = await deps.store.getPod(notice.subject.id);
      if (pod?.status !== 'active') return skip('pod-dissolved');
      const menteeIds = [...new Set([...pod.menteeIds, ...(await activeMenteesOf(deps, pod))])];
      const people = await knownPeople(deps, [pod.mentorId, ...menteeIds]);
      const mentor = people.get(pod.mentorId);
      const missing = [pod.mentorId, ...menteeIds].filter((personId) => !people.has(personId));
      if (missing.length > 0 && notice.attempts < 3) throw new NotReadyError(`Not known yet: ${missing.join(', ')}`);
      if (!mentor) return skip('mentor-unknown');
      const mentees = menteeIds.flatMap((personId) => {
        const mentee = people.get(personId);
        return mentee ? [mentee] : [];
      });
      const suggestions = await podSuggestions(deps, mentor, mentees, now);
      return { action: 'email', to: reader, email: podIntroductionEmail({ reader, mentor, mentees, suggestions }) };
    }
  }
};

const messageIdOf = (notice: Notice, domain: string) =>
  `${notice.subject.type}.${notice.subject.id}.${notice.kind}.${notice.recipientId ?? 'all'}.${notice.attempts}@${domain}`.replace(
    /[^A-Za-z0-9.@_-]/g,
    '_',
  );

/** Claims one notice and delivers it: sent, skipped, failed for good, or given back for a retry. */
export const deliverNotice = async (
  deps: SchedulingDependencies,
  ref: NoticeRef,
  correlationId: string,
): Promise<DeliveryOutcome> => {
  const now = deps.clock().getTime();
  const nowIso = new Date(now).toISOString();
  const notice = await deps.store.claimNotice(ref, nowIso, {
    token: deps.newId(),
    until: new Date(now + CLAIM_MINUTES * MINUTE).toISOString(),
  });
  if (!notice) return 'not-claimed';
  const context = { correlationId };
  try {
    const plan = await planOf(deps, notice, now);
    if (plan.action === 'skip') {
      return (await deps.store.finishNotice(
        notice,
        { state: 'skipped', at: nowIso, reason: plan.reason },
        { writes: [], events: [] },
        context,
      )) === 'finished'
        ? 'skipped'
        : 'lost-claim';
    }
    if (plan.action === 'event') {
      return (await deps.store.finishNotice(notice, { state: 'sent', at: nowIso }, plan.work, context)) === 'finished'
        ? 'sent'
        : 'lost-claim';
    }
    const domain = deps.sender.address.split('@')[1] ?? 'mentoring.invalid';
    const raw = composeRawEmail(
      {
        from: { name: deps.sender.name, address: deps.sender.address },
        to: [{ name: plan.to.profile.name, address: plan.to.profile.email }],
        subject: plan.email.subject,
        text: plan.email.text,
        html: plan.email.html,
        ...(plan.unsubscribe
          ? {
              headers: {
                'List-Unsubscribe': `<${plan.unsubscribe}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              },
            }
          : {}),
        ...(plan.email.calendar
          ? { calendar: { method: plan.email.calendar.method, content: buildInvite(plan.email.calendar) } }
          : {}),
      },
      { messageId: `<${messageIdOf(notice, domain)}>`, date: new Date(now) },
    );
    const messageId = await deps.mailer.send({ to: plan.to.profile.email, raw: Buffer.from(raw, 'utf8') });
    return (await deps.store.finishNotice(
      notice,
      { state: 'sent', at: nowIso, messageId },
      { writes: [], events: [] },
      context,
    )) === 'finished'
      ? 'sent'
      : 'lost-claim';
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 500);
    if (error instanceof PermanentSendError || notice.attempts >= MAX_ATTEMPTS) {
      await deps.store.finishNotice(
        notice,
        { state: 'failed', at: nowIso, reason },
        { writes: [], events: [] },
        context,
      );
      return 'failed';
    }
    const retryAt = new Date(now + RETRY_BASE_MINUTES * MINUTE * 2 ** (notice.attempts - 1)).toISOString();
    await deps.store.releaseNotice(notice, retryAt, reason);
    return 'retry';
  }
};

export type SweepSummary = Record<DeliveryOutcome, number> & { due: number };

/** Delivers notices (the sweep's due ones, or those a write just made), a few at a time. */
export const deliverNotices = async (
  deps: SchedulingDependencies,
  refs: readonly NoticeRef[],
  correlationId: string,
  concurrency = 8,
): Promise<SweepSummary> => {
  const summary: SweepSummary = {
    due: refs.length,
    sent: 0,
    skipped: 0,
    failed: 0,
    retry: 0,
    'not-claimed': 0,
    'lost-claim': 0,
  };
  await forEachLimited(refs, concurrency, async (ref) => {
    summary[await deliverNotice(deps, ref, correlationId)]++;
  });
  return summary;
};

/** One firing of the reminder sweep: everything due now, at most `limit` (the next firing takes the rest). */
export const sweepDueNotices = async (
  deps: SchedulingDependencies,
  options: { correlationId: string; limit?: number; concurrency?: number },
): Promise<SweepSummary> => {
  const due = await deps.store.dueNotices(deps.clock().toISOString(), options.limit ?? 1000);
  return deliverNotices(deps, due, options.correlationId, options.concurrency);
};
