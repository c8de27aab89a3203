/**
 * Sessions: schedule, reschedule, edit, cancel, and record whether they happened. Each use case
 * reads what it decides on, decides, and writes one unit of work: the session, every participant's
 * calendar (under their calendar lock, so two bookings of the same person cannot both pass the
 * clash check), the cadence, the notices (invites now, reminders later) and the event. A write that
 * lost a race is redone on fresh data.
 */
import {
  SessionCancelledV1,
  SessionCompletedV1,
  SessionMissedV1,
  SessionRescheduledV1,
  SessionScheduledV1,
  type SessionSnapshotV1,
} from '../../../shared/contracts/scheduling-events';
import { type PendingEvent, pendingEvent } from '../../../shared/events/outbox';
import type { FieldError } from '../../../shared/http/errors';
import { retry } from '../../../shared/retry';
import { cadenceNotices } from './cadence';
import {
  ConcurrentChangeError,
  NotEntitledError,
  SessionClashError,
  SessionNotFoundError,
  SessionStateError,
  UnknownPersonError,
  UnprocessableRequestError,
} from './errors';
import type {
  ActionItem,
  KnownPerson,
  MentorshipRecord,
  Notice,
  NoticeRef,
  PersonRecord,
  PodRecord,
  Session,
} from './model';
import { isKnown } from './model';
import { sessionNoticeRefs, sessionNotices } from './notices';
import { meetingUrlFor } from './policy';
import type { SchedulingDependencies, UnitOfWork, Write, WriteContext } from './ports';
import { WriteConflictError } from './ports';
import type { SessionKind } from './vocabulary';
import { HOUR, MINUTE, overlaps, withinWorkingHours } from './working-time';

/** Who acts: a person, and whether they hold the life-coach role. */
export interface Actor {
  personId: string;
  isLifeCoach: boolean;
}

/** The longest session there is: a clash check looks this far back for overlapping ones. */
const LONGEST_SESSION = 2 * HOUR;

type SnapshotData = ReturnType<typeof SessionSnapshotV1>['_zod']['output'];

export const snapshotOf = (session: Session): SnapshotData => ({
  sessionId: session.sessionId,
  kind: session.kind,
  hostId: session.hostId,
  participantIds: [...session.participantIds],
  mentorshipId: session.mentorshipId,
  podId: session.podId,
  startsAt: session.startsAt,
  endsAt: session.endsAt,
});

/** Redoes a write that lost a race on fresh data; gives up with ConcurrentChangeError. */
export const retryingConflicts = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await retry(work, { attempts: 4, retryable: (error) => error instanceof WriteConflictError });
  } catch (error) {
    if (error instanceof WriteConflictError) {
      throw new ConcurrentChangeError('The session or a calendar kept being changed at the same time; retry.');
    }
    throw error;
  }
};

export const isParticipant = (session: Session, personId: string) => session.participantIds.includes(personId);

/** A session the actor may see: theirs, or anyone's for the life coach. Otherwise it does not exist for them. */
export const visibleSession = async (deps: SchedulingDependencies, actor: Actor, sessionId: string) => {
  const session = await deps.store.getSession(sessionId);
  if (!session || !(isParticipant(session, actor.personId) || actor.isLifeCoach)) {
    throw new SessionNotFoundError(sessionId);
  }
  return session;
};

/** A session the actor takes part in (changing one is for participants only). */
const ownSession = async (deps: SchedulingDependencies, actor: Actor, sessionId: string) => {
  const session = await deps.store.getSession(sessionId);
  if (!session || !isParticipant(session, actor.personId)) throw new SessionNotFoundError(sessionId);
  return session;
};

const activePeople = async (
  deps: SchedulingDependencies,
  ids: readonly { personId: string; location: string }[],
): Promise<Map<string, KnownPerson>> => {
  const people = await deps.store.getPeople(ids.map((id) => id.personId));
  const known = new Map<string, KnownPerson>();
  for (const { personId, location } of ids) {
    const person = people.get(personId);
    if (!isKnown(person) || person.status !== 'active') throw new UnknownPersonError(personId, location);
    known.set(personId, person);
  }
  return known;
};

const describeHours = (person: KnownPerson) => {
  const { start, end } = person.profile.workingHours;
  return `${start}-${end} Monday to Friday${start > end ? ' (night shift)' : ''}, ${person.profile.timezone}`;
};

