import type { Principal } from '../../../shared/auth/principal';
import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import { isKnown, type MentorshipRecord } from '../domain/model';
import { sessionNoticeRefs } from '../domain/notices';
import type { SchedulingDependencies } from '../domain/ports';
import { preferencesOf, setMeetingLink, setOptedOut } from '../domain/preferences';
import {
  type Actor,
  cancelSession,
  changeSession,
  recordOutcome,
  scheduleSession,
  visibleSession,
} from '../domain/sessions';
import { confirmPlan, moveEntry, planOf, proposePlan } from '../domain/skip-levels';
import { DAY, localDateTime, MINUTE, suggestSlots } from '../domain/working-time';
import {
  confirmPlan as confirmPlanRoute,
  createPlan,
  getMeetingLink,
  getPlan,
  getPreferences,
  listCadences,
  listSuppressions,
  moveEntry as moveEntryRoute,
  putMeetingLink,
  putPreferences,
} from '../routes/programme';
import {
  cancelSession as cancelSessionRoute,
  changeSession as changeSessionRoute,
  completeSession,
  createSession,
  getSession,
  listSessions,
  reportAttendance,
  sessionSuggestions,
} from '../routes/sessions';
import { deliverNow } from './deliver';
import { schedulingErrors } from './http-errors';
import { cadenceViews, instantOf, planView, sessionDetail, sessionView, sessionViews } from './views';

const route = routesAnswering(schedulingErrors);

const actorOf = (principal: Principal): Actor => ({
  personId: principal.personId,
  isLifeCoach: principal.roles.has('life-coach'),
});

/** `GET /sessions` looks this far back and ahead unless told otherwise. */
const DEFAULT_PAST_DAYS = 30;
const DEFAULT_FUTURE_DAYS = 365;
const SUGGESTION_HORIZON_DAYS = 28;

