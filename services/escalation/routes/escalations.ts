/** The escalations' HTTP routes: one contract each (shared/http/contract.ts). */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { RaiseInputSchema, ResourceIdSchema, SlaStateSchema, StatusSchema } from '../domain/escalations/model';
import { CommentViewSchema, EscalationViewSchema } from '../domain/escalations/visibility';
import { DepartmentPathSchema } from './paths';

/** People in the programme (not department machine clients). */
const people = ['employee', 'mentor', 'life-coach', 'admin'] as const;
/** Who may ask about one escalation; what they get depends on who they are to it. */
const anyone = ['employee', 'mentor', 'life-coach', 'admin', 'department'] as const;
/** Who works escalations: departments, and the life coach on the life coach's own. */
const workers = ['department', 'life-coach'] as const;

const MAX_TEXT = 5000;
const CommentTextSchema = lazySchema(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_TEXT)));
const PageQuery = lazySchema(() => ({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
}));

export const EscalationPathSchema = lazySchema(() => z.strictObject({ escalationId: ResourceIdSchema() }));

export const EscalationPageSchema = lazySchema(() =>
  z.object({
    items: z.array(EscalationViewSchema()),
    nextCursor: z.optional(z.string()),
  }),
);

export const CommentResultSchema = lazySchema(() =>
  z.object({ comment: CommentViewSchema(), escalation: EscalationViewSchema() }),
);

const notYours = 'No such escalation, or not one the caller may see (alike, so nothing is revealed)';

export const raiseEscalation = defineRoute({
  method: 'POST',
  path: '/escalations',
  summary: 'Raise an escalation: it is routed to the department that owns it at once',
  description:
    'The pod it came from is the caller’s pod in the directory, never taken from the request. Confidential: the department sees neither who raised it nor their pod (nor do the events and the webhook).',
  auth: { roles: people },
  body: { schema: RaiseInputSchema, maxBytes: 64 * 1024 },
  responses: { 201: { description: 'Raised and routed; as the reporter sees it', schema: EscalationViewSchema } },
});

export const getEscalation = defineRoute({
  method: 'GET',
  path: '/escalations/{escalationId}',
  summary: 'Read one escalation with its comments (the reporter, its department with redaction, the life coach)',
  auth: { roles: anyone },
  params: EscalationPathSchema,
  responses: { 200: { description: 'The escalation as the caller may see it', schema: EscalationViewSchema } },
  problems: { 404: notYours },
});

export const listEscalations = defineRoute({
  method: 'GET',
  path: '/escalations',
  summary: 'Every escalation, by status and SLA state (the life coach)',
  auth: { roles: ['life-coach'] },
  query: () =>
    z.strictObject({ status: z.optional(StatusSchema()), slaState: z.optional(SlaStateSchema()), ...PageQuery() }),
  responses: {
    200: { description: 'A page of escalations, by status, then SLA state, then age', schema: EscalationPageSchema },
  },
});

export const listOwnEscalations = defineRoute({
  method: 'GET',
  path: '/me/escalations',
  summary: 'The escalations the caller raised',
  auth: { roles: people },
  query: () => z.strictObject(PageQuery()),
  responses: { 200: { description: 'A page of the caller’s escalations, oldest first', schema: EscalationPageSchema } },
});

export const listDepartmentEscalations = defineRoute({
  method: 'GET',
  path: '/departments/{departmentId}/escalations',
  summary: 'A department’s queue (that department, or the life coach)',
  auth: { roles: workers },
  params: DepartmentPathSchema,
  query: () => z.strictObject({ status: z.optional(StatusSchema()), ...PageQuery() }),
  responses: { 200: { description: 'A page of the queue, by status, then age', schema: EscalationPageSchema } },
});

export const acknowledgeEscalation = defineRoute({
  method: 'POST',
  path: '/escalations/{escalationId}/acknowledge',
  summary: 'Acknowledge an escalation: its first-response timer stops (the owning department)',
  auth: { roles: workers },
  params: EscalationPathSchema,
  responses: { 200: { description: 'Acknowledged', schema: EscalationViewSchema } },
  problems: {
    403: 'The caller sees the escalation but does not own it',
    404: notYours,
    409: 'The escalation is not open: `detail` names what is allowed from where it is',
  },
});

export const StatusChangeSchema = lazySchema(() =>
  z.strictObject({
    status: z.enum(['in-progress', 'waiting-on-reporter', 'resolved']),
    /** What the reporter reads: the question, the progress, the resolution. */
    comment: CommentTextSchema(),
  }),
);

export const changeEscalationStatus = defineRoute({
  method: 'POST',
  path: '/escalations/{escalationId}/status',
  summary: 'Move an escalation on, with a comment for the reporter (the owning department)',
  description:
    '`waiting-on-reporter` pauses the resolution timer until the reporter answers (a comment) or the department moves it to `in-progress`; `resolved` stops it.',
  auth: { roles: workers },
  params: EscalationPathSchema,
  body: { schema: StatusChangeSchema, maxBytes: 32 * 1024 },
  responses: { 200: { description: 'Moved', schema: EscalationViewSchema } },
  problems: {
    403: 'The caller sees the escalation but does not own it',
    404: notYours,
    409: 'The status cannot move there from where it is: `detail` names what is allowed',
  },
});

export const commentOnEscalation = defineRoute({
  method: 'POST',
  path: '/escalations/{escalationId}/comments',
  summary: 'Comment (the reporter, the department, the life coach); the reporter’s answer resumes a paused timer',
  auth: { roles: anyone },
  params: EscalationPathSchema,
  body: { schema: () => z.strictObject({ body: CommentTextSchema() }), maxBytes: 32 * 1024 },
  responses: { 201: { description: 'The comment, and the escalation as it is now', schema: CommentResultSchema } },
  problems: { 404: notYours, 409: 'The escalation was withdrawn' },
});

const OptionalCommentSchema = lazySchema(() => z.strictObject({ comment: z.optional(CommentTextSchema()) }));

export const reopenEscalation = defineRoute({
  method: 'POST',
  path: '/escalations/{escalationId}/reopen',
  summary: 'Reopen a resolved escalation: a new resolution cycle starts (the reporter)',
  auth: { roles: people },
  params: EscalationPathSchema,
  body: { schema: OptionalCommentSchema, maxBytes: 32 * 1024 },
  responses: { 200: { description: 'Reopened', schema: EscalationViewSchema } },
  problems: {
    403: 'Only the reporter reopens',
    404: notYours,
    409: 'The escalation is not resolved: `detail` names what is allowed',
  },
});

export const withdrawEscalation = defineRoute({
  method: 'POST',
  path: '/escalations/{escalationId}/withdraw',
  summary: 'Withdraw an escalation: its timers are cancelled (the reporter)',
  auth: { roles: people },
  params: EscalationPathSchema,
  body: { schema: OptionalCommentSchema, maxBytes: 32 * 1024 },
  responses: { 200: { description: 'Withdrawn', schema: EscalationViewSchema } },
  problems: {
    403: 'Only the reporter withdraws',
    404: notYours,
    409: 'The escalation is resolved or withdrawn already: `detail` names what is allowed',
  },
});

/** Every route of the escalation-api function. */
export const escalationRoutes = [
  raiseEscalation,
  getEscalation,
  listEscalations,
  listOwnEscalations,
  listDepartmentEscalations,
  acknowledgeEscalation,
  changeEscalationStatus,
  commentOnEscalation,
  reopenEscalation,
  withdrawEscalation,
] as const;
