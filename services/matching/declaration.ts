import * as z from 'zod';
import { hrDirectoryEvents } from '../../shared/contracts/hr-directory-events';
import { PersonOffboardedV1 } from '../../shared/contracts/matching-events';
import { type ServiceDeclaration, standardTable } from '../../shared/declaration';
import { patternFor } from '../../shared/events/envelope';
import { ProblemSchema } from '../../shared/http/problem';
import { PersonInputSchema, PersonSchema } from './domain/person';
import { PodViewSchema } from './domain/pods/visibility';
import {
  AvailabilityBodySchema,
  AvailabilitySchema,
  DecisionBodySchema,
  DecisionResultSchema,
  ListPodsQuerySchema,
  ListRequestsQuerySchema,
  PodPageSchema,
  PodPathSchema,
  ReassignmentRequestBodySchema,
  ReassignmentRequestSchema,
  RequestPageSchema,
  RequestPathSchema,
  RunPathSchema,
  RunRequestSchema,
  RunViewSchema,
} from './handlers/pod-schemas';
import { ImportReportSchema, ListPeopleQuerySchema, PersonPageSchema, PersonPathSchema } from './handlers/schemas';

const peopleAdmins = ['admin', 'life-coach'] as const;
const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;
const problem = (description: string) => ({ description, schema: ProblemSchema });

export const matchingService: ServiceDeclaration = {
  name: 'matching',
  description: 'People directory, matching runs and mentor pods.',
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
      name: 'matching-api',
      entry: 'services/matching/handlers/matching-api.ts',
      description: 'Matching runs (dry run, commit), pods, reassignment requests and decisions, mentor availability.',
      memoryMb: 1024,
      timeoutSeconds: 29,
      access: { table: 'read-write' },
    },
    {
      name: 'offboarding-consumer',
      entry: 'services/matching/handlers/offboarding-consumer.ts',
      description:
        'Ends the pairings of a person who left and re-matches their mentees at once where a mentor has room.',
      memoryMb: 512,
      timeoutSeconds: 60,
      access: { table: 'read-write' },
    },
    {
      name: 'commit-sweeper',
      entry: 'services/matching/handlers/commit-sweeper.ts',
      description:
        'Finishes a commit abandoned by a crashed or timed-out function, then applies deferred offboardings and re-matches left behind.',
      memoryMb: 1024,
      // Not behind the HTTP API's 29 s: a large abandoned commit is finished in one firing. Two
      // sweepers finishing the same commit are safe (each step applies at most once).
      timeoutSeconds: 300,
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
    {
      method: 'POST',
      path: '/matching/runs',
      function: 'matching-api',
      auth: { roles: peopleAdmins },
      docs: {
        summary:
          'Run the matching engine: a dry run (stored for review), a commit of a stored dry run (`runId`), or a run committed at once',
        body: RunRequestSchema,
        responses: {
          200: { description: 'The dry run was committed (or already was)', schema: RunViewSchema },
          201: { description: 'A new run (dry run, or committed at once)', schema: RunViewSchema },
          400: problem('Invalid input'),
          404: problem('No such run'),
          409: problem(
            'People or pairings changed since the dry run, another commit holds the slot, or the run cannot be committed',
          ),
          422: problem('The result is not proven optimal: it is not committed'),
          503: problem('The commit was interrupted; commit the same run again to finish it'),
        },
      },
    },
    {
      method: 'GET',
      path: '/matching/runs/{runId}',
      function: 'matching-api',
      auth: { roles: peopleAdmins },
      docs: {
        summary: 'Read a matching run: its status, counts and the engine’s full result',
        params: RunPathSchema,
        responses: { 200: { description: 'The run', schema: RunViewSchema }, 404: problem('No such run') },
      },
    },
    {
      method: 'GET',
      path: '/pods',
      function: 'matching-api',
      auth: { roles: everyone },
      docs: {
        summary:
          'Pods: every active pod for the life coach and admin (paged, by domain); otherwise the caller’s own pods, as a mentor or a mentee may see them',
        query: ListPodsQuerySchema,
        responses: {
          200: { description: 'Pods as the caller may see them', schema: PodPageSchema },
          400: problem('Invalid query'),
        },
      },
    },
    {
      method: 'GET',
      path: '/pods/{podId}',
      function: 'matching-api',
      auth: { roles: everyone },
      docs: {
        summary: 'Read a pod, as the caller may see it (someone not in it gets 404)',
        params: PodPathSchema,
        responses: { 200: { description: 'The pod', schema: PodViewSchema }, 404: problem('No such pod') },
      },
    },
    {
      method: 'POST',
      path: '/pods/{podId}/reassignment-requests',
      function: 'matching-api',
      auth: { roles: ['employee', 'mentor'] },
      docs: {
        summary:
          'Ask the life coach to move a mentee to another mentor (the mentee for themselves, or the pod’s mentor)',
        params: PodPathSchema,
        body: ReassignmentRequestBodySchema,
        responses: {
          201: { description: 'The open request', schema: ReassignmentRequestSchema },
          400: problem('Invalid input'),
          403: problem('Not the pod’s mentee or mentor'),
          404: problem('No such pod'),
          409: problem('The mentee already has an open request'),
        },
      },
    },
    {
      method: 'GET',
      path: '/reassignment-requests',
      function: 'matching-api',
      auth: { roles: peopleAdmins },
      docs: {
        summary: 'Reassignment requests by status (open by default), oldest first',
        query: ListRequestsQuerySchema,
        responses: {
          200: { description: 'A page of requests', schema: RequestPageSchema },
          400: problem('Invalid query'),
        },
      },
    },
    {
      method: 'POST',
      path: '/reassignment-requests/{requestId}/decision',
      function: 'matching-api',
      auth: { roles: ['life-coach'] },
      docs: {
        summary:
          'Approve (ends the mentorship as `reassigned`, lock or no lock, and re-matches at once) or reject a reassignment request',
        params: RequestPathSchema,
        body: DecisionBodySchema,
        responses: {
          200: { description: 'The decision and where the mentee went', schema: DecisionResultSchema },
          400: problem('Invalid input'),
          404: problem('No such request'),
          409: problem('Already decided, the mentorship already ended, or a commit is in progress'),
          422: problem('The named mentor cannot take the mentee (the rule is named)'),
        },
      },
    },
    {
      method: 'PUT',
      path: '/mentors/{personId}/availability',
      function: 'matching-api',
      auth: { roles: ['mentor', 'admin', 'life-coach'] },
      docs: {
        summary:
          'A mentor sets their capacity (3-5) and pauses or resumes taking new mentees (self, admin, life coach)',
        params: PersonPathSchema,
        body: AvailabilityBodySchema,
        responses: {
          200: { description: 'The mentor’s availability and current load', schema: AvailabilitySchema },
          400: problem('Invalid input'),
          404: problem('No such person'),
          409: problem('Not a mentor'),
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
    {
      name: 'offboarded-people',
      function: 'offboarding-consumer',
      pattern: patternFor(PersonOffboardedV1),
      description: 'Our own Person.Offboarded (v1): end the leaver’s pairings, re-match their mentees.',
    },
  ],
  schedules: [
    {
      name: 'commit-sweeper',
      function: 'commit-sweeper',
      // Well below the 15 minutes after which a held commit slot counts as abandoned.
      expression: 'rate(5 minutes)',
      description: 'Finish abandoned commits; apply deferred offboardings and re-matches left behind.',
    },
  ],
};
