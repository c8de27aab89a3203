/**
 * One declaration per service: the CDK constructs (infra/) and the local runtime (local/)
 * are both built from it, so nothing is wired twice by hand.
 */
import type { z } from 'zod';
import type { Role } from './auth/roles';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/** An EventBridge event pattern, as EventBridge reads it. */
export type EventPattern = Record<string, unknown>;

/** What a function may touch. Least privilege in AWS is derived from this. */
export interface FunctionAccess {
  /** The service's own table: read-only, or read and write (including transactions). */
  table?: 'read' | 'read-write';
  /** PutEvents on the platform bus (only the outbox relay publishes directly). */
  publishEvents?: boolean;
  /** ses:SendRawEmail from the configured sender identity. */
  sendEmail?: boolean;
}

/** How a function is started, besides routes, subscriptions and schedules that name it. */
export type FunctionTrigger =
  | { kind: 'invoked' }
  /** The table's stream, filtered to new outbox records: the outbox relay. */
  | { kind: 'outbox-stream' };

export interface FunctionDeclaration {
  /** Logical name, unique in the service, kebab-case: `people-api`. */
  name: string;
  /** Entry file relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  trigger?: FunctionTrigger;
  access: FunctionAccess;
}

export interface RouteDocumentation {
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Non-JSON request bodies (e.g. text/csv) name their media type here. */
  bodyMediaType?: string;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export interface RouteDeclaration {
  method: HttpMethod;
  /** API Gateway path template: `/people/{personId}`. */
  path: string;
  function: string;
  /** Groups allowed through; `public` means no token is needed (health, OpenAPI). */
  auth: { roles: readonly Role[] } | 'public';
  docs: RouteDocumentation;
}

export interface SubscriptionDeclaration {
  /** Rule name, unique in the service. */
  name: string;
  function: string;
  pattern: EventPattern;
  description: string;
}

export interface ScheduleDeclaration {
  name: string;
  function: string;
  /** EventBridge Scheduler expression: `cron(0 7 * * ? *)` or `rate(15 minutes)`. */
  expression: string;
  timezone?: string;
  description: string;
}

export interface TableDeclaration {
  partitionKey: 'pk';
  sortKey: 'sk';
  globalIndexes: readonly { name: string; partitionKey: string; sortKey: string }[];
  /** Epoch-seconds attribute after which DynamoDB deletes the item. */
  timeToLiveAttribute: string;
}

export interface ServiceDeclaration {
  /** Short name: `matching`. Its events have the source `mentoring.<name>`. */
  name: string;
  description: string;
  table?: TableDeclaration;
  functions: readonly FunctionDeclaration[];
  routes: readonly RouteDeclaration[];
  subscriptions: readonly SubscriptionDeclaration[];
  schedules: readonly ScheduleDeclaration[];
}

/** The single-table layout every service table uses (keys are built in each service's adapter). */
export const standardTable: TableDeclaration = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  timeToLiveAttribute: 'expiresAt',
};

export const eventSourceOf = (service: Pick<ServiceDeclaration, 'name'>): string => `mentoring.${service.name}`;

/** Physical-name-free identity of a function, used by CDK ids and the local runtime. */
export const functionKey = (service: ServiceDeclaration, fn: FunctionDeclaration): string =>
  `${service.name}-${fn.name}`;

/** The environment every function gets; CDK sets it in AWS, the local runtime sets it in a worker. */
export interface FunctionEnvironmentInput {
  tableName?: string;
  eventBusName: string;
  serviceName: string;
  sesConfigurationSet?: string;
  senderEmail?: string;
}

export const functionEnvironment = (input: FunctionEnvironmentInput): Record<string, string> => {
  const env: Record<string, string> = {
    SERVICE_NAME: input.serviceName,
    EVENT_BUS_NAME: input.eventBusName,
    POWERTOOLS_SERVICE_NAME: input.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: 'MentoringPlatform',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  if (input.tableName) env.TABLE_NAME = input.tableName;
  if (input.sesConfigurationSet) env.SES_CONFIGURATION_SET = input.sesConfigurationSet;
  if (input.senderEmail) env.SENDER_EMAIL = input.senderEmail;
  return env;
};
