/** The people directory's HTTP routes: one contract each (shared/http/contract.ts). */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { PersonInputSchema, PersonSchema, PutPersonBodySchema } from '../domain/people/person';
import { DomainListBodySchema, DomainListSchema } from '../domain/settings/programme-settings';
import { PersonPathSchema } from './paths';

const staff = ['admin', 'life-coach'] as const;
const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;

/**
 * A roster as text: 4 MB, so the request stays inside Lambda's 6 MB payload once API Gateway has
 * put it in its JSON event (about 20,000 typical rows). Larger rosters come gzip-compressed
 * (`application/gzip`, a roster compresses about 5 to 8 times): 4 MB of gzip, at most 64 MB of
 * CSV (100,000 rows).
 */
const MAX_ROSTER_BYTES = 4 * 1024 * 1024;
const ROSTER_GZIP = { maxBytes: 4 * 1024 * 1024, maxTextBytes: 64 * 1024 * 1024 };
const MAX_PERSON_BYTES = 64 * 1024;

export const ListPeopleQuerySchema = lazySchema(() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    domain: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    status: z._default(z.enum(['active', 'offboarded']), 'active').check(z.describe('Default: active people')),
    q: z
      .optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))
      .check(z.describe('Only people whose name or email starts with this (case and accents ignored); no cursor')),
  }),
);

export const PersonPageSchema = lazySchema(() =>
  z.object({
    items: z.array(PersonSchema()),
    nextCursor: z.optional(z.string()),
  }),
);

export const ImportRowResultSchema = lazySchema(() =>
  z.object({
    line: z.int(),
    personId: z.optional(z.string()),
    outcome: z.enum(['created', 'updated', 'rehired', 'unchanged', 'rejected']),
    errors: z.optional(z.array(z.string())),
  }),
);

const ImportCountsSchema = lazySchema(() =>
  z.object({
    created: z.int(),
    updated: z.int(),
    rehired: z.int(),
    unchanged: z.int(),
    rejected: z.int(),
  }),
);

export const ImportJobSchema = lazySchema(() =>
  z.object({
    importId: z.string().check(z.describe('The file’s hash: the same file again is the same import')),
    status: z.enum(['queued', 'running', 'completed']),
    rows: z.int().check(z.describe('Data rows in the file')),
    progress: z.object({ applied: z.int(), total: z.int() }).check(z.describe('Rows applied (or rejected) so far')),
    counts: ImportCountsSchema(),
    rejectedSample: z
      .array(ImportRowResultSchema())
      .check(z.describe('The first rejected rows; every row is in the report')),
    fileBytes: z.int(),
    submittedBy: z.string(),
    submittedAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.optional(z.string()),
    links: z.object({ self: z.string(), rows: z.string() }),
  }),
);

export const ImportRowsPageSchema = lazySchema(() =>
  z.object({
    items: z.array(ImportRowResultSchema()),
    total: z.int(),
    nextCursor: z.optional(z.string()),
  }),
);

const etag = { ETag: 'The person’s version, quoted ("3"): send it back as If-Match to update only that version' };

export const putPerson = defineRoute({
  method: 'PUT',
  path: '/people/{personId}',
  summary: 'Create a person, or change the fields sent (fields left out keep their value)',
  description:
    'What GET answered may be sent back as it is: read-only fields (`personId`, `status`, `version`, `createdAt`, `updatedAt`) are ignored when unchanged. `If-Match: "<version>"` (or `version` in the body) makes the write conditional: 412 when someone changed the person since. `If-None-Match: *` creates only.',
  auth: { roles: staff },
  params: PersonPathSchema,
  body: { schema: PutPersonBodySchema, maxBytes: MAX_PERSON_BYTES },
  responses: {
    200: { description: 'Updated (or unchanged)', schema: PersonSchema, headers: etag },
    201: { description: 'Created', schema: PersonSchema, headers: etag },
  },
  problems: {
    409: 'The person was offboarded (rehire them), another person has the email address, or the person kept being changed at the same time',
    412: 'If-Match (or `version`) is not the current version, or If-None-Match: * and the person exists',
  },
});

export const getPerson = defineRoute({
  method: 'GET',
  path: '/people/{personId}',
  summary: 'Read a person (yourself, or anyone for admin and life coach)',
  auth: { roles: everyone },
  params: PersonPathSchema,
  responses: { 200: { description: 'The person', schema: PersonSchema, headers: etag } },
  problems: { 404: 'No such person, or not one the caller may read (alike, so nothing is revealed)' },
});

