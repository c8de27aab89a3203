/** The pods, runs and reassignment HTTP routes: one contract each (shared/http/contract.ts). */

import { RunCountsV1 } from '../../../shared/contracts/matching-events';
import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { ResourceIdSchema } from '../domain/pods/model';
import { PodViewSchema } from '../domain/pods/visibility';
import { MatchingSettingsSchema, StoredMatchingSettingsSchema } from '../domain/settings/programme-settings';
import { MatchResultSchema } from './match-result';
import { PersonPathSchema } from './paths';

const staff = ['admin', 'life-coach'] as const;
const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;

const DomainSchema = lazySchema(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(64)));

export const RunRequestSchema = lazySchema(() =>
  z
    .strictObject({
      mode: z.enum(['dry-run', 'commit']),
      /** Match only these domains (plus any a current pairing links them to); everyone when absent. */
      domains: z.optional(
        z.array(DomainSchema()).check(
          z.minLength(1),
          z.maxLength(100),
          z.refine((domains) => new Set(domains).size === domains.length, 'must not repeat a domain'),
        ),
      ),
      /** With `commit`: apply exactly this stored dry run. */
      runId: z.optional(ResourceIdSchema()),
    })
    .check(
      z.superRefine((body, context) => {
        if (body.runId && body.mode !== 'commit') {
          context.addIssue({ code: 'custom', path: ['runId'], message: 'is only allowed with mode "commit"' });
        }
        if (body.runId && body.domains) {
          context.addIssue({
            code: 'custom',
            path: ['domains'],
            message: 'cannot be given with runId (the run has its own)',
          });
        }
      }),
    ),
);

export const RunPathSchema = lazySchema(() => z.strictObject({ runId: ResourceIdSchema() }));
export const PodPathSchema = lazySchema(() => z.strictObject({ podId: ResourceIdSchema() }));
export const RequestPathSchema = lazySchema(() => z.strictObject({ requestId: ResourceIdSchema() }));

export const ListPodsQuerySchema = lazySchema(() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    domain: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  }),
);

export const ReassignmentRequestBodySchema = lazySchema(() =>
  z.strictObject({
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
    /** Required when the pod's mentor asks; a mentee asks for themselves. */
    menteeId: z.optional(ResourceIdSchema()),
  }),
);

export const DecisionBodySchema = lazySchema(() =>
  z
    .strictObject({
      decision: z.enum(['approve', 'reject']),
      note: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
      /** With `approve`: the mentor to move the mentee to (else the best mentor with room, or the next run). */
      newMentorId: z.optional(ResourceIdSchema()),
    })
    .check(
      z.superRefine((body, context) => {
        if (body.newMentorId && body.decision !== 'approve') {
          context.addIssue({
            code: 'custom',
            path: ['newMentorId'],
            message: 'is only allowed with decision "approve"',
          });
        }
      }),
    ),
);

export const ListRequestsQuerySchema = lazySchema(() =>
  z.strictObject({
    status: z
      .optional(z.enum(['open', 'approved', 'rejected']))
      .check(
        z.describe(
          'Staff: requests of this status (default open). Anyone else: their own requests, of any status unless given',
        ),
      ),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  }),
);

export const AvailabilityBodySchema = lazySchema(() =>
  z.strictObject({
    capacity: z.int().check(z.minimum(3), z.maximum(5)),
    acceptingMentees: z.boolean(),
  }),
);

const DomainStatsSchema = lazySchema(() => MatchResultSchema().shape.optimality.shape.domains);

export const RunSettingsSchema = lazySchema(() =>
  z
    .object({
      version: z.int().check(z.describe('Version of the matching settings (0: the defaults)')),
      weights: z.record(z.string(), z.number()),
      rules: z.record(z.string(), z.number()),
      repeatPenaltyMonths: z.int(),
    })
    .check(z.describe('The matching settings the run used')),
);