/** 422 when the slot is in the past or outside anyone's working hours, naming each person. */
export const checkSlot = (people: readonly KnownPerson[], start: number, end: number, now: number): void => {
  const errors: FieldError[] = [];
  if (start < now) errors.push({ location: 'body.startsAt', message: 'is in the past' });
  for (const person of people) {
    const availability = {
      personId: person.personId,
      timezone: person.profile.timezone,
      workingHours: person.profile.workingHours,
    };
    if (!withinWorkingHours(availability, start, end)) {
      errors.push({
        location: 'body.startsAt',
        message: `is outside the working hours of ${person.profile.name} (${person.personId}): ${describeHours(person)}`,
      });
    }
  }
  if (errors.length > 0) {
    throw new UnprocessableRequestError(errors.map((error) => `startsAt ${error.message}`).join('; '), errors);
  }
};

/** 409 naming every scheduled session of a participant that overlaps the slot (the session itself aside). */
const checkClashes = async (
  deps: SchedulingDependencies,
  participantIds: readonly string[],
  start: number,
  end: number,
  ignoreSessionId?: string,
) => {
  const from = new Date(start - LONGEST_SESSION).toISOString();
  const to = new Date(end).toISOString();
  const clashes = [];
  for (const personId of participantIds) {
    for (const entry of await deps.store.calendarOf(personId, from, to)) {
      if (entry.status !== 'scheduled' || entry.sessionId === ignoreSessionId) continue;
      if (overlaps({ start, end }, { start: Date.parse(entry.startsAt), end: Date.parse(entry.endsAt) })) {
        clashes.push({ personId, sessionId: entry.sessionId, startsAt: entry.startsAt, endsAt: entry.endsAt });
      }
    }
  }
  if (clashes.length > 0) throw new SessionClashError(clashes);
};

const calendarWrites = (
  session: Session,
  locks: Map<string, number>,
  previous?: Pick<Session, 'startsAt'>,
): Write[] => {
  const writes: Write[] = [];
  for (const personId of session.participantIds) {
    writes.push({ type: 'calendar-lock', personId, expectedVersion: locks.get(personId) ?? 0 });
    if (previous && previous.startsAt !== session.startsAt) {
      writes.push({
        type: 'remove-calendar-entry',
        personId,
        startsAt: previous.startsAt,
        sessionId: session.sessionId,
      });
    }
    writes.push({
      type: 'calendar-entry',
      entry: {
        personId,
        sessionId: session.sessionId,
        kind: session.kind,
        status: session.status,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
      },
    });
  }
  return writes;
};

export const noticeWrites = (notices: { put: Notice[]; remove: NoticeRef[] }): Write[] => [
  ...notices.put.map((notice): Write => ({ type: 'notice', notice })),
  ...notices.remove.map((ref): Write => ({ type: 'remove-notice', ref })),
];

const timezoneLookup = (people: Map<string, PersonRecord>) => (personId: string) =>
  people.get(personId)?.profile?.timezone ?? 'UTC';

export interface ScheduleRequest {
  kind: SessionKind;
  /** 1:1s: the pair. */
  mentorId?: string;
  menteeId?: string;
  /** Pod sessions. */
  podId?: string;
  /** Skip-levels: the person the life coach meets. */
  personId?: string;
  startsAt: number;
  durationMinutes: number;
  agenda?: string;
}

interface Cast {
  hostId: string;
  participantIds: string[];
  mentorship: MentorshipRecord | null;
  pod: PodRecord | null;
  seriesId: string;
}

