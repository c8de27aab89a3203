import { canReadPerson } from '../../../shared/auth/principal';
import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import { type DirectoryDependencies, importRoster, removePerson, upsertPerson } from '../domain/people/directory';
import { getPerson, importRoster as importRosterRoute, listPeople, offboardPerson, putPerson } from '../routes/people';
import { matchingErrors } from './http-errors';

const route = routesAnswering(matchingErrors);

export const createPeopleApiHandler = (deps: DirectoryDependencies) =>
  serveRoutes(
    route(putPerson).handle(async ({ params, body, correlationId }) => {
      const change = await upsertPerson(deps, params.personId, body, { correlationId });
      return change.kind === 'registered' ? { status: 201, body: change.person } : { status: 200, body: change.person };
    }),

    route(getPerson).handle(async ({ params, principal, fail }) => {
      // Someone asking for another person's record learns nothing, not even that it exists.
      const person = canReadPerson(principal, params.personId) ? await deps.people.get(params.personId) : undefined;
      if (!person) return fail(404, `No person ${params.personId}.`);
      return { status: 200, body: person };
    }),

    route(listPeople).handle(async ({ query }) => ({ status: 200, body: await deps.people.list(query) })),

    route(offboardPerson).handle(async ({ params, correlationId }) => {
      await removePerson(deps, params.personId, 'offboarded', { correlationId });
      return { status: 204 };
    }),

    route(importRosterRoute).handle(async ({ body, correlationId }) => ({
      status: 200,
      body: await importRoster(deps, body, { correlationId }),
    })),
  );