export const RunViewSchema = lazySchema(() =>
  z.object({
    runId: z.string(),
    mode: z.enum(['dry-run', 'commit']),
    status: z
      .enum(['queued', 'dry-run', 'commit-requested', 'committing', 'committed', 'aborted', 'failed'])
      .check(
        z.describe(
          '`queued`: computing. `dry-run`: computed, for review. `commit-requested`, `committing`, `committed`. `aborted`: a commit refused or stopped (`abortedReason`). `failed`: the computation did not finish (`failedReason`)',
        ),
      ),
    domains: z.nullable(z.array(z.string())),
    scope: z.optional(z.nullable(z.array(z.string()))),
    runDate: z.optional(z.string()),
    createdAt: z.string(),
    requestedBy: z.string(),
    commitRequestedBy: z.optional(z.string()),
    committedAt: z.optional(z.string()),
    abortedReason: z.optional(z.string()),
    failedReason: z.optional(z.string()),
    settings: RunSettingsSchema(),
    podsBelowMinimum: z
      .optional(
        z.array(
          z.object({ podId: z.string(), mentorId: z.string(), domain: z.string(), load: z.int(), minimum: z.int() }),
        ),
      )
      .check(
        z.describe(
          'Pods under the minimum when the run read them: their locks were released so the run fills them or moves their mentees',
        ),
      ),
    basedOnGeneration: z.optional(z.int()),
    counts: z.optional(RunCountsV1()),
    summary: z
      .optional(
        z.object({
          objective: z.object({ value: z.number(), matched: z.int(), pairScore: z.number(), loadCost: z.number() }),
          proven: z.boolean(),
          gap: z.number(),
          domains: DomainStatsSchema(),
          warnings: z.int(),
          releasedLocks: z.int(),
        }),
      )
      .check(z.describe('Once computed: the objective, proof and search statistics per domain')),
    steps: z.optional(z.object({ total: z.int(), applied: z.optional(z.int()) })),
    links: z
      .object({ self: z.string(), pods: z.string(), unmatched: z.string() })
      .check(z.describe('Where to read the run and, once computed, its pods and the people it left out (paged)')),
  }),
);

export const RunListSchema = lazySchema(() =>
  z.object({ items: z.array(RunViewSchema()), nextCursor: z.optional(z.string()) }),
);

export const RunPagesQuerySchema = lazySchema(() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  }),
);

export const RunPodsPageSchema = lazySchema(() =>
  z.object({
    items: MatchResultSchema().shape.pods,
    total: z.int(),
    nextCursor: z.optional(z.string()),
  }),
);

const LeftOutSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.extend(MatchResultSchema().shape.unmatched.def.element, { kind: z.literal('unmatched') }),
    z.extend(MatchResultSchema().shape.noMentorPossible.def.element, { kind: z.literal('no-mentor-possible') }),
    z.extend(MatchResultSchema().shape.mentorShortfalls.def.element, { kind: z.literal('mentor-shortfall') }),
  ]),
);

export const RunLeftOutPageSchema = lazySchema(() =>
  z.object({
    items: z
      .array(LeftOutSchema())
      .check(
        z.describe(
          '`unmatched`: could have had a mentor, and the rule that blocked them; `no-mentor-possible`: no mentor can exist for them (the most senior of their domain...); `mentor-shortfall`: a mentor left under the minimum',
        ),
      ),
    total: z.int(),
    nextCursor: z.optional(z.string()),
  }),
);

export const PodPageSchema = lazySchema(() =>
  z.object({ items: z.array(PodViewSchema()), nextCursor: z.optional(z.string()) }),
);

export const ReassignmentRequestSchema = lazySchema(() =>
  z.object({
    requestId: z.string(),
    podId: z.string(),
    mentorId: z.string(),
    menteeId: z.string(),
    mentorshipId: z.string(),
    requestedBy: z.string(),
    requesterRole: z.enum(['mentee', 'mentor']),
    reason: z.string(),
    status: z.enum(['open', 'approved', 'rejected']),
    createdAt: z.string(),
    lockedUntil: z.string(),
    decidedBy: z.optional(z.string()),
    decidedAt: z.optional(z.string()),
    note: z.optional(z.string()),
    outcome: z.optional(z.nullable(z.object({ mentorId: z.string(), podId: z.string() }))),
  }),
);

export const RequestPageSchema = lazySchema(() =>
  z.object({
    items: z.array(ReassignmentRequestSchema()),
    nextCursor: z.optional(z.string()),
  }),
);