/** Who a new session is for, and whether the actor may book it. */
const castOf = async (deps: SchedulingDependencies, actor: Actor, request: ScheduleRequest): Promise<Cast> => {
  if (request.kind === 'one-on-one') {
    const { mentorId = '', menteeId = '' } = request;
    if (actor.personId !== mentorId && actor.personId !== menteeId) {
      throw new NotEntitledError('Only the mentor or the mentee of a 1:1 can schedule it.');
    }
    const mentorship = await activeMentorshipBetween(deps, mentorId, menteeId);
    if (!mentorship) {
      throw new UnprocessableRequestError(`${mentorId} is not the mentor of ${menteeId}.`, [
        { location: 'body.menteeId', message: `has no active mentorship with ${mentorId}` },
      ]);
    }
    return {
      hostId: mentorId,
      participantIds: [mentorId, menteeId],
      mentorship,
      pod: null,
      seriesId: `mentorship-${mentorship.mentorshipId}`,
    };
  }
  if (request.kind === 'pod') {
    const podId = request.podId ?? '';
    const pod = await deps.store.getPod(podId);
    if (pod?.status !== 'active') {
      throw new UnprocessableRequestError(`No active pod ${podId}.`, [
        { location: 'body.podId', message: 'is not an active pod' },
      ]);
    }
    const menteeIds = await activeMenteesOf(deps, pod);
    const participantIds = [pod.mentorId, ...menteeIds];
    if (!participantIds.includes(actor.personId))
      throw new NotEntitledError('Only members of a pod can schedule its sessions.');
    if (menteeIds.length === 0) {
      throw new UnprocessableRequestError(`Pod ${podId} has no mentees.`, [
        { location: 'body.podId', message: 'has no mentees' },
      ]);
    }
    return { hostId: pod.mentorId, participantIds, mentorship: null, pod, seriesId: `pod-${podId}` };
  }
  if (!actor.isLifeCoach) throw new NotEntitledError('Only the life coach holds skip-level meetings.');
  const personId = request.personId ?? '';
  if (personId === actor.personId) {
    throw new UnprocessableRequestError('A skip-level is with someone else.', [
      { location: 'body.personId', message: 'must be someone other than the life coach' },
    ]);
  }
  return {
    hostId: actor.personId,
    participantIds: [actor.personId, personId],
    mentorship: null,
    pod: null,
    seriesId: `skip-level-${actor.personId}-${personId}`,
  };
};

export const activeMentorshipBetween = async (deps: SchedulingDependencies, mentorId: string, menteeId: string) => {
  const links = await deps.store.mentorshipLinksOf(menteeId);
  const ids = links.filter((link) => link.role === 'mentee' && link.active).map((link) => link.mentorshipId);
  const mentorships = await deps.store.getMentorships(ids);
  return mentorships.find((mentorship) => mentorship.status === 'active' && mentorship.mentorId === mentorId);
};

export const activeMenteesOf = async (deps: SchedulingDependencies, pod: PodRecord): Promise<string[]> => {
  const links = await deps.store.mentorshipLinksOf(pod.mentorId);
  const ids = links.filter((link) => link.role === 'mentor' && link.active).map((link) => link.mentorshipId);
  const mentorships = await deps.store.getMentorships(ids);
  return mentorships
    .filter((mentorship) => mentorship.status === 'active' && mentorship.podId === pod.podId)
    .map((mentorship) => mentorship.menteeId)
    .sort();
};

/** The session's video link: the host's own meeting link if they set one, else the deployment's template. */
const videoLinkFor = async (deps: SchedulingDependencies, hostId: string, sessionId: string) =>
  (await deps.store.getPreferences(hostId))?.meetingLink ?? meetingUrlFor(deps.policy.meetingUrlTemplate, sessionId);

/** A new session as it would be written (used by scheduling and by confirmed skip-level plans). */
export const newSession = (
  fields: Pick<
    Session,
    'sessionId' | 'kind' | 'hostId' | 'participantIds' | 'mentorshipId' | 'podId' | 'planId' | 'seriesId' | 'videoLink'
  > & {
    start: number;
    durationMinutes: number;
    agenda: string;
    createdBy: string;
    now: number;
  },
): Session => {
  const now = new Date(fields.now).toISOString();
  return {
    sessionId: fields.sessionId,
    kind: fields.kind,
    status: 'scheduled',
    hostId: fields.hostId,
    participantIds: fields.participantIds,
    mentorshipId: fields.mentorshipId,
    podId: fields.podId,
    planId: fields.planId,
    seriesId: fields.seriesId,
    startsAt: new Date(fields.start).toISOString(),
    endsAt: new Date(fields.start + fields.durationMinutes * MINUTE).toISOString(),
    videoLink: fields.videoLink,
    agenda: fields.agenda,
    actionItems: [],
    sequence: 0,
    createdAt: now,
    createdBy: fields.createdBy,
    updatedAt: now,
    outcome: null,
    cancelled: null,
    version: 1,
  };
};

/**
 * Everything that writing a new scheduled session implies, for a session already checked: its
 * calendars (under the locks read before the clash check), series, cadence, notices and event.
 */
