/**
 * Skip-level plans: the life coach meets everyone in scope once in a quarter. A plan spreads
 * people evenly over the quarter's weeks (person i of N goes to week ⌊i·W/N⌋, or the nearest
 * later, then earlier, week with room), never more than the weekly limit the coach sets, each in
 * a slot inside both people's working hours that clashes with neither one's sessions nor the
 * coach's other planned meetings, on the day of the week the coach has the fewest. People pulse
 * flagged at risk come first, so they get the earliest weeks. The plan is a proposal until the
 * coach confirms it; then its sessions are scheduled and invites go out.
 */

import { forEachLimited } from '../../../shared/concurrency';
import { SkipLevelPlanConfirmedV1 } from '../../../shared/contracts/scheduling-events';
import { pendingEvent } from '../../../shared/events/outbox';
import { addDays, calendarDateAt, formatCalendarDate, isoWeekdayOf, utcInstantOf } from '../../../shared/time-zones';
import { PlanNotFoundError, PlanStateError, UnprocessableRequestError } from './errors';
import { isKnown, type KnownPerson, type NoticeRef, type PlanEntry, type SkipLevelPlan } from './model';
import { sessionNoticeRefs } from './notices';
import { type SchedulingDependencies, WriteConflictError, type WriteContext } from './ports';
import { type Actor, checkSlot, newSession, retryingConflicts, scheduledSessionWork } from './sessions';
import { type Availability, DAY, type Interval, MINUTE, overlaps, suggestSlots } from './working-time';

export interface PlanWeek {
  week: number;
  /** Where planning may put sessions this week (the quarter and "from tomorrow" cut the ends). */
  from: number;
  to: number;
  startsOn: string;
  endsOn: string;
}

const quarterPattern = /^(\d{4})-Q([1-4])$/;

/** The quarter's weeks (Monday to Sunday in the coach's zone), from `earliest` on. */
export const quarterWeeks = (quarter: string, timezone: string, earliest: number): PlanWeek[] => {
  const match = quarterPattern.exec(quarter);
  if (!match) throw new RangeError(`not a quarter: ${quarter}`);
  const year = Number(match[1]);
  const firstMonth = (Number(match[2]) - 1) * 3 + 1;
  const first = { year, month: firstMonth, day: 1 };
  const next = firstMonth === 10 ? { year: year + 1, month: 1, day: 1 } : { year, month: firstMonth + 3, day: 1 };
  const quarterStart = utcInstantOf(timezone, first, 0);
  const quarterEnd = utcInstantOf(timezone, next, 0);
  let monday = addDays(first, 1 - isoWeekdayOf(first));
  const weeks: PlanWeek[] = [];
  for (let week = 1; ; week++) {
    const weekStart = utcInstantOf(timezone, monday, 0);
    if (weekStart >= quarterEnd) break;
    const weekEnd = utcInstantOf(timezone, addDays(monday, 7), 0);
    const from = Math.max(weekStart, quarterStart, earliest);
    const to = Math.min(weekEnd, quarterEnd);
    if (to > from) {
      weeks.push({
        week,
        from,
        to,
        startsOn: formatCalendarDate(calendarDateAt(Math.max(weekStart, quarterStart), timezone)),
        endsOn: formatCalendarDate(calendarDateAt(to - 1, timezone)),
      });
    }
    monday = addDays(monday, 7);
  }
  return weeks;
};

export interface PlanCandidate {
  person: Availability;
  atRisk: boolean;
  flaggedAt: string | null;
  domain: string;
  busy: Interval[];
}

export interface PlanningInput {
  coach: Availability;
  coachBusy: Interval[];
  people: PlanCandidate[];
  weeks: PlanWeek[];
  weeklyLimit: number;
  durationMinutes: number;
}

export interface PlannedEntry {
  personId: string;
  week: number;
  start: number;
  end: number;
  atRisk: boolean;
}

export interface PlanningResult {
  entries: PlannedEntry[];
  unplanned: { personId: string; reason: 'no-common-working-hours' | 'weekly-limit-reached' }[];
}