export const DecisionResultSchema = lazySchema(() =>
  z.object({
    request: ReassignmentRequestSchema(),
    /** Where the mentee went on approval; null: nobody fits now (see notPlaced). */
    placed: z.nullable(z.object({ mentorId: z.string(), podId: z.string() })),
    notPlaced: z
      .optional(
        z.object({
          summary: z.string(),
          mentors: z.array(z.object({ mentorId: z.string(), rule: z.string(), detail: z.string() })),
        }),
      )
      .check(
        z.describe(
          'Approved but not placed: why each mentor of the domain could not take the mentee, and what happens next',
        ),
      ),
    podBelowMinimum: z
      .optional(
        z.object({ podId: z.string(), mentorId: z.string(), load: z.int(), minimum: z.int(), note: z.string() }),
      )
      .check(z.describe('The pod the mentee left now holds fewer than the minimum, and what happens to it')),
  }),
);

export const AvailabilitySchema = lazySchema(() =>
  z.object({
    personId: z.string(),
    capacity: z.int(),
    acceptingMentees: z.boolean(),
    currentLoad: z.int(),
    version: z.int().check(z.describe('The mentor’s directory version after this change')),
    note: z.optional(z.string()),
  }),
);

const runLocation = { Location: 'The run’s URL: GET it to follow the run' };

export const startMatchingRun = defineRoute({
  method: 'POST',
  path: '/matching/runs',
  summary:
    'Ask for a matching run: a dry run (stored for review), a run committed at once, or the commit of a stored dry run (`runId`); it runs in the background',
  description:
    'Answers 202 with the run’s URL at once; the run is computed (and committed) by the matching runner, and MatchingRun.Completed is published when it is done. GET /matching/runs/{runId} shows its status and summary; its pods and the people it left out are paged.',
  auth: { roles: staff },
  body: { schema: RunRequestSchema },
  responses: {
    200: {
      description: 'The run was already committed, or its commit is under way',
      schema: RunViewSchema,
      headers: runLocation,
    },
    202: { description: 'Accepted: the run (or its commit) is under way', schema: RunViewSchema, headers: runLocation },
  },
  problems: {
    404: 'No such run',
    409: 'People or pairings changed since the dry run, another commit holds the slot, or the run cannot be committed',
    422: 'The result is not proven optimal: it is not committed',
  },
});

export const listMatchingRuns = defineRoute({
  method: 'GET',
  path: '/matching/runs',
  summary: 'Matching runs, newest first: who asked, when, the mode, the status and the summary',
  auth: { roles: staff },
  query: () =>
    z.extend(RunPagesQuerySchema(), { cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))) }),
  responses: { 200: { description: 'A page of runs', schema: RunListSchema } },
});

export const getMatchingRun = defineRoute({
  method: 'GET',
  path: '/matching/runs/{runId}',
  summary: 'Read a matching run: its status, counts, summary and the settings it used',
  auth: { roles: staff },
  params: RunPathSchema,
  responses: { 200: { description: 'The run', schema: RunViewSchema } },
  problems: { 404: 'No such run' },
});

export const getMatchingRunPods = defineRoute({
  method: 'GET',
  path: '/matching/runs/{runId}/pods',
  summary: 'The pods of a run’s result, a page at a time (by domain, then mentor), with each pairing’s top factors',
  auth: { roles: staff },
  params: RunPathSchema,
  query: RunPagesQuerySchema,
  responses: { 200: { description: 'A page of pods', schema: RunPodsPageSchema } },
  problems: { 404: 'No such run' },
});

export const getMatchingRunLeftOut = defineRoute({
  method: 'GET',
  path: '/matching/runs/{runId}/unmatched',
  summary:
    'Who a run left out and why, a page at a time: unmatched mentees, people no mentor can exist for, mentors short',
  auth: { roles: staff },
  params: RunPathSchema,
  query: RunPagesQuerySchema,
  responses: { 200: { description: 'A page of people left out', schema: RunLeftOutPageSchema } },
  problems: { 404: 'No such run' },
});

export const getMatchingSettings = defineRoute({
  method: 'GET',
  path: '/matching/settings',
  summary: 'The matching settings every run uses (weights, tunable rules, the repeat-penalty window)',
  auth: { roles: staff },
  responses: {
    200: {
      description: 'The settings and their version',
      schema: StoredMatchingSettingsSchema,
      headers: { ETag: 'The settings’ version, for If-Match' },
    },
  },
});

export const putMatchingSettings = defineRoute({
  method: 'PUT',
  path: '/matching/settings',
  summary: 'Replace the matching settings (admin); every later run uses and records them',
  auth: { roles: ['admin'] },
  body: { schema: MatchingSettingsSchema },
  responses: {
    200: {
      description: 'The new settings',
      schema: StoredMatchingSettingsSchema,
      headers: { ETag: 'The settings’ version, for If-Match' },
    },
  },
  problems: { 412: 'If-Match is not the current version of the settings' },
});