export const scheduledSessionWork = (
  deps: SchedulingDependencies,
  session: Session,
  context: {
    locks: Map<string, number>;
    people: Map<string, PersonRecord>;
    mentorship: MentorshipRecord | null;
    now: number;
  },
): UnitOfWork => {
  const writes: Write[] = [
    { type: 'session', record: session, expectedVersion: null },
    ...calendarWrites(session, context.locks),
    { type: 'series-entry', seriesId: session.seriesId, sessionId: session.sessionId, startsAt: session.startsAt },
    ...noticeWrites(
      sessionNotices(session, timezoneLookup(context.people), context.now, deps.policy.email, { invite: true }),
    ),
  ];
  if (context.mentorship) {
    writes.push({
      type: 'mentorship',
      record: {
        ...context.mentorship,
        upcoming: { ...context.mentorship.upcoming, [session.sessionId]: session.startsAt },
        version: context.mentorship.version + 1,
      },
      expectedVersion: context.mentorship.version,
    });
  }
  return { writes, events: [pendingEvent(SessionScheduledV1, { session: snapshotOf(session) })] };
};

export const scheduleSession = (
  deps: SchedulingDependencies,
  actor: Actor,
  request: ScheduleRequest,
  context: WriteContext,
): Promise<Session> =>
  retryingConflicts(async () => {
    const now = deps.clock().getTime();
    const cast = await castOf(deps, actor, request);
    const people = await activePeople(
      deps,
      cast.participantIds.map((personId) => ({
        personId,
        location:
          request.kind === 'one-on-one'
            ? personId === request.mentorId
              ? 'body.mentorId'
              : 'body.menteeId'
            : request.kind === 'skip-level' && personId !== actor.personId
              ? 'body.personId'
              : 'body',
      })),
    );
    const start = request.startsAt;
    const end = start + request.durationMinutes * MINUTE;
    checkSlot([...people.values()], start, end, now);
    const locks = await deps.store.calendarLocks(cast.participantIds);
    await checkClashes(deps, cast.participantIds, start, end);
    const sessionId = deps.newId();
    const session = newSession({
      sessionId,
      kind: request.kind,
      hostId: cast.hostId,
      participantIds: cast.participantIds,
      mentorshipId: cast.mentorship?.mentorshipId ?? null,
      podId: cast.mentorship?.podId ?? cast.pod?.podId ?? null,
      planId: null,
      seriesId: cast.seriesId,
      videoLink: await videoLinkFor(deps, cast.hostId, sessionId),
      start,
      durationMinutes: request.durationMinutes,
      agenda: request.agenda ?? '',
      createdBy: actor.personId,
      now,
    });
    await deps.store.commit(
      scheduledSessionWork(deps, session, { locks, people, mentorship: cast.mentorship, now }),
      context,
    );
    return session;
  });

export interface SessionChange {
  startsAt?: number;
  durationMinutes?: number;
  agenda?: string;
  /** The whole list; items without an id get one. */
  actionItems?: { id?: string; text: string; done: boolean }[];
}

/** Reschedules (new time: new sequence, updated invites) and/or edits the shared agenda and action items. */
export const changeSession = (
  deps: SchedulingDependencies,
  actor: Actor,
  sessionId: string,
  change: SessionChange,
  context: WriteContext,
): Promise<Session> =>
  retryingConflicts(async () => {
    const now = deps.clock().getTime();
    const session = await ownSession(deps, actor, sessionId);
    if (session.status === 'cancelled') throw new SessionStateError(`Session ${sessionId} was cancelled.`);
    const actionItems: ActionItem[] | undefined = change.actionItems?.map((item) => ({
      id: item.id ?? deps.newId(),
      text: item.text,
      done: item.done,
    }));
    const currentStart = Date.parse(session.startsAt);
    const currentDuration = (Date.parse(session.endsAt) - currentStart) / MINUTE;
    const start = change.startsAt ?? currentStart;
    const duration = change.durationMinutes ?? currentDuration;
    const moves = start !== currentStart || duration !== currentDuration;
    const updated: Session = {
      ...session,
      ...(change.agenda !== undefined ? { agenda: change.agenda } : {}),
      ...(actionItems ? { actionItems } : {}),
      updatedAt: new Date(now).toISOString(),
      version: session.version + 1,
    };
    if (!moves) {
      await deps.store.commit(
        { writes: [{ type: 'session', record: updated, expectedVersion: session.version }], events: [] },
        context,
      );
      return updated;
    }
    if (session.status !== 'scheduled') {
      throw new SessionStateError(`Session ${sessionId} is ${session.status}; only a scheduled session can move.`);
    }
    const people = await activePeople(
      deps,
      session.participantIds.map((personId) => ({ personId, location: 'body.startsAt' })),
    );
    const end = start + duration * MINUTE;
    checkSlot([...people.values()], start, end, now);
    const locks = await deps.store.calendarLocks(session.participantIds);
    await checkClashes(deps, session.participantIds, start, end, sessionId);
    const moved: Session = {
      ...updated,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(end).toISOString(),
      sequence: session.sequence + 1,
    };
    const writes: Write[] = [
      { type: 'session', record: moved, expectedVersion: session.version },
      ...calendarWrites(moved, locks, session),
      ...(moved.startsAt !== session.startsAt
        ? ([
            { type: 'remove-series-entry', seriesId: session.seriesId, sessionId, startsAt: session.startsAt },
            { type: 'series-entry', seriesId: session.seriesId, sessionId, startsAt: moved.startsAt },
          ] as const)
        : []),
      ...noticeWrites(sessionNotices(moved, timezoneLookup(people), now, deps.policy.email, { invite: true })),
    ];
    const mentorship = session.mentorshipId ? await deps.store.getMentorship(session.mentorshipId) : undefined;
    if (mentorship) {
      writes.push({
        type: 'mentorship',
        record: {
          ...mentorship,
          upcoming: { ...mentorship.upcoming, [sessionId]: moved.startsAt },
          version: mentorship.version + 1,
        },
        expectedVersion: mentorship.version,
      });
    }
    await deps.store.commit(
      {
        writes,
        events: [
          pendingEvent(SessionRescheduledV1, {
            session: snapshotOf(moved),
            previous: { startsAt: session.startsAt, endsAt: session.endsAt },
          }),
        ],
      },
      context,
    );
    return moved;
  });

