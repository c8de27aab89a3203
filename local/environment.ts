/**
 * Names and identities of the local platform: the one place where "what AWS would call it"
 * is decided for the local runtime. Everything else derives from the service declarations.
 */
import {
  type FunctionDeclaration,
  functionEnvironment,
  functionKey,
  type ServiceDeclaration,
} from '../shared/declaration';
import { oneTimeScheduleGroupOf } from '../shared/one-time-schedules';

export const LOCAL_REGION = 'eu-west-1';
/** The account id AWS's own local tools use; it appears in ARNs and in the bus events. */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_EVENT_BUS_NAME = 'mentoring-platform';
export const LOCAL_SENDER_EMAIL = 'mentoring@example.com';
export const LOCAL_SES_CONFIGURATION_SET = 'mentoring-local';
/** Any value is accepted by the local servers, but the SDK refuses to sign without one. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
/** The roles Scheduler and EventBridge would assume (named in requests, checked by nobody locally). */
export const LOCAL_SCHEDULER_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/mentoring-scheduler-local`;
export const LOCAL_WEBHOOK_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/mentoring-webhooks-local`;

/** `mentoring-matching`; tests pass another prefix so parallel platforms never share a table. */
export const tableNameOf = (service: Pick<ServiceDeclaration, 'name'>, prefix = 'mentoring'): string =>
  `${prefix}-${service.name}`;

/** The local id of a declared secret (in AWS it would be the secret's ARN). */
export const localSecretIdOf = (service: Pick<ServiceDeclaration, 'name'>, secretName: string): string =>
  `mentoring/${service.name}/${secretName}`;

/** Endpoints of the local servers, handed to every function through the SDK's own variables. */
export interface LocalEndpoints {
  dynamodb: string;
  eventbridge: string;
  ses: string;
  /** The local Scheduler API (one-time schedules created at run time). */
  scheduler?: string;
  /** The local Secrets Manager endpoint (local/secrets.ts), for services that declare secrets. */
  secretsManager?: string;
  /** The HTTP API's URL: the links in emails point there. */
  api?: string;
}

export interface LocalFunction {
  /** `matching-people-api` (see `functionKey`). */
  key: string;
  service: ServiceDeclaration;
  declaration: FunctionDeclaration;
}

/** Every declared function, in declaration order. */
export const localFunctionsOf = (services: readonly ServiceDeclaration[]): LocalFunction[] =>
  services.flatMap((service) =>
    service.functions.map((declaration) => ({ key: functionKey(service, declaration), service, declaration })),
  );

/** What one function's environment holds, from its declaration (the mapping the CDK stack uses too). */
export const declaredEnvironmentOf = (
  fn: LocalFunction,
  tablePrefix = 'mentoring',
  publicApiUrl?: string,
): Record<string, string> =>
  functionEnvironment(fn.service, fn.declaration, {
    eventBusName: LOCAL_EVENT_BUS_NAME,
    ...(fn.service.table ? { tableName: tableNameOf(fn.service, tablePrefix) } : {}),
    senderEmail: LOCAL_SENDER_EMAIL,
    sesConfigurationSet: LOCAL_SES_CONFIGURATION_SET,
    oneTimeSchedules: {
      groupName: oneTimeScheduleGroupOf(fn.service),
      roleArn: LOCAL_SCHEDULER_ROLE_ARN,
      functionArn: (name) => functionArnOf(`${fn.service.name}-${name}`),
    },
    apiDestinations: { roleArn: LOCAL_WEBHOOK_ROLE_ARN },
    ...(publicApiUrl ? { publicApiUrl } : {}),
    secretIds: Object.fromEntries(
      fn.service.secrets.map((secret) => [secret.name, localSecretIdOf(fn.service, secret.name)]),
    ),
  });

/**
 * The variables Lambda itself sets, plus the SDK's service-specific endpoint variables
 * (`AWS_ENDPOINT_URL_<SERVICE>`), which SDK v3 reads on its own: handler code needs no
 * local special case. `AWS_EXECUTION_ENV` is left unset on purpose, so Powertools Tracer
 * stays off (there is no X-Ray daemon here).
 */
export const runtimeEnvironmentOf = (
  fn: LocalFunction,
  endpoints: LocalEndpoints,
  tablePrefix = 'mentoring',
): Record<string, string> => ({
  ...declaredEnvironmentOf(fn, tablePrefix, endpoints.api),
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_LAMBDA_FUNCTION_NAME: fn.key,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.declaration.memoryMb),
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
  AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
  ...(endpoints.scheduler ? { AWS_ENDPOINT_URL_SCHEDULER: endpoints.scheduler } : {}),
  AWS_ENDPOINT_URL_SES: endpoints.ses,
  ...(endpoints.secretsManager ? { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager } : {}),
  // There is no CloudWatch here: the metrics' EMF lines would only clutter the console.
  POWERTOOLS_METRICS_DISABLED: 'true',
});

export const functionArnOf = (key: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${key}`;
