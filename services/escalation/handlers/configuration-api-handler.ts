import { routesAnswering, serveRoutes } from '../../../shared/http/route';
import {
  type ConfigurationDependencies,
  getDepartment,
  listDepartments,
  putDepartment,
  putRoutingSettings,
  testRouting,
} from '../domain/configuration';
import {
  getDepartment as getDepartmentRoute,
  getRoutingRules,
  listDepartments as listDepartmentsRoute,
  putDepartment as putDepartmentRoute,
  putRoutingRules,
  testRoutingRules,
} from '../routes/configuration';
import { escalationErrors } from './http-errors';

const route = routesAnswering(escalationErrors);

export const createConfigurationApiHandler = (deps: ConfigurationDependencies) =>
  serveRoutes(
    route(putDepartmentRoute).handle(async ({ params, body }) => {
      const { department, created } = await putDepartment(deps, params.departmentId, body);
      return created ? { status: 201, body: department } : { status: 200, body: department };
    }),

    route(getDepartmentRoute).handle(async ({ params, principal }) => ({
      status: 200,
      body: await getDepartment(deps, principal, params.departmentId),
    })),

    route(listDepartmentsRoute).handle(async ({ query }) => ({
      status: 200,
      body: await listDepartments(deps, query),
    })),

    route(getRoutingRules).handle(async () => ({ status: 200, body: await deps.configuration.routingSettings() })),

    route(putRoutingRules).handle(async ({ body, principal }) => ({
      status: 200,
      body: await putRoutingSettings(deps, principal, body),
    })),

    route(testRoutingRules).handle(async ({ body }) => ({ status: 200, body: await testRouting(deps, body) })),
  );