export type CancelReason = 'cancelled-by-participant' | 'mentorship-ended' | 'person-left' | 'plan-changed';

/** The unit of work that cancels a scheduled session: CANCEL invites, reminders withdrawn, cadence freed. */
export const cancellationWork = async (
  deps: SchedulingDependencies,
  session: Session,
  by: string | null,
  reason: CancelReason,
): Promise<UnitOfWork> => {
  const now = deps.clock().getTime();
  const cancelled: Session = {
    ...session,
    status: 'cancelled',
    sequence: session.sequence + 1,
    cancelled: { by, at: new Date(now).toISOString(), reason },
    updatedAt: new Date(now).toISOString(),
    version: session.version + 1,
  };
  const locks = await deps.store.calendarLocks(session.participantIds);
  const people = await deps.store.getPeople(session.participantIds);
  const writes: Write[] = [
    { type: 'session', record: cancelled, expectedVersion: session.version },
    ...calendarWrites(cancelled, locks),
    {
      type: 'remove-series-entry',
      seriesId: session.seriesId,
      sessionId: session.sessionId,
      startsAt: session.startsAt,
    },
    ...noticeWrites(sessionNotices(cancelled, timezoneLookup(people), now, deps.policy.email, { invite: true })),
  ];
  const mentorship = session.mentorshipId ? await deps.store.getMentorship(session.mentorshipId) : undefined;
  if (mentorship && session.sessionId in mentorship.upcoming) {
    const { [session.sessionId]: _dropped, ...upcoming } = mentorship.upcoming;
    writes.push({
      type: 'mentorship',
      record: { ...mentorship, upcoming, version: mentorship.version + 1 },
      expectedVersion: mentorship.version,
    });
  }
  return { writes, events: [pendingEvent(SessionCancelledV1, { session: snapshotOf(cancelled), reason })] };
};

export const cancelSession = (
  deps: SchedulingDependencies,
  actor: Actor,
  sessionId: string,
  context: WriteContext,
): Promise<Session> =>
  retryingConflicts(async () => {
    const session = await ownSession(deps, actor, sessionId);
    if (session.status !== 'scheduled') {
      throw new SessionStateError(
        `Session ${sessionId} is ${session.status}; only a scheduled session can be cancelled.`,
      );
    }
    const work = await cancellationWork(deps, session, actor.personId, 'cancelled-by-participant');
    await deps.store.commit(work, context);
    return work.writes[0]?.type === 'session' ? work.writes[0].record : session;
  });

/**
 * Cancels every future scheduled session matching `which`, one transaction each (so any number
 * fits), each only if still scheduled: repeating it after a crash cancels what is left, once.
 * Answers the CANCEL invites to deliver.
 */