/** Who goes first: people at risk (longest-flagged first), then everyone else by domain and id. */
export const planningOrder = (people: readonly PlanCandidate[]): PlanCandidate[] =>
  [...people].sort((a, b) => {
    if (a.atRisk !== b.atRisk) return a.atRisk ? -1 : 1;
    if (a.atRisk && b.atRisk && a.flaggedAt !== b.flaggedAt)
      return (a.flaggedAt ?? '').localeCompare(b.flaggedAt ?? '');
    return a.domain.localeCompare(b.domain) || a.person.personId.localeCompare(b.person.personId);
  });

/** The plan itself (pure): see the module comment for the rules. */
export const planSkipLevels = (input: PlanningInput): PlanningResult => {
  const { weeks, weeklyLimit } = input;
  const ordered = planningOrder(input.people);
  const perWeek = weeks.map(() => [] as PlannedEntry[]);
  const result: PlanningResult = { entries: [], unplanned: [] };
  const duration = input.durationMinutes * MINUTE;
  const coachDayOf = (instant: number) => formatCalendarDate(calendarDateAt(instant, input.coach.timezone));
  ordered.forEach((candidate, index) => {
    const target = Math.floor((index * weeks.length) / Math.max(ordered.length, 1));
    const indexes = [...weeks.keys()];
    const order = [...indexes.filter((week) => week >= target), ...indexes.filter((week) => week < target).reverse()];
    let sawSlot = false;
    for (const weekIndex of order) {
      const week = weeks[weekIndex] as PlanWeek;
      const planned = perWeek[weekIndex] as PlannedEntry[];
      const busy = [
        ...input.coachBusy.filter((block) => overlaps(block, { start: week.from, end: week.to })),
        ...candidate.busy.filter((block) => overlaps(block, { start: week.from, end: week.to })),
        ...planned.map((entry) => ({ start: entry.start, end: entry.end })),
      ];
      const slots = suggestSlots({
        people: [input.coach, candidate.person],
        busy,
        from: week.from,
        durationMinutes: input.durationMinutes,
        count: 400,
        horizonDays: Math.ceil((week.to - week.from) / DAY),
      }).filter((slot) => slot.end <= week.to);
      if (slots.length === 0) continue;
      sawSlot = true;
      if (planned.length >= weeklyLimit) continue;
      const load = new Map<string, number>();
      for (const entry of planned) load.set(coachDayOf(entry.start), (load.get(coachDayOf(entry.start)) ?? 0) + 1);
      const [best] = [...slots].sort(
        (a, b) => (load.get(coachDayOf(a.start)) ?? 0) - (load.get(coachDayOf(b.start)) ?? 0) || a.start - b.start,
      );
      if (!best) continue;
      const entry = {
        personId: candidate.person.personId,
        week: week.week,
        start: best.start,
        end: best.start + duration,
        atRisk: candidate.atRisk,
      };
      planned.push(entry);
      result.entries.push(entry);
      return;
    }
    result.unplanned.push({
      personId: candidate.person.personId,
      reason: sawSlot ? 'weekly-limit-reached' : 'no-common-working-hours',
    });
  });
  result.entries.sort((a, b) => a.start - b.start);
  return result;
};

const availabilityOf = (person: KnownPerson): Availability => ({
  personId: person.personId,
  timezone: person.profile.timezone,
  workingHours: person.profile.workingHours,
});

const busyOf = async (deps: SchedulingDependencies, personId: string, from: number, to: number) =>
  (await deps.store.calendarOf(personId, new Date(from - DAY).toISOString(), new Date(to).toISOString()))
    .filter((entry) => entry.status === 'scheduled')
    .map((entry) => ({ start: Date.parse(entry.startsAt), end: Date.parse(entry.endsAt) }));

/** Entries and proposals are kept this long after their quarter ends. */
const PLAN_RETENTION_DAYS = 400;

export interface PlanRequest {
  quarter: string;
  weeklyLimit: number;
  durationMinutes: number;
  domains?: string[];
}

const coachOf = async (deps: SchedulingDependencies, actor: Actor) => {
  const coach = await deps.store.getPerson(actor.personId);
  if (!isKnown(coach)) {
    throw new UnprocessableRequestError('The life coach is not in the directory, so their working hours are unknown.', [
      { location: 'body', message: `${actor.personId} has no directory record the service knows` },
    ]);
  }
  return coach;
};