export const createSchedulingApiHandler = (
  deps: SchedulingDependencies,
  /** How long the invocation may still run (Lambda's context); long confirmations stop in time. */
  timeLeftMs: () => number = () => 25_000,
) =>
  serveRoutes(
    route(listSessions).handle(async ({ query, principal, fail }) => {
      const actor = actorOf(principal);
      if (query.personId && query.personId !== actor.personId && !actor.isLifeCoach) {
        return fail(403, 'Only the life coach may list someone else’s sessions.');
      }
      const now = deps.clock().getTime();
      const personId = query.personId ?? (actor.isLifeCoach ? undefined : actor.personId);
      const page = await deps.store.listSessionIds({
        ...(personId ? { personId } : {}),
        from: new Date(query.from ? Date.parse(query.from) : now - DEFAULT_PAST_DAYS * DAY).toISOString(),
        to: new Date(query.to ? Date.parse(query.to) : now + DEFAULT_FUTURE_DAYS * DAY).toISOString(),
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      const sessions = await deps.store.getSessions(page.items);
      return {
        status: 200,
        body: {
          items: await sessionViews(deps, sessions, query.timeZone),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    }),

    route(sessionSuggestions).handle(async ({ query, principal, fail }) => {
      const actor = actorOf(principal);
      if (![query.mentorId, query.menteeId].includes(actor.personId) && !actor.isLifeCoach) {
        return fail(403, 'Only the mentor, the mentee or the life coach may ask for their slots.');
      }
      const people = await deps.store.getPeople([query.mentorId, query.menteeId]);
      const pair = [query.mentorId, query.menteeId].map((personId) => people.get(personId));
      const unknown = [query.mentorId, query.menteeId].filter((_, index) => {
        const person = pair[index];
        return !isKnown(person) || person.status !== 'active';
      });
      if (unknown.length > 0) {
        return fail(
          422,
          `Not an active person in the programme: ${unknown.join(', ')}.`,
          unknown.map((personId) => ({
            location: personId === query.mentorId ? 'query.mentorId' : 'query.menteeId',
            message: 'is not an active person in the programme',
          })),
        );
      }
      const known = pair.filter(isKnown);
      const from = deps.clock().getTime() + deps.policy.minimumNoticeMinutes * MINUTE;
      const to = new Date(from + SUGGESTION_HORIZON_DAYS * DAY).toISOString();
      const busy = (
        await Promise.all(
          known.map((person) => deps.store.calendarOf(person.personId, new Date(from - DAY).toISOString(), to)),
        )
      )
        .flat()
        .filter((entry) => entry.status === 'scheduled')
        .map((entry) => ({ start: Date.parse(entry.startsAt), end: Date.parse(entry.endsAt) }));
      const slots = suggestSlots({
        people: known.map((person) => ({
          personId: person.personId,
          timezone: person.profile.timezone,
          workingHours: person.profile.workingHours,
        })),
        busy,
        from,
        durationMinutes: query.durationMinutes,
        count: query.count,
        horizonDays: SUGGESTION_HORIZON_DAYS,
      });
      const local = (instant: number, timezone: string) => localDateTime(instant, timezone);
      return {
        status: 200,
        body: {
          durationMinutes: query.durationMinutes,
          slots: slots.map((slot) => ({
            startsAt: new Date(slot.start).toISOString(),
            endsAt: new Date(slot.end).toISOString(),
            participants: known.map((person) => ({
              personId: person.personId,
              timezone: person.profile.timezone,
              start: local(slot.start, person.profile.timezone),
              end: local(slot.end, person.profile.timezone),
            })),
            ...(query.timeZone
              ? {
                  local: {
                    timezone: query.timeZone,
                    start: local(slot.start, query.timeZone),
                    end: local(slot.end, query.timeZone),
                  },
                }
              : {}),
          })),
        },
      };
    }),

    route(getSession).handle(async ({ params, query, principal }) => {
      const session = await visibleSession(deps, actorOf(principal), params.sessionId);
      return { status: 200, body: await sessionDetail(deps, session, query.timeZone) };
    }),

    route(createSession).handle(async ({ body, principal, correlationId }) => {
      const session = await scheduleSession(
        deps,
        actorOf(principal),
        {
          kind: body.kind,
          ...(body.kind === 'one-on-one' ? { mentorId: body.mentorId, menteeId: body.menteeId } : {}),
          ...(body.kind === 'pod' ? { podId: body.podId } : {}),
          ...(body.kind === 'skip-level' ? { personId: body.personId } : {}),
          startsAt: instantOf(body.startsAt, body.timeZone),
          durationMinutes: body.durationMinutes,
          ...(body.agenda !== undefined ? { agenda: body.agenda } : {}),
        },
        { correlationId },
      );
      await deliverNow(deps, sessionNoticeRefs(session).invites, correlationId);
      return { status: 201, body: await sessionView(deps, session, body.timeZone) };
    }),

    route(changeSessionRoute).handle(async ({ params, body, principal, correlationId }) => {
      const before = await deps.store.getSession(params.sessionId);
      const session = await changeSession(
        deps,
        actorOf(principal),
        params.sessionId,
        {
          ...(body.startsAt ? { startsAt: instantOf(body.startsAt, body.timeZone) } : {}),
          ...(body.durationMinutes !== undefined ? { durationMinutes: body.durationMinutes } : {}),
          ...(body.agenda !== undefined ? { agenda: body.agenda } : {}),
          ...(body.actionItems ? { actionItems: body.actionItems } : {}),
        },
        { correlationId },
      );
      if (before && session.sequence !== before.sequence) {
        await deliverNow(deps, sessionNoticeRefs(session).invites, correlationId);
      }
      return { status: 200, body: await sessionView(deps, session, body.timeZone) };
    }),

    route(cancelSessionRoute).handle(async ({ params, principal, correlationId }) => {
      const session = await cancelSession(deps, actorOf(principal), params.sessionId, { correlationId });
      await deliverNow(deps, sessionNoticeRefs(session).invites, correlationId);
      return { status: 200, body: await sessionView(deps, session) };
    }),

    route(completeSession).handle(async ({ params, principal, correlationId }) => ({
      status: 200,
      body: await sessionView(
        deps,
        await recordOutcome(
          deps,
          actorOf(principal),
          params.sessionId,
          { happened: true, via: 'api' },
          { correlationId },
        ),
      ),
    })),

    route(reportAttendance).handle(async ({ params, body, principal, correlationId }) => ({
      status: 200,
      body: await sessionView(
        deps,
        await recordOutcome(
          deps,
          actorOf(principal),
          params.sessionId,
          { happened: body.happened, via: 'api' },
          { correlationId },
        ),
      ),
    })),

    route(listCadences).handle(async ({ query, principal, fail }) => {
      const actor = actorOf(principal);
      if (actor.isLifeCoach) {
        const page = await deps.store.activeMentorships({
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.mentorId ? { mentorId: query.mentorId } : {}),
        });
        return {
          status: 200,
          body: {
            items: await cadenceViews(deps, page.items),
            ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
          },
        };
      }
      if (query.cursor || query.mentorId) return fail(403, 'Only the life coach may page through or filter cadences.');
      // A mentor sees their pod's pairs, a mentee their own (someone may be both).
      const links = (await deps.store.mentorshipLinksOf(actor.personId)).filter(
        (link) => link.active && (link.role === 'mentee' || principal.roles.has('mentor')),
      );
      const mentorships = (await deps.store.getMentorships(links.map((link) => link.mentorshipId)))
        .filter((mentorship: MentorshipRecord) => mentorship.status === 'active')
        .sort((a, b) => a.mentorId.localeCompare(b.mentorId) || a.menteeId.localeCompare(b.menteeId));
      return { status: 200, body: { items: await cadenceViews(deps, mentorships) } };
    }),

    route(createPlan).handle(async ({ body, principal, correlationId }) => {
      const { plan, entries } = await proposePlan(
        deps,
        actorOf(principal),
        {
          quarter: body.quarter,
          weeklyLimit: body.weeklyLimit,
          durationMinutes: body.durationMinutes,
          ...(body.domains ? { domains: body.domains } : {}),
        },
        { correlationId },
      );
      return { status: 201, body: await planView(deps, plan, entries) };
    }),

    route(getPlan).handle(async ({ params, principal }) => {
      const { plan, entries } = await planOf(deps, actorOf(principal), params.planId);
      return { status: 200, body: await planView(deps, plan, entries) };
    }),

    route(moveEntryRoute).handle(async ({ params, body, principal, correlationId }) => {
      const actor = actorOf(principal);
      await moveEntry(deps, actor, params.planId, params.entryId, instantOf(body.startsAt, body.timeZone), {
        correlationId,
      });
      const { plan, entries } = await planOf(deps, actor, params.planId);
      return { status: 200, body: await planView(deps, plan, entries) };
    }),

    route(confirmPlanRoute).handle(async ({ params, principal, correlationId }) => {
      const confirmation = await confirmPlan(
        deps,
        actorOf(principal),
        params.planId,
        { timeLeftMs },
        { correlationId },
      );
      await deliverNow(deps, confirmation.invites, correlationId);
      const view = await planView(deps, confirmation.plan, confirmation.entries);
      return confirmation.complete ? { status: 200, body: view } : { status: 202, body: view };
    }),

    route(getPreferences).handle(async ({ principal }) => ({
      status: 200,
      body: { optedOut: (await preferencesOf(deps, principal.personId)).optedOut },
    })),

    route(putPreferences).handle(async ({ body, principal, correlationId }) => ({
      status: 200,
      body: { optedOut: (await setOptedOut(deps, principal.personId, body.optedOut, { correlationId })).optedOut },
    })),

    route(getMeetingLink).handle(async ({ principal }) => ({
      status: 200,
      body: { meetingLink: (await preferencesOf(deps, principal.personId)).meetingLink },
    })),

    route(putMeetingLink).handle(async ({ body, principal, correlationId }) => ({
      status: 200,
      body: {
        meetingLink: (await setMeetingLink(deps, principal.personId, body.meetingLink, { correlationId })).meetingLink,
      },
    })),

    route(listSuppressions).handle(async ({ query }) => ({
      status: 200,
      body: await deps.store.listSuppressions({
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    })),
  );
