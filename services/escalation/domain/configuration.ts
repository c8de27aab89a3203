/** Admin use cases: departments (with their tracker webhook) and the versioned routing settings. */
import type { Principal } from '../../../shared/auth/principal';
import type { Page } from '../../../shared/pagination';
import { retry } from '../../../shared/retry';
import {
  type Department,
  type DepartmentInput,
  defaultLifeCoachDepartment,
  LIFE_COACH_DEPARTMENT,
  webhookViewOf,
} from './departments';
import {
  DepartmentNotFoundError,
  NotEntitledError,
  StaleVersionError,
  UnknownDepartmentsError,
  WebhookCredentialsRequiredError,
  WebhookSetupFailedError,
} from './escalations/errors';
import type { ConfigurationRepository, PageQuery, WebhookDeliveries } from './ports';
import {
  type Category,
  departmentsNamedBy,
  type RoutingDecision,
  type RoutingSettings,
  type RoutingSettingsInput,
  routeEscalation,
} from './routing';

export interface ConfigurationDependencies {
  configuration: ConfigurationRepository;
  webhooks: WebhookDeliveries;
  clock: () => Date;
}

/**
 * Creates or replaces a department. Its webhook delivery is set up (or removed) first, with the
 * credentials, which are never stored here; then the department is written. Both are
 * idempotent, so a failure between them is mended by sending the same PUT again.
 */
export const putDepartment = (
  deps: ConfigurationDependencies,
  departmentId: string,
  input: DepartmentInput,
): Promise<{ department: Department; created: boolean }> =>
  retry(
    async () => {
      const existing = await deps.configuration.department(departmentId);
      const previousWebhook = existing?.webhook ?? null;
      if (input.webhook && !input.webhook.auth && !previousWebhook) {
        throw new WebhookCredentialsRequiredError(
          'The department has no webhook yet: give its credentials (auth) with the URL.',
        );
      }
      if (input.webhook || previousWebhook) {
        try {
          await deps.webhooks.configure(departmentId, input.webhook);
        } catch (error) {
          throw new WebhookSetupFailedError(
            `The delivery to the department's webhook could not be set up (${(error as Error).message}); the department was not changed: send the same request again.`,
            { cause: error },
          );
        }
      }
      const now = deps.clock().toISOString();
      const { webhook, ...rest } = input;
      const department: Department = {
        ...rest,
        departmentId,
        webhook: webhook ? webhookViewOf(webhook, previousWebhook) : null,
        version: (existing?.version ?? 0) + 1,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await deps.configuration.putDepartment(department, existing?.version ?? null);
      return { department, created: !existing };
    },
    { attempts: 3, retryable: (error) => error instanceof StaleVersionError },
  );

/** Admin and life coach read any department; a department's machine client reads its own. */
export const getDepartment = async (
  deps: Pick<ConfigurationDependencies, 'configuration' | 'clock'>,
  principal: Principal,
  departmentId: string,
): Promise<Department> => {
  const staff = principal.roles.has('admin') || principal.roles.has('life-coach');
  const own = principal.roles.has('department') && principal.departmentId === departmentId;
  if (!staff && !own) throw new NotEntitledError(`Only admins, the life coach and department ${departmentId} read it.`);
  const found = await deps.configuration.department(departmentId);
  if (found) return found;
  if (departmentId === LIFE_COACH_DEPARTMENT) return defaultLifeCoachDepartment(deps.clock());
  throw new DepartmentNotFoundError(departmentId);
};

export const listDepartments = (
  deps: Pick<ConfigurationDependencies, 'configuration'>,
  query: PageQuery,
): Promise<Page<Department>> => deps.configuration.listDepartments(query);

/** The departments named in routing settings that do not exist (the life coach always does). */
const unknownDepartments = async (
  deps: Pick<ConfigurationDependencies, 'configuration'>,
  settings: Pick<RoutingSettings, 'rules' | 'fallbackDepartmentId'>,
) => {
  const named = departmentsNamedBy(settings).filter((id) => id !== LIFE_COACH_DEPARTMENT);
  const existing = await deps.configuration.existingDepartments(named);
  return [
    ...(existing.has(settings.fallbackDepartmentId) || settings.fallbackDepartmentId === LIFE_COACH_DEPARTMENT
      ? []
      : [{ location: 'body.fallbackDepartmentId', departmentId: settings.fallbackDepartmentId }]),
    ...settings.rules.flatMap((rule, index) =>
      existing.has(rule.departmentId) || rule.departmentId === LIFE_COACH_DEPARTMENT
        ? []
        : [{ location: `body.rules.${index}.departmentId`, departmentId: rule.departmentId }],
    ),
  ];
};

/** Stores the next version of the routing settings, if based on the current one and naming only known departments. */
export const putRoutingSettings = async (
  deps: Pick<ConfigurationDependencies, 'configuration' | 'clock'>,
  principal: Principal,
  input: RoutingSettingsInput,
): Promise<RoutingSettings> => {
  const current = await deps.configuration.routingSettings();
  if (input.basedOnVersion !== current.version) {
    throw new StaleVersionError(
      `The routing settings are at version ${current.version}, not ${input.basedOnVersion}: read them again and redo the change.`,
    );
  }
  const unknown = await unknownDepartments(deps, input);
  if (unknown.length > 0) throw new UnknownDepartmentsError(unknown);
  const next: RoutingSettings = {
    version: current.version + 1,
    rules: input.rules,
    fallbackDepartmentId: input.fallbackDepartmentId,
    improvementSignals: input.improvementSignals,
    qualityCircles: input.qualityCircles,
    updatedAt: deps.clock().toISOString(),
    updatedBy: principal.personId,
  };
  await deps.configuration.putRoutingSettings(next);
  return next;
};

export interface RoutingTest {
  category: Category;
  tags: string[];
  /** Rules to try instead of the stored ones ("where would this go if I saved these?"). */
  draft?: Pick<RoutingSettings, 'rules' | 'fallbackDepartmentId'> | undefined;
}

/** Where an escalation would go, with the stored rules or a draft; nothing is stored. */
export const testRouting = async (
  deps: Pick<ConfigurationDependencies, 'configuration' | 'clock'>,
  test: RoutingTest,
): Promise<RoutingDecision & { draft: boolean; departmentName: string }> => {
  const current = await deps.configuration.routingSettings();
  if (test.draft) {
    const unknown = await unknownDepartments(deps, test.draft);
    if (unknown.length > 0) {
      throw new UnknownDepartmentsError(
        unknown.map((item) => ({ ...item, location: item.location.replace('body.', 'body.draft.') })),
      );
    }
  }
  const decision = routeEscalation(test.draft ? { ...test.draft, version: current.version } : current, test);
  const department =
    (await deps.configuration.department(decision.departmentId)) ??
    (decision.departmentId === LIFE_COACH_DEPARTMENT ? defaultLifeCoachDepartment(deps.clock()) : undefined);
  return { ...decision, draft: Boolean(test.draft), departmentName: department?.name ?? decision.departmentId };
};
