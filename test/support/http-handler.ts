/**
 * Calls a route-serving handler (`serveRoutes`) the way API Gateway would, and holds every
 * answer against the contract of the route it reached (test/support/contract-conformance.ts).
 */

import type { RouteContract } from '../../shared/http/contract';
import { routeKeyOf } from '../../shared/http/contract';
import type { HttpResult } from '../../shared/http/middleware';
import { type HttpEventInput, httpEvent, lambdaContext } from '../builders/http-event';
import { assertConformsToContract, contractCoverage } from './contract-conformance';

export interface RouteServingHandler {
  (event: ReturnType<typeof httpEvent>, context: ReturnType<typeof lambdaContext>): Promise<HttpResult>;
  served: readonly RouteContract[];
}

export interface HandlerAnswer extends HttpResult {
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field
  json: any;
}

/**
 * `coverage` is shared by the handlers a test file builds (often one per test), so the file
 * can check at the end that every status its routes document was answered.
 */
export const handlerCaller = (handler: RouteServingHandler, coverage = contractCoverage(handler.served)) => {
  const call = async (input: HttpEventInput): Promise<HandlerAnswer> => {
    const contract = handler.served.find((route) => routeKeyOf(route) === input.routeKey);
    if (!contract) throw new Error(`The handler serves no route ${input.routeKey}`);
    const response = await handler(httpEvent(input), lambdaContext());
    const contentType = response.headers?.['content-type'] as string | undefined;
    assertConformsToContract(contract, { status: response.statusCode, contentType, body: response.body });
    coverage.record(contract, response.statusCode);
    return {
      ...response,
      json: response.body && contentType?.includes('json') ? JSON.parse(response.body) : undefined,
    };
  };
  return { call, coverage };
};
