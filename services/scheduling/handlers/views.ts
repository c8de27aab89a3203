/** What the API shows: sessions, cadences and plans with people's names and each person's own clock. */
import { utcInstantOf } from '../../../shared/time-zones';
import { cadenceStatus, daysWithoutOneOnOne, dueAtOf, nextUpcoming } from '../domain/cadence';
import {
  isKnown,
  type MentorshipRecord,
  type PersonRecord,
  type PlanEntry,
  type Session,
  type SkipLevelPlan,
} from '../domain/model';
import type { SchedulingDependencies } from '../domain/ports';
import { localDateTime, MINUTE } from '../domain/working-time';
import { hasOffset } from '../routes/schemas';

/** An instant from the API's `startsAt`: with an offset as it is, without one on the clock of `timeZone`. */
export const instantOf = (startsAt: string, timeZone?: string): number => {
  if (hasOffset(startsAt) || !timeZone) return Date.parse(startsAt);
  const [date = '', time = ''] = startsAt.split('T');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return utcInstantOf(timeZone, { year, month, day }, hour * 60 + minute);
};

const nameOf = (people: Map<string, PersonRecord>, personId: string) => people.get(personId)?.profile?.name ?? personId;
const timezoneOf = (people: Map<string, PersonRecord>, personId: string) =>
  people.get(personId)?.profile?.timezone ?? 'UTC';

const localTimes = (session: Pick<Session, 'startsAt' | 'endsAt'>, timezone: string) => ({
  timezone,
  start: localDateTime(Date.parse(session.startsAt), timezone),
  end: localDateTime(Date.parse(session.endsAt), timezone),
});

const sessionViewOf = (session: Session, people: Map<string, PersonRecord>, timeZone?: string) => ({
  sessionId: session.sessionId,
  kind: session.kind,
  status: session.status,
  hostId: session.hostId,
  participants: session.participantIds.map((personId) => ({
    personId,
    name: nameOf(people, personId),
    ...localTimes(session, timezoneOf(people, personId)),
  })),
  mentorshipId: session.mentorshipId,
  podId: session.podId,
  planId: session.planId,
  startsAt: session.startsAt,
  endsAt: session.endsAt,
  durationMinutes: (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / MINUTE,
  ...(timeZone ? { local: localTimes(session, timeZone) } : {}),
  videoLink: session.videoLink,
  agenda: session.agenda,
  actionItems: session.actionItems,
  sequence: session.sequence,
  outcome: session.outcome,
  cancelled: session.cancelled,
  createdAt: session.createdAt,
  updatedAt: session.updatedAt,
});

export type SessionView = ReturnType<typeof sessionViewOf>;

export const sessionViews = async (
  deps: SchedulingDependencies,
  sessions: readonly Session[],
  timeZone?: string,
): Promise<SessionView[]> => {
  const people = await deps.store.getPeople([...new Set(sessions.flatMap((session) => session.participantIds))]);
  return sessions.map((session) => sessionViewOf(session, people, timeZone));
};

export const sessionView = async (deps: SchedulingDependencies, session: Session, timeZone?: string) =>
  (await sessionViews(deps, [session], timeZone))[0] as SessionView;

/** The session and, for action items left open, the one before it in the same series. */
export const sessionDetail = async (deps: SchedulingDependencies, session: Session, timeZone?: string) => {
  const previous = await deps.store.previousInSeries(session.seriesId, session.startsAt, session.sessionId);
  return {
    ...(await sessionView(deps, session, timeZone)),
    previousSession: previous
      ? {
          sessionId: previous.sessionId,
          startsAt: previous.startsAt,
          status: previous.status,
          openActionItems: previous.actionItems.filter((item) => !item.done),
        }
      : null,
  };
};

export const cadenceViews = async (deps: SchedulingDependencies, mentorships: readonly MentorshipRecord[]) => {
  const now = deps.clock().getTime();
  const people = await deps.store.getPeople([...new Set(mentorships.flatMap((m) => [m.mentorId, m.menteeId]))]);
  return mentorships.map((mentorship) => ({
    mentorshipId: mentorship.mentorshipId,
    podId: mentorship.podId,
    mentor: { personId: mentorship.mentorId, name: nameOf(people, mentorship.mentorId) },
    mentee: { personId: mentorship.menteeId, name: nameOf(people, mentorship.menteeId) },
    startedAt: mentorship.startedAt,
    lastCompletedAt: mentorship.lastCompletedAt,
    dueAt: dueAtOf(mentorship, deps.policy.cadence),
    status: cadenceStatus(mentorship, now, deps.policy.cadence),
    daysWithoutOneOnOne: daysWithoutOneOnOne(mentorship, now),
    nextSession: nextUpcoming(mentorship, now) ?? null,
  }));
};

export const planView = async (deps: SchedulingDependencies, plan: SkipLevelPlan, entries: readonly PlanEntry[]) => {
  const people = await deps.store.getPeople([
    ...new Set([...entries.map((entry) => entry.personId), ...plan.unplanned.map((entry) => entry.personId)]),
  ]);
  const known = (personId: string) => {
    const person = people.get(personId);
    return isKnown(person) ? person : undefined;
  };
  return {
    planId: plan.planId,
    quarter: plan.quarter,
    status: plan.status,
    weeklyLimit: plan.weeklyLimit,
    durationMinutes: plan.durationMinutes,
    domains: plan.domains,
    weeks: plan.weeks.map((week) => ({ ...week, entries: entries.filter((entry) => entry.week === week.week).length })),
    entries: entries.map((entry) => {
      const timezone = known(entry.personId)?.profile.timezone ?? 'UTC';
      return {
        ...entry,
        name: known(entry.personId)?.profile.name ?? entry.personId,
        timezone,
        localStart: localDateTime(Date.parse(entry.startsAt), timezone),
      };
    }),
    unplanned: plan.unplanned.map((entry) => ({
      ...entry,
      name: known(entry.personId)?.profile.name ?? entry.personId,
    })),
    createdAt: plan.createdAt,
    confirmedAt: plan.confirmedAt,
  };
};
