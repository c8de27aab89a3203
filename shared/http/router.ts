import type { Context } from 'aws-lambda';
import type { ServiceDeclaration } from '../declaration';
import { notFound } from './errors';
import type { HttpEvent } from './middleware';
import type { HttpResult } from './responses';

interface HandlerOptions {
  signal: AbortSignal;
}

/**
 * A route's own middy chain. Its event type is the validated one its middlewares produce
 * (hence `never` here: the dispatcher hands it the raw API Gateway event).
 */
export type RouteHandler = (event: never, context: Context, options: HandlerOptions) => Promise<HttpResult>;

/** The declared route with this key (`PUT /people/{personId}`); a typo fails at cold start. */
export const declaredRoute = (service: ServiceDeclaration, routeKey: string) => {
  const route = service.routes.find((candidate) => `${candidate.method} ${candidate.path}` === routeKey);
  if (!route) throw new Error(`${service.name} declares no route ${routeKey}`);
  return route;
};

/**
 * One Lambda may serve several routes; API Gateway tells which in `routeKey`. Each route
 * has its own middy chain, so its types and validation stay its own.
 */
export const dispatchByRouteKey =
  (routes: Record<string, RouteHandler>) =>
  async (event: HttpEvent, context: Context, options: HandlerOptions): Promise<HttpResult> => {
    const route = routes[event.routeKey];
    if (!route) {
      const problem = notFound(`No route ${event.routeKey}.`);
      return {
        statusCode: 404,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify(problem.toProblem(event.rawPath)),
      };
    }
    return route(event as never, context, options);
  };
