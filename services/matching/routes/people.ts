/** The people directory's HTTP routes: one contract each (shared/http/contract.ts). */
import * as z from 'zod';
import { defineRoute } from '../../../shared/http/contract';
import { PersonIdSchema, PersonInputSchema, PersonSchema } from '../domain/people/person';

const staff = ['admin', 'life-coach'] as const;
const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;

/** 5 MB of CSV is ~25,000 rows of typical roster; the row cap (5,000) bites first. */
const MAX_ROSTER_BYTES = 5 * 1024 * 1024;
const MAX_PERSON_BYTES = 64 * 1024;

export const PersonPathSchema = z.strictObject({ personId: PersonIdSchema });

export const ListPeopleQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
  domain: z.string().min(1).max(64).optional(),
});

export const PersonPageSchema = z.object({
  items: z.array(PersonSchema),
  nextCursor: z.string().optional(),
});

export const ImportRowResultSchema = z.object({
  line: z.int(),
  personId: z.string().optional(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
  errors: z.array(z.string()).optional(),
});

export const ImportReportSchema = z.object({
  created: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  rejected: z.int(),
  rows: z.array(ImportRowResultSchema),
});

export const putPerson = defineRoute({
  method: 'PUT',
  path: '/people/{personId}',
  summary: 'Create or replace a person',
  auth: { roles: staff },
  params: PersonPathSchema,
  body: { schema: PersonInputSchema, maxBytes: MAX_PERSON_BYTES },
  responses: {
    200: { description: 'Updated (or unchanged)', schema: PersonSchema },
    201: { description: 'Created', schema: PersonSchema },
  },
  problems: { 409: 'The person kept being changed by someone else at the same time; retry' },
});

export const getPerson = defineRoute({
  method: 'GET',
  path: '/people/{personId}',
  summary: 'Read a person (yourself, or anyone for admin and life coach)',
  auth: { roles: everyone },
  params: PersonPathSchema,
  responses: { 200: { description: 'The person', schema: PersonSchema } },
  problems: { 404: 'No such person, or not one the caller may read (alike, so nothing is revealed)' },
});

export const listPeople = defineRoute({
  method: 'GET',
  path: '/people',
  summary: 'List people, a page at a time',
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

export const importRoster = defineRoute({
  method: 'POST',
  path: '/people/import',
  summary: 'Import an HR roster as CSV: valid rows land, invalid rows are reported by line',
  auth: { roles: staff },
  body: { schema: z.string(), mediaType: 'text/csv', maxBytes: MAX_ROSTER_BYTES },
  responses: { 200: { description: 'Per-row results', schema: ImportReportSchema } },
});

/** Every route of the people-api function. */
export const peopleRoutes = [putPerson, getPerson, listPeople, offboardPerson, importRoster] as const;
