/** The pods, runs and reassignment HTTP routes: one contract each (shared/http/contract.ts). */
import * as z from 'zod';
import { RunCountsV1 } from '../../../shared/contracts/matching-events';
import { defineRoute } from '../../../shared/http/contract';
import { ResourceIdSchema } from '../domain/pods/model';
import { PodViewSchema } from '../domain/pods/visibility';
import { MatchResultSchema } from './match-result';
import { ListPeopleQuerySchema, PersonPathSchema } from './people';

const staff = ['admin', 'life-coach'] as const;
const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;

const DomainSchema = z.string().trim().min(1).max(64);

export const RunRequestSchema = z
  .strictObject({
    mode: z.enum(['dry-run', 'commit']),
    /** Match only these domains (plus any a current pairing links them to); everyone when absent. */
    domains: z
      .array(DomainSchema)
      .min(1)
      .max(100)
      .refine((domains) => new Set(domains).size === domains.length, 'must not repeat a domain')
      .optional(),
    /** With `commit`: apply exactly this stored dry run. */
    runId: ResourceIdSchema.optional(),
  })
  .superRefine((body, context) => {
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
  });

export const RunPathSchema = z.strictObject({ runId: ResourceIdSchema });
export const PodPathSchema = z.strictObject({ podId: ResourceIdSchema });
export const RequestPathSchema = z.strictObject({ requestId: ResourceIdSchema });

export const ListPodsQuerySchema = ListPeopleQuerySchema;

export const ReassignmentRequestBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
  /** Required when the pod's mentor asks; a mentee asks for themselves. */
  menteeId: ResourceIdSchema.optional(),
});

export const DecisionBodySchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    note: z.string().trim().min(1).max(2000).optional(),
    /** With `approve`: the mentor to move the mentee to (else the best mentor with room, or the next run). */
    newMentorId: ResourceIdSchema.optional(),
  })
  .superRefine((body, context) => {
    if (body.newMentorId && body.decision !== 'approve') {
      context.addIssue({ code: 'custom', path: ['newMentorId'], message: 'is only allowed with decision "approve"' });
    }
  });

export const ListRequestsQuerySchema = z.strictObject({
  status: z
    .enum(['open', 'approved', 'rejected'])
    .optional()
    .describe(
      'Staff: requests of this status (default open). Anyone else: their own requests, of any status unless given',
    ),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const AvailabilityBodySchema = z.strictObject({
  capacity: z.int().min(3).max(5),
  acceptingMentees: z.boolean(),
});

export const RunViewSchema = z.object({
  runId: z.string(),
  mode: z.enum(['dry-run', 'commit']),
  status: z.enum(['dry-run', 'committing', 'committed', 'aborted']),
  domains: z.array(z.string()).nullable(),
  scope: z.array(z.string()).nullable(),
  runDate: z.string(),
  createdAt: z.string(),
  requestedBy: z.string(),
  committedAt: z.string().optional(),
  abortedReason: z.string().optional(),
  podsBelowMinimum: z
    .array(z.object({ podId: z.string(), mentorId: z.string(), domain: z.string(), load: z.int(), minimum: z.int() }))
    .optional()
    .describe(
      'Pods under the minimum when the run read them: their locks were released so the run fills them or moves their mentees',
    ),
  basedOnGeneration: z.int(),
  counts: RunCountsV1,
  steps: z.object({ total: z.int(), applied: z.int().optional() }),
  result: MatchResultSchema,
});

export const PodPageSchema = z.object({ items: z.array(PodViewSchema), nextCursor: z.string().optional() });

export const ReassignmentRequestSchema = z.object({
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
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  note: z.string().optional(),
  outcome: z.object({ mentorId: z.string(), podId: z.string() }).nullable().optional(),
});

export const RequestPageSchema = z.object({
  items: z.array(ReassignmentRequestSchema),
  nextCursor: z.string().optional(),
});

export const DecisionResultSchema = z.object({
  request: ReassignmentRequestSchema,
  /** Where the mentee went on approval; null: nobody fits now (see notPlaced). */
  placed: z.object({ mentorId: z.string(), podId: z.string() }).nullable(),
  notPlaced: z
    .object({
      summary: z.string(),
      mentors: z.array(z.object({ mentorId: z.string(), rule: z.string(), detail: z.string() })),
    })
    .optional()
    .describe(
      'Approved but not placed: why each mentor of the domain could not take the mentee, and what happens next',
    ),
  podBelowMinimum: z
    .object({ podId: z.string(), mentorId: z.string(), load: z.int(), minimum: z.int(), note: z.string() })
    .optional()
    .describe('The pod the mentee left now holds fewer than the minimum, and what happens to it'),
});

export const AvailabilitySchema = z.object({
  personId: z.string(),
  capacity: z.int(),
  acceptingMentees: z.boolean(),
  currentLoad: z.int(),
  version: z.int().describe('The mentor’s directory version after this change'),
  note: z.string().optional(),
});

export const startMatchingRun = defineRoute({
  method: 'POST',
  path: '/matching/runs',
  summary:
    'Run the matching engine: a dry run (stored for review), a commit of a stored dry run (`runId`), or a run committed at once',
  auth: { roles: staff },
  body: { schema: RunRequestSchema },
  responses: {
    200: { description: 'The dry run was committed (or already was)', schema: RunViewSchema },
    201: { description: 'A new run (dry run, or committed at once)', schema: RunViewSchema },
  },
  problems: {
    404: 'No such run',
    409: 'People or pairings changed since the dry run, another commit holds the slot, or the run cannot be committed',
    422: 'The result is not proven optimal: it is not committed',
    503: 'The commit was interrupted; commit the same run again to finish it',
  },
});

export const getMatchingRun = defineRoute({
  method: 'GET',
  path: '/matching/runs/{runId}',
  summary: 'Read a matching run: its status, counts and the engine’s full result',
  auth: { roles: staff },
  params: RunPathSchema,
  responses: { 200: { description: 'The run', schema: RunViewSchema } },
  problems: { 404: 'No such run' },
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
  getMatchingRun,
  listPods,
  getPod,
  requestReassignment,
  listReassignmentRequests,
  getReassignmentRequest,
  decideReassignment,
  setMentorAvailability,
] as const;