/** Proposes a plan for the quarter (nothing is scheduled until it is confirmed). */
export const proposePlan = async (
  deps: SchedulingDependencies,
  actor: Actor,
  request: PlanRequest,
  context: WriteContext,
): Promise<{ plan: SkipLevelPlan; entries: PlanEntry[] }> => {
  const now = deps.clock().getTime();
  const coach = await coachOf(deps, actor);
  const weeks = quarterWeeks(request.quarter, coach.profile.timezone, now + DAY);
  if (weeks.length === 0) {
    throw new UnprocessableRequestError(`${request.quarter} is over (or ends tomorrow).`, [
      { location: 'body.quarter', message: 'has no week left to plan' },
    ]);
  }
  const from = weeks[0]?.from ?? now;
  const to = weeks.at(-1)?.to ?? now;
  const people = (await deps.store.activePeople(request.domains)).filter(
    (person): person is KnownPerson => isKnown(person) && person.personId !== coach.personId,
  );
  const candidates: PlanCandidate[] = new Array(people.length);
  await forEachLimited(people, 16, async (person, index) => {
    candidates[index] = {
      person: availabilityOf(person),
      atRisk: person.atRisk !== null,
      flaggedAt: person.atRisk?.flaggedAt ?? null,
      domain: person.profile.domain,
      busy: await busyOf(deps, person.personId, from, to),
    };
  });
  const planned = planSkipLevels({
    coach: availabilityOf(coach),
    coachBusy: await busyOf(deps, coach.personId, from, to),
    people: candidates,
    weeks,
    weeklyLimit: request.weeklyLimit,
    durationMinutes: request.durationMinutes,
  });
  const planId = deps.newId();
  const entries: PlanEntry[] = planned.entries.map((entry, index) => ({
    entryId: `entry-${String(index + 1).padStart(5, '0')}`,
    personId: entry.personId,
    week: entry.week,
    startsAt: new Date(entry.start).toISOString(),
    endsAt: new Date(entry.end).toISOString(),
    atRisk: entry.atRisk,
    sessionId: null,
    state: 'proposed',
    note: null,
  }));
  const plan: SkipLevelPlan = {
    planId,
    quarter: request.quarter,
    coachId: coach.personId,
    status: 'proposed',
    weeklyLimit: request.weeklyLimit,
    durationMinutes: request.durationMinutes,
    domains: request.domains ?? null,
    weeks: weeks.map(({ week, startsOn, endsOn }) => ({ week, startsOn, endsOn })),
    unplanned: planned.unplanned,
    createdAt: new Date(now).toISOString(),
    confirmedAt: null,
    version: 1,
  };
  await deps.store.savePlanEntries(planId, entries, new Date(to + PLAN_RETENTION_DAYS * DAY).toISOString());
  await deps.store.commit({ writes: [{ type: 'plan', record: plan, expectedVersion: null }], events: [] }, context);
  return { plan, entries };
};

/** A plan of the caller's (life coaches see only their own plans). */
export const planOf = async (deps: SchedulingDependencies, actor: Actor, planId: string) => {
  const found = await deps.store.getPlan(planId);
  if (!found || found.plan.coachId !== actor.personId) throw new PlanNotFoundError(planId);
  return found;
};

