import { canReadPerson } from '../../../shared/auth/principal';
import { etagOf, versionFromPrecondition } from '../../../shared/http/etag';
import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import { positionPage } from '../../../shared/pagination';
import { putPerson as putPersonUseCase, rehire, removePerson } from '../domain/people/directory';
import { publicPerson } from '../domain/people/person';
import {
  type ImportDependencies,
  type ImportJob,
  submitImport as submitImportUseCase,
} from '../domain/people/roster-import';
import { replaceDomains as replaceDomainsUseCase } from '../domain/settings/programme-settings';
import {
  getImport,
  getImportRows,
  getPerson,
  listDomains,
  listPeople,
  offboardPerson,
  putPerson,
  rehirePerson,
  replaceDomains,
  submitImport,
} from '../routes/people';
import { matchingErrors } from './http-errors';

const route = routesAnswering(matchingErrors);

/** An import as the API shows it: its progress and where to read its report. */
const importView = (job: ImportJob) => {
  const { fileHash: _hash, nextRow, ...shown } = job;
  const self = `/people/imports/${job.importId}`;
  return { ...shown, progress: { applied: nextRow, total: job.rows }, links: { self, rows: `${self}/rows` } };
};

export const createPeopleApiHandler = (deps: ImportDependencies) =>
  serveRoutes(
    route(putPerson).handle(async ({ params, body, headers, correlationId }) => {
      const ifMatch = versionFromPrecondition(headers['if-match'], 'if-match');
      const ifNoneMatch = versionFromPrecondition(headers['if-none-match'], 'if-none-match') === '*' ? '*' : undefined;
      const change = await putPersonUseCase(deps, params.personId, body, { ifMatch, ifNoneMatch }, { correlationId });
      const reply = { body: publicPerson(change.person), headers: { etag: etagOf(change.person.version) } };
      return change.kind === 'registered' ? { status: 201, ...reply } : { status: 200, ...reply };
    }),

    route(getPerson).handle(async ({ params, principal, fail }) => {
      // Someone asking for another person's record learns nothing, not even that it exists.
      const person = canReadPerson(principal, params.personId) ? await deps.people.get(params.personId) : undefined;
      if (!person) return fail(404, `No person ${params.personId}.`);
      return { status: 200, body: publicPerson(person), headers: { etag: etagOf(person.version) } };
    }),

    route(listPeople).handle(async ({ query }) => {
      if (query.q) {
        const found = await deps.people.search({ text: query.q, status: query.status, limit: query.limit });
        return { status: 200, body: { items: found.map(publicPerson) } };
      }
      const page = await deps.people.list(query);
      return {
        status: 200,
        body: { items: page.items.map(publicPerson), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
      };
    }),

    route(offboardPerson).handle(async ({ params, correlationId }) => {
      await removePerson(deps, params.personId, 'offboarded', { correlationId });
      return { status: 204 };
    }),

    route(rehirePerson).handle(async ({ params, body, correlationId }) => {
      const change = await rehire(deps, params.personId, body, { correlationId });
      return { status: 200, body: publicPerson(change.person), headers: { etag: etagOf(change.person.version) } };
    }),

    route(submitImport).handle(async ({ body, principal, correlationId }) => {
      const { job, created } = await submitImportUseCase(deps, body, principal.personId, { correlationId });
      const headers = { location: `/people/imports/${job.importId}` };
      return created
        ? { status: 202, body: importView(job), headers }
        : { status: 200, body: importView(job), headers };
    }),

    route(getImport).handle(async ({ params, fail }) => {
      const job = await deps.imports.get(params.importId);
      if (!job) return fail(404, `No import ${params.importId}.`);
      return { status: 200, body: importView(job) };
    }),

    route(getImportRows).handle(async ({ params, query, fail }) => {
      const job = await deps.imports.get(params.importId);
      if (!job) return fail(404, `No import ${params.importId}.`);
      return { status: 200, body: await positionPage((slice) => deps.imports.rows(params.importId, slice), query) };
    }),

    route(listDomains).handle(async () => {
      const list = await deps.programme.domains();
      return { status: 200, body: list, headers: { etag: etagOf(list.version) } };
    }),

    route(replaceDomains).handle(async ({ body, headers, principal }) => {
      const ifMatch = versionFromPrecondition(headers['if-match'], 'if-match');
      const list = await replaceDomainsUseCase(
        { programme: deps.programme, someoneActiveIn: deps.people.someoneActiveIn, now: deps.clock() },
        body.domains,
        principal.personId,
        ifMatch === '*' ? undefined : ifMatch,
      );
      return { status: 200, body: list, headers: { etag: etagOf(list.version) } };
    }),
  );
