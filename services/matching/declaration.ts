import { hrDirectoryEvents } from '../../shared/contracts/hr-directory-events';
import {
  MatchingRunRequestedV1,
  PersonOffboardedV1,
  PersonUpdatedV1,
  RosterImportSubmittedV1,
} from '../../shared/contracts/matching-events';
import { defineService, standardTable } from '../../shared/declaration';
import { patternFor } from '../../shared/events/envelope';
import { peopleRoutes } from './routes/people';
import { matchingRoutes } from './routes/pods';

/** The people directory, matching runs and pods: functions, routes, subscriptions, schedules, table. */
export const matchingService = defineService({
  name: 'matching',
  description: 'People directory, matching runs and mentor pods.',
  table: standardTable,
  functions: [
    {
      name: 'people-api',
      entry: 'services/matching/handlers/people-api.ts',
      description: 'People directory HTTP API: read, write, offboard, rehire, roster imports, domains.',
      // A submitted roster is read whole (up to 64 MB of CSV) to check it before it is stored.
      memoryMb: 1024,
      timeoutSeconds: 29,
      access: { table: 'read-write' },
      routes: peopleRoutes,
    },
    {
      name: 'roster-import-worker',
      entry: 'services/matching/handlers/roster-import-worker.ts',
      description:
        'Applies submitted roster imports in batches (each batch with its events, report and checkpoint in one transaction).',
      memoryMb: 1024,
      // It stops between batches a minute before its end and sets the import going again.
      timeoutSeconds: 900,
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
      routes: matchingRoutes,
    },
    {
      name: 'matching-runner',
      entry: 'services/matching/handlers/matching-runner.ts',
      description:
        'Computes requested matching runs (the whole directory, a search time budget), stores their results in pages, commits them when asked.',
      // 50,000 people: the engine's ~0.6 GB, the directory, the result and the plan, with room.
      memoryMb: 3008,
      // Lambda's maximum: the search stops at its budget (RUN_SEARCH_BUDGET_MS) well before.
      timeoutSeconds: 900,
      access: { table: 'read-write' },
      // The MIP solver the engine hands the reduced problem of a hard domain to, loaded only then, and
      // the worker thread's module that runs it.
      packagesBesideBundle: ['highs'],
    },
    {
      name: 'pairings-consumer',
      entry: 'services/matching/handlers/pairings-consumer.ts',
      description:
        'Ends the pairings of a person who left, or that a directory change breaks, and re-matches their mentees at once where a mentor has room.',
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
  ],
  subscriptions: [
    {
      name: 'submitted-imports',
      function: 'roster-import-worker',
      pattern: patternFor(RosterImportSubmittedV1),
      description: 'Our own RosterImport.Submitted (v1): apply the import’s rows from its checkpoint.',
    },
    {
      name: 'requested-runs',
      function: 'matching-runner',
      pattern: patternFor(MatchingRunRequestedV1),
      description: 'Our own MatchingRun.Requested (v1): compute the run, and commit it when asked.',
    },
    {
      name: 'hr-directory-changes',
      function: 'hr-directory-consumer',
      pattern: patternFor(...hrDirectoryEvents),
      description: 'HR directory: Employee.Joined, Employee.Updated, Employee.Left (v1).',
    },
    {
      name: 'people-leaving-or-changing',
      function: 'pairings-consumer',
      pattern: patternFor(PersonOffboardedV1, PersonUpdatedV1),
      description:
        'Our own Person.Offboarded and Person.Updated (v1): end the pairings a leave or a directory change (domain, level, project, manager, roles, hours) breaks, re-match their mentees.',
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
});
