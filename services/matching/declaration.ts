import { z } from 'zod';
import { hrDirectoryEvents } from '../../shared/contracts/hr-directory-events';
import { type ServiceDeclaration, standardTable } from '../../shared/declaration';
import { patternFor } from '../../shared/events/envelope';
import { ProblemSchema } from '../../shared/http/problem';
import { PersonInputSchema, PersonSchema } from './domain/person';
import { ImportReportSchema, ListPeopleQuerySchema, PersonPageSchema, PersonPathSchema } from './handlers/schemas';

const peopleAdmins = ['admin', 'life-coach'] as const;
const problem = (description: string) => ({ description, schema: ProblemSchema });

export const matchingService: ServiceDeclaration = {
  name: 'matching',
  description: 'People directory and mentor pods.',
  table: standardTable,
  functions: [
    {
      name: 'people-api',
      entry: 'services/matching/handlers/people-api.ts',
      description: 'People directory HTTP API: read, write, offboard, CSV import.',
      memoryMb: 512,
      timeoutSeconds: 29,
      access: { table: 'read-write' },
    },
    {
      name: 'hr-directory-consumer',
      entry: 'services/matching/handlers/hr-directory-consumer.ts',
      description: 'Applies HR directory events (joined, updated, left) to the people directory.',
      memoryMb: 256,
      timeoutSeconds: 30,
      access: { table: 'read-write' },
    },
    {
      name: 'outbox-relay',
      entry: 'shared/events/outbox-relay-handler.ts',
      description: 'Relays outbox records from the table stream to the event bus.',
      memoryMb: 256,
      timeoutSeconds: 60,
      trigger: { kind: 'outbox-stream' },
      access: { publishEvents: true },
    },
  ],
  routes: [
    {
      method: 'PUT',
      path: '/people/{personId}',
      function: 'people-api',
      auth: { roles: peopleAdmins },
      docs: {
        summary: 'Create or replace a person',
        params: PersonPathSchema,
        body: PersonInputSchema,
        responses: {
          200: { description: 'Updated (or unchanged)', schema: PersonSchema },
          201: { description: 'Created', schema: PersonSchema },
          400: problem('Invalid input'),
          409: problem('The person was offboarded'),
        },
      },
    },
    {
      method: 'GET',
      path: '/people/{personId}',
      function: 'people-api',
      auth: { roles: ['employee', 'mentor', 'life-coach', 'admin'] },
      docs: {
        summary: 'Read a person (yourself, or anyone for admin and life coach)',
        params: PersonPathSchema,
        responses: { 200: { description: 'The person', schema: PersonSchema }, 404: problem('Not found') },
      },
    },
    {
      method: 'GET',
      path: '/people',
      function: 'people-api',
      auth: { roles: peopleAdmins },
      docs: {
        summary: 'List people, a page at a time',
        query: ListPeopleQuerySchema,
        responses: { 200: { description: 'A page of people', schema: PersonPageSchema } },
      },
    },
    {
      method: 'DELETE',
      path: '/people/{personId}',
      function: 'people-api',
      auth: { roles: peopleAdmins },
      docs: {
        summary: 'Offboard a person (the record is kept, marked offboarded)',
        params: PersonPathSchema,
        responses: { 204: { description: 'Offboarded' }, 404: problem('Not found') },
      },
    },
    {
      method: 'POST',
      path: '/people/import',
      function: 'people-api',
      auth: { roles: peopleAdmins },
      docs: {
        summary: 'Import an HR roster as CSV: valid rows land, invalid rows are reported by line',
        body: z.string(),
        bodyMediaType: 'text/csv',
        responses: {
          200: { description: 'Per-row results', schema: ImportReportSchema },
          400: problem('Not a CSV roster'),
          413: problem('Body too large'),
        },
      },
    },
  ],
  subscriptions: [
    {
      name: 'hr-directory-changes',
      function: 'hr-directory-consumer',
      pattern: patternFor(...hrDirectoryEvents),
      description: 'HR directory: Employee.Joined, Employee.Updated, Employee.Left (v1).',
    },
  ],
  schedules: [],
};