/** Moves one entry of a proposal to another slot, checked like a session (and against the weekly limit). */
export const moveEntry = (
  deps: SchedulingDependencies,
  actor: Actor,
  planId: string,
  entryId: string,
  startsAt: number,
  context: WriteContext,
): Promise<{ plan: SkipLevelPlan; entry: PlanEntry }> =>
  retryingConflicts(async () => {
    const now = deps.clock().getTime();
    const { plan, entries } = await planOf(deps, actor, planId);
    if (plan.status !== 'proposed')
      throw new PlanStateError(`Plan ${planId} is ${plan.status}; only a proposal can be edited.`);
    const entry = entries.find((candidate) => candidate.entryId === entryId);
    if (!entry) throw new PlanNotFoundError(`${planId}/${entryId}`);
    const coach = await coachOf(deps, actor);
    const person = await deps.store.getPerson(entry.personId);
    if (!isKnown(person) || person.status !== 'active') {
      throw new UnprocessableRequestError(`${entry.personId} has left the programme.`, [
        { location: 'path.entryId', message: 'is for someone no longer in the programme' },
      ]);
    }
    const end = startsAt + plan.durationMinutes * MINUTE;
    checkSlot([coach, person], startsAt, end, now);
    const week = quarterWeeks(plan.quarter, coach.profile.timezone, 0).find(
      (candidate) => startsAt >= candidate.from && end <= candidate.to,
    );
    if (!week) {
      throw new UnprocessableRequestError(`The slot is not inside ${plan.quarter}.`, [
        { location: 'body.startsAt', message: `is not inside ${plan.quarter}` },
      ]);
    }
    const others = entries.filter((candidate) => candidate.entryId !== entryId);
    if (others.filter((candidate) => candidate.week === week.week).length >= plan.weeklyLimit) {
      throw new UnprocessableRequestError(`Week ${week.week} already holds ${plan.weeklyLimit} skip-levels.`, [
        {
          location: 'body.startsAt',
          message: `is in week ${week.week}, which already holds the weekly limit of ${plan.weeklyLimit}`,
        },
      ]);
    }
    const slot = { start: startsAt, end };
    const planned = others.find((candidate) =>
      overlaps(slot, { start: Date.parse(candidate.startsAt), end: Date.parse(candidate.endsAt) }),
    );
    const sessions = [
      ...(await busyOf(deps, coach.personId, startsAt, end)),
      ...(await busyOf(deps, person.personId, startsAt, end)),
    ];
    if (planned || sessions.some((block) => overlaps(slot, block))) {
      throw new UnprocessableRequestError('The slot is taken.', [
        {
          location: 'body.startsAt',
          message: planned
            ? `overlaps the plan's entry ${planned.entryId} (${planned.personId})`
            : 'overlaps a scheduled session of the coach or the person',
        },
      ]);
    }
    const moved: PlanEntry = {
      ...entry,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(end).toISOString(),
      week: week.week,
    };
    const next = { ...plan, version: plan.version + 1 };
    await deps.store.commit(
      {
        writes: [
          { type: 'plan', record: next, expectedVersion: plan.version },
          { type: 'plan-entry', planId, entry: moved },
        ],
        events: [],
      },
      context,
    );
    return { plan: next, entry: moved };
  });

/** Confirming stops making sessions with this much time left, to answer before the request times out. */
const CONFIRM_RESERVE_MS = 5_000;

export interface Confirmation {
  plan: SkipLevelPlan;
  entries: PlanEntry[];
  /** False when the time budget ran out: confirming again carries on where this stopped. */
  complete: boolean;
  /** Invites of the sessions made now, for immediate delivery. */
  invites: NoticeRef[];
}

/**
 * Confirms a proposal: takes the quarter (one confirmed plan each), makes each entry's session
 * (each its own transaction, with a session id derived from the entry, so confirming again after
 * an interruption makes each at most once), marks entries that no longer fit as conflicts, then
 * marks the plan confirmed and announces it.
 */