export const listPods = defineRoute({
  method: 'GET',
  path: '/pods',
  summary:
    'Pods: every active pod for the life coach and admin (paged, by domain); otherwise the caller’s own pods, as a mentor or a mentee may see them',
  auth: { roles: everyone },
  query: ListPodsQuerySchema,
  responses: { 200: { description: 'Pods as the caller may see them', schema: PodPageSchema } },
});

export const getPod = defineRoute({
  method: 'GET',
  path: '/pods/{podId}',
  summary: 'Read a pod, as the caller may see it (someone not in it gets 404)',
  auth: { roles: everyone },
  params: PodPathSchema,
  responses: { 200: { description: 'The pod', schema: PodViewSchema } },
  problems: { 404: 'No such pod, or not one the caller is in (alike, so nothing is revealed)' },
});

export const requestReassignment = defineRoute({
  method: 'POST',
  path: '/pods/{podId}/reassignment-requests',
  summary: 'Ask the life coach to move a mentee to another mentor (the mentee for themselves, or the pod’s mentor)',
  auth: { roles: ['employee', 'mentor'] },
  params: PodPathSchema,
  body: { schema: ReassignmentRequestBodySchema },
  responses: { 201: { description: 'The open request', schema: ReassignmentRequestSchema } },
  problems: {
    403: 'Not the pod’s mentee or mentor, or a mentee asking for someone else',
    404: 'No such pod, or not one the caller is in',
    409: 'The mentee already has an open request, or pairings changed meanwhile',
  },
});

export const listReassignmentRequests = defineRoute({
  method: 'GET',
  path: '/reassignment-requests',
  summary:
    'Reassignment requests: for the life coach and admin, by status (open by default), oldest first; for anyone else, their own (about them, or made by them), newest first',
  auth: { roles: everyone },
  query: ListRequestsQuerySchema,
  responses: { 200: { description: 'A page of requests', schema: RequestPageSchema } },
});

export const getReassignmentRequest = defineRoute({
  method: 'GET',
  path: '/reassignment-requests/{requestId}',
  summary: 'Read a reassignment request: its status and outcome (its mentee, who asked, life coach and admin)',
  auth: { roles: everyone },
  params: RequestPathSchema,
  responses: { 200: { description: 'The request', schema: ReassignmentRequestSchema } },
  problems: { 404: 'No such request, or not one about or by the caller (alike, so nothing is revealed)' },
});

export const decideReassignment = defineRoute({
  method: 'POST',
  path: '/reassignment-requests/{requestId}/decision',
  summary:
    'Approve (ends the mentorship as `reassigned`, lock or no lock, and re-matches at once) or reject a reassignment request',
  auth: { roles: ['life-coach'] },
  params: RequestPathSchema,
  body: { schema: DecisionBodySchema },
  responses: { 200: { description: 'The decision and where the mentee went', schema: DecisionResultSchema } },
  problems: {
    404: 'No such request',
    409: 'Already decided, the mentorship already ended, or a commit is in progress',
    422: 'The named mentor cannot take the mentee (the rule is named)',
  },
});

export const setMentorAvailability = defineRoute({
  method: 'PUT',
  path: '/mentors/{personId}/availability',
  summary: 'A mentor sets their capacity (3-5) and pauses or resumes taking new mentees (self, admin, life coach)',
  auth: { roles: ['mentor', 'admin', 'life-coach'] },
  params: PersonPathSchema,
  body: { schema: AvailabilityBodySchema },
  responses: { 200: { description: 'The mentor’s availability and current load', schema: AvailabilitySchema } },
  problems: {
    404: 'No such person, or another mentor’s availability (alike, so nothing is revealed)',
    409: 'Not a mentor, or the person kept being changed at the same time',
  },
});

/** Every route of the matching-api function. */
export const matchingRoutes = [
  startMatchingRun,
  listMatchingRuns,
  getMatchingRun,
  getMatchingRunPods,
  getMatchingRunLeftOut,
  getMatchingSettings,
  putMatchingSettings,
  listPods,
  getPod,
  requestReassignment,
  listReassignmentRequests,
  getReassignmentRequest,
  decideReassignment,
  setMentorAvailability,
] as const;