export const listPeople = defineRoute({
  method: 'GET',
  path: '/people',
  summary: 'List people of one status (active by default), a page at a time, or search them by name or email',
  auth: { roles: staff },
  query: ListPeopleQuerySchema,
  responses: { 200: { description: 'A page of people', schema: PersonPageSchema } },
});

export const offboardPerson = defineRoute({
  method: 'DELETE',
  path: '/people/{personId}',
  summary: 'Offboard a person (the record is kept, marked offboarded)',
  auth: { roles: staff },
  params: PersonPathSchema,
  responses: { 204: { description: 'Offboarded' } },
  problems: {
    404: 'No such person',
    409: 'The person kept being changed by someone else at the same time; retry',
  },
});

export const rehirePerson = defineRoute({
  method: 'POST',
  path: '/people/{personId}/rehire',
  summary: 'Bring an offboarded person back (recorded as a rehire), with any fields that changed meanwhile',
  auth: { roles: staff },
  params: PersonPathSchema,
  body: { schema: () => z.partial(PersonInputSchema()), maxBytes: MAX_PERSON_BYTES },
  responses: { 200: { description: 'The person, active again', schema: PersonSchema, headers: etag } },
  problems: {
    404: 'No such person',
    409: 'The person is active (nobody to rehire), or another person has the email address',
  },
});

const importLocation = { Location: 'The import’s URL: GET it to follow its progress and read its report' };

export const submitImport = defineRoute({
  method: 'POST',
  path: '/people/imports',
  summary:
    'Import an HR roster (CSV, or gzip of it): applied in the background, in batches; valid rows land, invalid rows are reported by line',
  description:
    'Answers 202 with the import’s URL once the file is stored; its rows are applied in batches (each with its events, atomically) and a crash half-way resumes where it stopped. The same file again answers 200 with its import: nothing is applied twice. A leaver is brought back only by a row whose `rehire` column says yes.',
  auth: { roles: staff },
  body: { schema: () => z.string(), mediaType: 'text/csv', maxBytes: MAX_ROSTER_BYTES, gzip: ROSTER_GZIP },
  responses: {
    200: {
      description: 'This file was submitted before: its import',
      schema: ImportJobSchema,
      headers: importLocation,
    },
    202: { description: 'Accepted: the import is under way', schema: ImportJobSchema, headers: importLocation },
  },
});

export const ImportPathSchema = lazySchema(() =>
  z.strictObject({
    importId: z
      .string()
      .check(z.regex(/^imp-[A-Za-z0-9_-]{32}$/, 'must be an import id as POST /people/imports gave it')),
  }),
);

export const getImport = defineRoute({
  method: 'GET',
  path: '/people/imports/{importId}',
  summary: 'An import’s status, progress and counts (and the first rejected rows)',
  auth: { roles: staff },
  params: ImportPathSchema,
  responses: { 200: { description: 'The import', schema: ImportJobSchema } },
  problems: { 404: 'No such import' },
});

export const getImportRows = defineRoute({
  method: 'GET',
  path: '/people/imports/{importId}/rows',
  summary: 'An import’s report, row by row (line, person, outcome, reasons), a page at a time',
  auth: { roles: staff },
  params: ImportPathSchema,
  query: () =>
    z.strictObject({
      limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000)), 100),
      cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    }),
  responses: { 200: { description: 'A page of rows', schema: ImportRowsPageSchema } },
  problems: { 404: 'No such import' },
});

export const listDomains = defineRoute({
  method: 'GET',
  path: '/domains',
  summary: 'The programme’s functional domains (a person’s domain is one of them)',
  auth: { roles: everyone },
  responses: { 200: { description: 'The domain list and its version', schema: DomainListSchema, headers: etag } },
});

export const replaceDomains = defineRoute({
  method: 'PUT',
  path: '/domains',
  summary: 'Replace the list of functional domains (admin)',
  description:
    'A domain that active people still belong to cannot be removed (409). `If-Match: "<version>"` makes the change conditional (412 when someone changed the list since).',
  auth: { roles: ['admin'] },
  body: { schema: DomainListBodySchema },
  responses: { 200: { description: 'The new list', schema: DomainListSchema, headers: etag } },
  problems: {
    409: 'A removed domain still has active people',
    412: 'If-Match is not the current version of the list',
  },
});

/** Every route of the people-api function. */
export const peopleRoutes = [
  putPerson,
  getPerson,
  listPeople,
  offboardPerson,
  rehirePerson,
  submitImport,
  getImport,
  getImportRows,
  listDomains,
  replaceDomains,
] as const;
