/**
 * Routing rules, managed by admins and versioned: which department owns an escalation of a
 * category (and, more specifically, of a category with a tag), where the rest go, and the
 * thresholds of improvement signals and quality circles. `routeEscalation` is pure and is what
 * both routing and the dry run ("where would this go?") use.
 */

import { EscalationCategoryV1 } from '../../../shared/contracts/escalation-events';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { DepartmentIdSchema, LIFE_COACH_DEPARTMENT } from './departments';

export const CategorySchema = lazySchema(() => EscalationCategoryV1());
export type Category = z.infer<ReturnType<typeof CategorySchema>>;

/** Tags are lower-case words joined by `-`, `.` or `:` (`vpn`, `ci:flaky-tests`), so themes group reliably. */
export const TagSchema = lazySchema(() =>
  z
    .string()
    .check(
      z.trim(),
      z.toLowerCase(),
      z.regex(/^[a-z0-9][a-z0-9.:-]{0,47}$/, 'must be 1-48 characters: lower-case letters, digits, ".", ":" or "-"'),
    ),
);

const RuleIdSchema = lazySchema(() =>
  z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1-48 characters: a-z, 0-9 or "-"')),
);

export const RoutingRuleSchema = lazySchema(() =>
  z.strictObject({
    ruleId: RuleIdSchema(),
    category: CategorySchema().check(
      z.refine((category) => category !== 'personal', {
        message: 'personal matters always stay with the life coach: no rule may route them',
      }),
    ),
    /** The rule applies only to escalations with at least one of these tags. */
    tags: z.optional(z.array(TagSchema()).check(z.minLength(1), z.maxLength(20))),
    departmentId: DepartmentIdSchema(),
    description: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  }),
);
export type RoutingRule = z.infer<ReturnType<typeof RoutingRuleSchema>>;

export const SignalSettingsSchema = lazySchema(() =>
  z.strictObject({
    /** Distinct pods a theme must come from within the window. */
    minPods: z._default(z.int().check(z.minimum(2), z.maximum(1000)), 3),
    /** Distinct reporters behind it, so a signal never points at one or two people. */
    minReporters: z._default(z.int().check(z.minimum(3), z.maximum(1000)), 5),
    windowDays: z._default(z.int().check(z.minimum(1), z.maximum(365)), 30),
  }),
);

export const QualityCircleSettingsSchema = lazySchema(() =>
  z.strictObject({
    /** Pods whose mentees raised the same technical impediment tag within the window. */
    minPods: z._default(z.int().check(z.minimum(2), z.maximum(100)), 2),
    windowDays: z._default(z.int().check(z.minimum(1), z.maximum(365)), 30),
  }),
);

export const RoutingSettingsInputSchema = lazySchema(() =>
  z
    .strictObject({
      /** The version this change was based on (0 before the first): a stale one is refused (409). */
      basedOnVersion: z.int().check(z.minimum(0)),
      rules: z.array(RoutingRuleSchema()).check(z.maxLength(200)),
      /** Where escalations go that no rule matches. */
      fallbackDepartmentId: z._default(DepartmentIdSchema(), LIFE_COACH_DEPARTMENT),
      improvementSignals: z._default(SignalSettingsSchema(), { minPods: 3, minReporters: 5, windowDays: 30 }),
      qualityCircles: z._default(QualityCircleSettingsSchema(), { minPods: 2, windowDays: 30 }),
    })
    .check(
      z.superRefine((input, context) => {
        const seen = new Map<string, string>();
        input.rules.forEach((rule, index) => {
          const claims = rule.tags ? rule.tags.map((tag) => `${rule.category} with tag "${tag}"`) : [rule.category];
          for (const claim of claims) {
            const earlier = seen.get(claim);
            if (earlier) {
              context.addIssue({
                code: 'custom',
                path: ['rules', index],
                message: `rule ${rule.ruleId} can never apply: rule ${earlier} already routes ${claim}`,
              });
            }
            seen.set(claim, rule.ruleId);
          }
        });
        const ids = input.rules.map((rule) => rule.ruleId);
        ids.forEach((id, index) => {
          if (ids.indexOf(id) !== index) {
            context.addIssue({ code: 'custom', path: ['rules', index, 'ruleId'], message: `repeats rule id ${id}` });
          }
        });
      }),
    ),
);
export type RoutingSettingsInput = z.infer<ReturnType<typeof RoutingSettingsInputSchema>>;

export const RoutingSettingsSchema = lazySchema(() =>
  z.object({
    version: z.int().check(z.minimum(0)),
    rules: z.array(RoutingRuleSchema()),
    fallbackDepartmentId: DepartmentIdSchema(),
    improvementSignals: SignalSettingsSchema(),
    qualityCircles: QualityCircleSettingsSchema(),
    updatedAt: z.nullable(z.string()),
    updatedBy: z.nullable(z.string()),
  }),
);
export type RoutingSettings = z.infer<ReturnType<typeof RoutingSettingsSchema>>;

/** What applies before an admin stores anything: everything goes to the life coach. */
export const defaultRoutingSettings: RoutingSettings = {
  version: 0,
  rules: [],
  fallbackDepartmentId: LIFE_COACH_DEPARTMENT,
  improvementSignals: { minPods: 3, minReporters: 5, windowDays: 30 },
  qualityCircles: { minPods: 2, windowDays: 30 },
  updatedAt: null,
  updatedBy: null,
};

export interface RoutingDecision {
  departmentId: string;
  rulesVersion: number;
  ruleId: string | null;
  reason: string;
}

/**
 * Where an escalation goes. `personal` always stays with the life coach. Otherwise the most
 * specific rule wins: the first rule of its category that names one of its tags, else the rule
 * of its category without tags, else the fallback department.
 */
export const routeEscalation = (
  settings: Pick<RoutingSettings, 'version' | 'rules' | 'fallbackDepartmentId'>,
  escalation: { category: Category; tags: readonly string[] },
): RoutingDecision => {
  const decided = (departmentId: string, ruleId: string | null, reason: string): RoutingDecision => ({
    departmentId,
    rulesVersion: settings.version,
    ruleId,
    reason,
  });
  if (escalation.category === 'personal') {
    return decided(LIFE_COACH_DEPARTMENT, null, 'personal matters always stay with the life coach');
  }
  const ofCategory = settings.rules.filter((rule) => rule.category === escalation.category);
  for (const rule of ofCategory) {
    const tag = rule.tags?.find((candidate) => escalation.tags.includes(candidate));
    if (tag)
      return decided(
        rule.departmentId,
        rule.ruleId,
        `rule ${rule.ruleId}: category ${rule.category} with tag "${tag}"`,
      );
  }
  const general = ofCategory.find((rule) => !rule.tags);
  if (general)
    return decided(general.departmentId, general.ruleId, `rule ${general.ruleId}: category ${general.category}`);
  return decided(
    settings.fallbackDepartmentId,
    null,
    `no rule routes category ${escalation.category}${escalation.tags.length ? ` with tags ${escalation.tags.join(', ')}` : ''}: the fallback department`,
  );
};

/** Every department the settings route to, so storing them can check each exists. */
export const departmentsNamedBy = (settings: Pick<RoutingSettings, 'rules' | 'fallbackDepartmentId'>): string[] => [
  ...new Set([settings.fallbackDepartmentId, ...settings.rules.map((rule) => rule.departmentId)]),
];
