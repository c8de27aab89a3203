/** Departments and routing rules: the admin's routes, one contract each (shared/http/contract.ts). */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { DepartmentIdSchema, DepartmentInputSchema, DepartmentSchema } from '../domain/departments';
import {
  CategorySchema,
  RoutingRuleSchema,
  RoutingSettingsInputSchema,
  RoutingSettingsSchema,
  TagSchema,
} from '../domain/routing';
import { DepartmentPathSchema } from './paths';

const staff = ['admin', 'life-coach'] as const;

export const DepartmentPageSchema = lazySchema(() =>
  z.object({ items: z.array(DepartmentSchema()), nextCursor: z.optional(z.string()) }),
);

export const putDepartment = defineRoute({
  method: 'PUT',
  path: '/departments/{departmentId}',
  summary: 'Create or replace a department: lead, time zone, business hours, holidays, SLA targets, tracker webhook',
  description:
    'Business hours are shifts per weekday in local time; a shift ending before it starts runs past midnight. The webhook’s credentials are write-only: they are handed to the delivery’s connection and never stored or shown; left out, the delivery keeps the ones it has.',
  auth: { roles: ['admin'] },
  params: DepartmentPathSchema,
  body: { schema: DepartmentInputSchema, maxBytes: 64 * 1024 },
  responses: {
    200: { description: 'Replaced', schema: DepartmentSchema },
    201: { description: 'Created', schema: DepartmentSchema },
  },
  problems: {
    409: 'The department kept being changed by someone else at the same time; retry',
    422: 'A new webhook needs its credentials (`auth`)',
    503: 'The webhook delivery could not be set up; the department was not changed: send the same request again',
  },
});

export const getDepartment = defineRoute({
  method: 'GET',
  path: '/departments/{departmentId}',
  summary: 'Read a department (admin, the life coach, or the department itself)',
  auth: { roles: ['admin', 'life-coach', 'department'] },
  params: DepartmentPathSchema,
  responses: { 200: { description: 'The department (never its webhook credentials)', schema: DepartmentSchema } },
  problems: { 404: 'No such department' },
});

export const listDepartments = defineRoute({
  method: 'GET',
  path: '/departments',
  summary: 'List the departments',
  auth: { roles: staff },
  query: () =>
    z.strictObject({
      limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
      cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    }),
  responses: { 200: { description: 'A page of departments, by id', schema: DepartmentPageSchema } },
});

export const getRoutingRules = defineRoute({
  method: 'GET',
  path: '/routing-rules',
  summary: 'The routing rules in force, with their version and the signal thresholds',
  auth: { roles: staff },
  responses: {
    200: {
      description: 'The current version (version 0: nothing stored, all to the life coach)',
      schema: RoutingSettingsSchema,
    },
  },
});

export const putRoutingRules = defineRoute({
  method: 'PUT',
  path: '/routing-rules',
  summary: 'Store the next version of the routing rules',
  description:
    'The most specific rule wins: a rule of the escalation’s category naming one of its tags, else the category’s rule without tags, else the fallback department. `personal` always stays with the life coach. `basedOnVersion` must be the version in force.',
  auth: { roles: ['admin'] },
  body: { schema: RoutingSettingsInputSchema, maxBytes: 128 * 1024 },
  responses: { 200: { description: 'The new version', schema: RoutingSettingsSchema } },
  problems: {
    409: 'The rules changed since `basedOnVersion`: read them again',
    422: 'A rule or the fallback names a department that does not exist (`errors` says where)',
  },
});

export const RoutingTestSchema = lazySchema(() =>
  z.strictObject({
    category: CategorySchema(),
    tags: z._default(z.array(TagSchema()).check(z.maxLength(10)), []),
    /** Rules to try instead of the stored ones. */
    draft: z.optional(
      z.strictObject({
        rules: z.array(RoutingRuleSchema()).check(z.maxLength(200)),
        fallbackDepartmentId: DepartmentIdSchema(),
      }),
    ),
  }),
);

export const RoutingTestResultSchema = lazySchema(() =>
  z.object({
    departmentId: z.string(),
    departmentName: z.string(),
    ruleId: z.nullable(z.string()),
    reason: z.string(),
    rulesVersion: z.int(),
    draft: z.boolean(),
  }),
);

export const testRoutingRules = defineRoute({
  method: 'POST',
  path: '/routing-rules/test',
  summary: 'Where would this go? The stored rules, or a draft, applied to a category and tags; nothing is stored',
  auth: { roles: ['admin'] },
  body: { schema: RoutingTestSchema, maxBytes: 128 * 1024 },
  responses: { 200: { description: 'The department and the rule that decided', schema: RoutingTestResultSchema } },
  problems: { 422: 'The draft names a department that does not exist (`errors` says where)' },
});

/** Every route of the configuration-api function. */
export const configurationRoutes = [
  putDepartment,
  getDepartment,
  listDepartments,
  getRoutingRules,
  putRoutingRules,
  testRoutingRules,
] as const;
