import * as z from 'zod';
import { canReadPerson } from '../../../shared/auth/principal';
import { badRequest, conflict, type HttpProblem, notFound } from '../../../shared/http/errors';
import { type ValidatedEvent, validateRequest } from '../../../shared/http/middleware';
import { json, noContent } from '../../../shared/http/responses';
import { routeChainFor } from '../../../shared/http/route-chain';
import { dispatchByRouteKey } from '../../../shared/http/router';
import { matchingService } from '../declaration';
import {
  ConcurrentModificationError,
  InvalidCursorError,
  InvalidRosterError,
  PersonNotFoundError,
} from '../domain/errors';
import { type DirectoryDependencies, importRoster, removePerson, upsertPerson } from '../domain/people-directory';
import { PersonInputSchema } from '../domain/person';
import { ListPeopleQuerySchema, PersonPathSchema } from './schemas';

/** 5 MB of CSV is ~25,000 rows of typical roster; the row cap (5,000) bites first. */
const MAX_ROSTER_BYTES = 5 * 1024 * 1024;
const MAX_PERSON_BYTES = 64 * 1024;

const mapDomainError = (error: unknown): HttpProblem | undefined => {
  if (error instanceof PersonNotFoundError) return notFound(`No person ${error.personId}.`);
  if (error instanceof ConcurrentModificationError) {
    return conflict(`Person ${error.personId} was changed by someone else at the same time; retry.`);
  }
  if (error instanceof InvalidCursorError)
    return badRequest(error.message, [{ location: 'query.cursor', message: error.message }]);
  if (error instanceof InvalidRosterError)
    return badRequest(error.message, [{ location: 'body', message: error.message }]);
  return undefined;
};

const routeChain = routeChainFor(matchingService, mapDomainError);

export const createPeopleApiHandler = (deps: DirectoryDependencies) => {
  const putSchemas = { params: PersonPathSchema, body: PersonInputSchema, maxBodyBytes: MAX_PERSON_BYTES };
  const putPerson = routeChain<ValidatedEvent<typeof putSchemas>>('PUT /people/{personId}')
    .use(validateRequest(putSchemas))
    .handler(async (event) => {
      const { params, body } = event.validated;
      const change = await upsertPerson(deps, params.personId, body, { correlationId: event.correlationId });
      return json(change.kind === 'registered' ? 201 : 200, change.person);
    });

  const getSchemas = { params: PersonPathSchema };
  const getPerson = routeChain<ValidatedEvent<typeof getSchemas>>('GET /people/{personId}')
    .use(validateRequest(getSchemas))
    .handler(async (event) => {
      const { personId } = event.validated.params;
      // Someone asking for another person's record learns nothing, not even that it exists.
      if (!canReadPerson(event.principal, personId)) throw notFound(`No person ${personId}.`);
      const person = await deps.people.get(personId);
      if (!person) throw notFound(`No person ${personId}.`);
      return json(200, person);
    });

  const listSchemas = { query: ListPeopleQuerySchema };
  const listPeople = routeChain<ValidatedEvent<typeof listSchemas>>('GET /people')
    .use(validateRequest(listSchemas))
    .handler(async (event) => json(200, await deps.people.list(event.validated.query)));

  const deleteSchemas = { params: PersonPathSchema };
  const deletePerson = routeChain<ValidatedEvent<typeof deleteSchemas>>('DELETE /people/{personId}')
    .use(validateRequest(deleteSchemas))
    .handler(async (event) => {
      await removePerson(deps, event.validated.params.personId, 'offboarded', { correlationId: event.correlationId });
      return noContent();
    });

  const importSchemas = {
    body: z.string(),
    bodyMediaType: 'text/csv',
    maxBodyBytes: MAX_ROSTER_BYTES,
  };
  const importPeople = routeChain<ValidatedEvent<typeof importSchemas>>('POST /people/import')
    .use(validateRequest(importSchemas))
    .handler(async (event) =>
      json(200, await importRoster(deps, event.validated.body, { correlationId: event.correlationId })),
    );

  return dispatchByRouteKey({
    'PUT /people/{personId}': putPerson,
    'GET /people/{personId}': getPerson,
    'GET /people': listPeople,
    'DELETE /people/{personId}': deletePerson,
    'POST /people/import': importPeople,
  });
};