export const confirmPlan = async (
  deps: SchedulingDependencies,
  actor: Actor,
  planId: string,
  options: { timeLeftMs: () => number },
  context: WriteContext,
): Promise<Confirmation> => {
  let { plan, entries } = await planOf(deps, actor, planId);
  if (plan.status === 'confirmed') throw new PlanStateError(`Plan ${planId} is confirmed already.`);
  const taken = await deps.store.confirmedPlanOf(plan.quarter);
  if (taken && taken !== planId) throw new PlanStateError(`${plan.quarter} has a confirmed plan already: ${taken}.`);
  if (plan.status === 'proposed') {
    const confirming = { ...plan, status: 'confirming' as const, version: plan.version + 1 };
    try {
      await deps.store.commit(
        {
          writes: [
            { type: 'plan', record: confirming, expectedVersion: plan.version },
            { type: 'quarter-confirmed', quarter: plan.quarter, planId },
          ],
          events: [],
        },
        context,
      );
    } catch (error) {
      if (error instanceof WriteConflictError)
        throw new PlanStateError(`Plan ${planId} or ${plan.quarter} changed at the same time; read it again.`);
      throw error;
    }
    plan = confirming;
  }
  const invites: NoticeRef[] = [];
  const coach = await coachOf(deps, actor);
  for (const entry of entries.filter((candidate) => candidate.state === 'proposed')) {
    if (options.timeLeftMs() < CONFIRM_RESERVE_MS)
      return { plan, entries: (await planOf(deps, actor, planId)).entries, complete: false, invites };
    const made = await scheduleEntry(deps, plan, entry, coach, context);
    if (made.sessionId) {
      const session = await deps.store.getSession(made.sessionId);
      if (session) invites.push(...sessionNoticeRefs(session).invites);
    }
  }
  ({ plan, entries } = await planOf(deps, actor, planId));
  const sessions = entries.filter((entry) => entry.state === 'scheduled').length;
  const confirmed: SkipLevelPlan = {
    ...plan,
    status: 'confirmed',
    confirmedAt: deps.clock().toISOString(),
    version: plan.version + 1,
  };
  await deps.store.commit(
    {
      writes: [{ type: 'plan', record: confirmed, expectedVersion: plan.version }],
      events: [pendingEvent(SkipLevelPlanConfirmedV1, { planId, quarter: plan.quarter, sessions })],
    },
    context,
  );
  return { plan: confirmed, entries, complete: true, invites };
};

/** One entry's session, or the reason it no longer fits (the entry is marked either way). */
const scheduleEntry = (
  deps: SchedulingDependencies,
  plan: SkipLevelPlan,
  entry: PlanEntry,
  coach: KnownPerson,
  context: WriteContext,
): Promise<PlanEntry> =>
  retryingConflicts(async () => {
    const now = deps.clock().getTime();
    const sessionId = `${plan.planId}-${entry.entryId}`;
    const existing = await deps.store.getSession(sessionId);
    const conflict = async (note: string) => {
      const marked: PlanEntry = { ...entry, state: 'conflict', note };
      await deps.store.commit(
        { writes: [{ type: 'plan-entry', planId: plan.planId, entry: marked }], events: [] },
        context,
      );
      return marked;
    };
    if (existing) {
      const marked: PlanEntry = { ...entry, state: 'scheduled', sessionId };
      await deps.store.commit(
        { writes: [{ type: 'plan-entry', planId: plan.planId, entry: marked }], events: [] },
        context,
      );
      return marked;
    }
    const person = await deps.store.getPerson(entry.personId);
    if (!isKnown(person) || person.status !== 'active') return conflict('left the programme');
    const start = Date.parse(entry.startsAt);
    const end = Date.parse(entry.endsAt);
    try {
      checkSlot([coach, person], start, end, now);
    } catch (error) {
      if (error instanceof UnprocessableRequestError) return conflict(error.message);
      throw error;
    }
    const locks = await deps.store.calendarLocks([coach.personId, person.personId]);
    const clash = [
      ...(await busyOf(deps, coach.personId, start, end)),
      ...(await busyOf(deps, person.personId, start, end)),
    ].some((block) => overlaps({ start, end }, block));
    if (clash) return conflict('a session was scheduled in this slot since the plan was made');
    const preferences = await deps.store.getPreferences(coach.personId);
    const session = newSession({
      sessionId,
      kind: 'skip-level',
      hostId: coach.personId,
      participantIds: [coach.personId, person.personId],
      mentorshipId: null,
      podId: null,
      planId: plan.planId,
      seriesId: `skip-level-${coach.personId}-${person.personId}`,
      videoLink:
        preferences?.meetingLink ??
        deps.policy.meetingUrlTemplate.replaceAll('{sessionId}', encodeURIComponent(sessionId)),
      start,
      durationMinutes: plan.durationMinutes,
      agenda: '',
      createdBy: coach.personId,
      now,
    });
    const people = new Map([
      [coach.personId, coach],
      [person.personId, person],
    ]);
    const work = scheduledSessionWork(deps, session, { locks, people, mentorship: null, now });
    const marked: PlanEntry = { ...entry, state: 'scheduled', sessionId };
    work.writes.push({ type: 'plan-entry', planId: plan.planId, entry: marked });
    await deps.store.commit(work, context);
    return marked;
  });
