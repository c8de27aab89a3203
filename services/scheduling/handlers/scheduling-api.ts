import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { observability } from '../../../shared/observability';
import { loadSchedulingDependencies } from '../adapters/dependencies';
import { loadEmail } from '../adapters/email-wiring';
import { createSchedulingApiHandler } from './scheduling-api-handler';

const deps = loadSchedulingDependencies({ email: loadEmail() });
let context: Context | undefined;

/** The current invocation's remaining time, so a long plan confirmation answers before the API's 29 s. */
const timeLeftMs = () => context?.getRemainingTimeInMillis() ?? 25_000;
const routes = createSchedulingApiHandler(deps, timeLeftMs);

export const handler = middy(async (event: Parameters<typeof routes>[0], invocation: Context) => {
  context = invocation;
  return routes(event, invocation);
}).use(observability);
