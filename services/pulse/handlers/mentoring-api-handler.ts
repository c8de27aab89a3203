import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import { checkInsFor, recordCheckIn } from '../domain/mentoring/check-ins';
import { createGoal, goalsFor, updateGoal } from '../domain/mentoring/goals';
import { rateSession, ratingsFor } from '../domain/mentoring/ratings';
import type { PulseDependencies } from '../domain/ports';
import {
  createGoalRoute,
  listCheckInsRoute,
  listGoalsRoute,
  listRatingsRoute,
  rateSessionRoute,
  recordCheckInRoute,
  updateGoalRoute,
} from '../routes/mentoring';
import { pulseErrors } from './http-errors';

const route = routesAnswering(pulseErrors);

export const createMentoringApiHandler = (deps: PulseDependencies) =>
  serveRoutes(
    route(recordCheckInRoute).handle(async ({ body, principal, correlationId }) => ({
      status: 201,
      body: await recordCheckIn(deps, principal.personId, body, { correlationId }),
    })),

    route(listCheckInsRoute).handle(async ({ query, principal }) => ({
      status: 200,
      body: { items: await checkInsFor(deps, principal, query.menteeId) },
    })),

    route(listGoalsRoute).handle(async ({ query, principal }) => ({
      status: 200,
      body: { items: await goalsFor(deps, principal, query.menteeId ?? principal.personId) },
    })),

    route(createGoalRoute).handle(async ({ body, principal, correlationId }) => ({
      status: 201,
      body: await createGoal(deps, principal, body, { correlationId }),
    })),

    route(updateGoalRoute).handle(async ({ params, body, principal }) => ({
      status: 200,
      body: await updateGoal(deps, principal, params.goalId, body),
    })),

    route(rateSessionRoute).handle(async ({ params, body, principal }) => ({
      status: 201,
      body: await rateSession(deps, principal.personId, params.sessionId, body),
    })),

    route(listRatingsRoute).handle(async ({ query, principal }) => ({
      status: 200,
      body: await ratingsFor(deps, principal, query.mentorId ?? principal.personId),
    })),
  );