export const cancelFutureSessions = async (
  deps: SchedulingDependencies,
  personId: string,
  which: (session: Session) => boolean,
  reason: CancelReason,
  context: WriteContext,
): Promise<NoticeRef[]> => {
  const now = deps.clock();
  const far = new Date(now.getTime() + 5 * 365 * 24 * HOUR).toISOString();
  const entries = await deps.store.calendarOf(personId, now.toISOString(), far);
  const invites: NoticeRef[] = [];
  for (const entry of entries.filter((candidate) => candidate.status === 'scheduled')) {
    const cancelled = await retryingConflicts(async () => {
      const session = await deps.store.getSession(entry.sessionId);
      if (session?.status !== 'scheduled' || !which(session)) return undefined;
      await deps.store.commit(await cancellationWork(deps, session, null, reason), context);
      return session;
    });
    if (cancelled) invites.push(...sessionNoticeRefs(cancelled).invites);
  }
  return invites;
};

export interface OutcomeReport {
  happened: boolean;
  via: 'api' | 'email-link';
  /** For email links: the link's id, marked used in the same transaction. */
  link?: { linkId: string; expiresAt: string };
}

/**
 * "Did it happen?": yes completes the session (and, for a 1:1, resets the cadence), no records it
 * as missed. Either participant answers, once; the session must have started.
 */
export const recordOutcome = (
  deps: SchedulingDependencies,
  actor: Actor,
  sessionId: string,
  report: OutcomeReport,
  context: WriteContext,
): Promise<Session> =>
  retryingConflicts(async () => {
    const now = deps.clock().getTime();
    const nowIso = new Date(now).toISOString();
    const session = await ownSession(deps, actor, sessionId);
    if (session.status !== 'scheduled') {
      throw new SessionStateError(
        session.status === 'cancelled'
          ? `Session ${sessionId} was cancelled.`
          : `Session ${sessionId} is already recorded as ${session.status}.`,
      );
    }
    if (Date.parse(session.startsAt) > now) throw new SessionStateError(`Session ${sessionId} has not started yet.`);
    const recorded: Session = {
      ...session,
      status: report.happened ? 'completed' : 'missed',
      outcome: { by: actor.personId, at: nowIso, via: report.via },
      updatedAt: nowIso,
      version: session.version + 1,
    };
    const locks = await deps.store.calendarLocks(session.participantIds);
    const people = await deps.store.getPeople(session.participantIds);
    const writes: Write[] = [
      { type: 'session', record: recorded, expectedVersion: session.version },
      ...calendarWrites(recorded, locks),
      ...noticeWrites(sessionNotices(recorded, timezoneLookup(people), now, deps.policy.email, { invite: false })),
    ];
    if (report.link)
      writes.push({ type: 'link-used', linkId: report.link.linkId, usedAt: nowIso, expiresAt: report.link.expiresAt });
    const mentorship = session.mentorshipId ? await deps.store.getMentorship(session.mentorshipId) : undefined;
    if (mentorship) {
      const { [sessionId]: _dropped, ...upcoming } = mentorship.upcoming;
      const lastCompletedAt =
        report.happened && (!mentorship.lastCompletedAt || session.startsAt > mentorship.lastCompletedAt)
          ? session.startsAt
          : mentorship.lastCompletedAt;
      const next: MentorshipRecord = { ...mentorship, upcoming, lastCompletedAt, version: mentorship.version + 1 };
      writes.push({ type: 'mentorship', record: next, expectedVersion: mentorship.version });
      if (next.status === 'active' && lastCompletedAt !== mentorship.lastCompletedAt) {
        const recipients = [mentorship.mentorId, mentorship.menteeId].map((personId) => ({
          personId,
          timezone: people.get(personId)?.profile?.timezone ?? 'UTC',
        }));
        writes.push(...noticeWrites(cadenceNotices(next, recipients, now, deps.policy)));
      }
    }
    if (report.happened && session.kind === 'pod' && session.podId) {
      const pod = await deps.store.getPod(session.podId);
      if (pod && (!pod.lastCompletedAt || session.startsAt > pod.lastCompletedAt)) {
        writes.push({
          type: 'pod',
          record: { ...pod, lastCompletedAt: session.startsAt, version: pod.version + 1 },
          expectedVersion: pod.version,
        });
      }
    }
    const events: PendingEvent[] = [
      report.happened
        ? pendingEvent(SessionCompletedV1, { session: snapshotOf(recorded), completedAt: nowIso })
        : pendingEvent(SessionMissedV1, { session: snapshotOf(recorded), reportedAt: nowIso }),
    ];
    await deps.store.commit({ writes, events }, context);
    return recorded;
  });
