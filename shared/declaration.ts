/**
 * One declaration per service: the CDK constructs (infra/) and the local runtime (local/)
 * are both built from it, so nothing is wired twice by hand.
 */
import type { RouteContract } from './http/contract';

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
  /**
   * Create, list and delete EventBridge Scheduler one-time schedules (`at(...)`) in the service's
   * schedule group, each invoking the declared `target` function (shared/one-time-schedules.ts).
   */
  oneTimeSchedules?: { target: string };
  /**
   * Create, update and delete EventBridge connections, API destinations and rules named
   * `<service>-webhook-*` on the platform bus (shared/api-destinations.ts).
   */
  apiDestinations?: boolean;
  /** The service's declared secrets this function reads (by name), e.g. a key that signs links. */
  secrets?: readonly string[];
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
  /** The HTTP routes this function serves (its handler serves exactly these). */
  routes?: readonly RouteContract[];
  /**
   * Packages the function loads on demand (`await import(...)`) that ship beside its bundle rather
   * than inside it: names from `PACKAGES_BESIDE_BUNDLE` in `infra/bundling.ts`.
   */
  packagesBesideBundle?: readonly string[];
}

/** A route contract bound to the function that serves it. */
export interface RouteDeclaration extends RouteContract {
  function: string;
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

/**
 * A per-deployment setting of a service (the anonymity threshold, say): every function of the
 * service gets it as an environment variable, read once at cold start. CDK makes it a stack
 * parameter (`<Service><Name>`: `PulseAnonymityThreshold`); the local runtime uses the default.
 */
export interface SettingDeclaration {
  /** The environment variable: `ANONYMITY_THRESHOLD`. */
  name: string;
  description: string;
  default: string;
  /** A whole number in this range (CloudFormation refuses anything else at deployment). */
  integerRange?: { min: number; max: number };
}

/**
 * A secret the platform generates for a service and keeps out of the environment: in AWS a
 * Secrets Manager secret with a generated value, locally a value generated into the data folder
 * and served by the local Secrets Manager endpoint. Functions that list it in `access.secrets`
 * get its id in `<NAME>_SECRET_ID` and read the value once at cold start.
 */
export interface SecretDeclaration {
  /** kebab-case, unique in the service: `link-signing-key`. */
  name: string;
  description: string;
}

export interface ServiceDeclaration {
  /** Short name: `matching`. Its events have the source `mentoring.<name>`. */
  name: string;
  description: string;
  table?: TableDeclaration;
  settings: readonly SettingDeclaration[];
  secrets: readonly SecretDeclaration[];
  /** Every function, the outbox relay of a service with a table included. */
  functions: readonly FunctionDeclaration[];
  /** Every route of every function (derived from `functions`). */
  routes: readonly RouteDeclaration[];
  subscriptions: readonly SubscriptionDeclaration[];
  schedules: readonly ScheduleDeclaration[];
}

/** What a service writes; `defineService` derives the rest. */
export interface ServiceDefinition {
  name: string;
  description: string;
  table?: TableDeclaration;
  settings?: readonly SettingDeclaration[];
  secrets?: readonly SecretDeclaration[];
  functions: readonly FunctionDeclaration[];
  subscriptions?: readonly SubscriptionDeclaration[];
  schedules?: readonly ScheduleDeclaration[];
}

/**
 * The relay every service with a table gets: its stream's new outbox records go to the bus
 * (shared/events/outbox-relay-handler.ts). A service declares its own only to replace it.
 */
export const outboxRelayFunction: FunctionDeclaration = {
  name: 'outbox-relay',
  entry: 'shared/events/outbox-relay-handler.ts',
  description: 'Relays outbox records from the table stream to the event bus.',
  memoryMb: 256,
  timeoutSeconds: 60,
  trigger: { kind: 'outbox-stream' },
  access: { publishEvents: true },
};

/**
 * A service's declaration from what it writes: with a table it gets the outbox relay, and its
 * routes are those of its functions. Names must be unique, so a typo fails at import, not in
 * a deployment.
 */
export const defineService = (definition: ServiceDefinition): ServiceDeclaration => {
  const hasRelay = definition.functions.some((fn) => fn.trigger?.kind === 'outbox-stream');
  const functions =
    definition.table && !hasRelay ? [...definition.functions, outboxRelayFunction] : [...definition.functions];
  const names = new Set<string>();
  for (const fn of functions) {
    if (names.has(fn.name)) throw new Error(`${definition.name} declares the function "${fn.name}" twice`);
    names.add(fn.name);
  }
  const routes = functions.flatMap((fn) => (fn.routes ?? []).map((route) => ({ ...route, function: fn.name })));
  const keys = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (keys.has(key)) throw new Error(`${definition.name} declares the route ${key} twice`);
    keys.add(key);
  }
  const secretNames = new Set((definition.secrets ?? []).map((secret) => secret.name));
  for (const fn of functions) {
    for (const secret of fn.access.secrets ?? []) {
      if (!secretNames.has(secret))
        throw new Error(`${definition.name}/${fn.name} reads the undeclared secret "${secret}"`);
    }
  }
  for (const named of [...(definition.subscriptions ?? []), ...(definition.schedules ?? [])]) {
    if (!names.has(named.function)) {
      throw new Error(`${definition.name}: ${named.name} names the undeclared function "${named.function}"`);
    }
  }
  for (const fn of functions) {
    const target = fn.access.oneTimeSchedules?.target;
    if (target !== undefined && !names.has(target)) {
      throw new Error(`${definition.name}: ${fn.name} schedules the undeclared function "${target}"`);
    }
  }
  return {
    name: definition.name,
    description: definition.description,
    ...(definition.table ? { table: definition.table } : {}),
    settings: definition.settings ?? [],
    secrets: definition.secrets ?? [],
    functions,
    routes,
    subscriptions: definition.subscriptions ?? [],
    schedules: definition.schedules ?? [],
  };
};

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

/** Where a deployment (CDK) or the local runtime put the shared resources a function may use. */
export interface PlatformResources {
  eventBusName: string;
  /** The service's table, when it has one. */
  tableName?: string;
  senderEmail: string;
  sesConfigurationSet: string;
  /** For functions with `oneTimeSchedules`: the service's schedule group, the role Scheduler assumes, the target's ARN. */
  oneTimeSchedules?: {
    groupName: string;
    roleArn: string;
    functionArn: (functionName: string) => string;
    deadLetterArn?: string;
  };
  /** For functions with `apiDestinations`: the role EventBridge assumes to invoke them, their dead-letter queue. */
  apiDestinations?: { roleArn: string; deadLetterArn?: string };
  /** Values of the service's settings by name (a CloudFormation parameter in AWS); absent ones take the default. */
  settings?: Readonly<Record<string, string>>;
  /** Where people reach the HTTP API (links in emails); given to functions that send email. */
  publicApiUrl?: string;
  /** The id (ARN or name) of each of the service's declared secrets, by declared name. */
  secretIds?: Readonly<Record<string, string>>;
}

/** `link-signing-key` -> `LINK_SIGNING_KEY_SECRET_ID`: the variable that holds a secret's id. */
export const secretIdVariableOf = (secretName: string): string =>
  `${secretName.replaceAll('-', '_').toUpperCase()}_SECRET_ID`;

/**
 * The environment of one declared function: CDK sets it in AWS, the local runtime in a worker.
 * Least privilege starts here: the table name only for functions with table access, the sender
 * identity only for functions that send email.
 */
export const functionEnvironment = (
  service: Pick<ServiceDeclaration, 'name'> & { settings?: readonly SettingDeclaration[] },
  fn: Pick<FunctionDeclaration, 'access'>,
  resources: PlatformResources,
): Record<string, string> => {
  const env: Record<string, string> = {
    SERVICE_NAME: service.name,
    EVENT_BUS_NAME: resources.eventBusName,
    POWERTOOLS_SERVICE_NAME: service.name,
    POWERTOOLS_METRICS_NAMESPACE: 'MentoringPlatform',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  for (const setting of service.settings ?? [])
    env[setting.name] = resources.settings?.[setting.name] ?? setting.default;
  if (fn.access.table && resources.tableName) env.TABLE_NAME = resources.tableName;
  if (fn.access.sendEmail) {
    env.SENDER_EMAIL = resources.senderEmail;
    env.SES_CONFIGURATION_SET = resources.sesConfigurationSet;
    if (resources.publicApiUrl) env.PUBLIC_API_URL = resources.publicApiUrl;
  }
  for (const secret of fn.access.secrets ?? []) {
    const id = resources.secretIds?.[secret];
    if (id) env[secretIdVariableOf(secret)] = id;
  }
  const schedules = resources.oneTimeSchedules;
  if (fn.access.oneTimeSchedules && schedules) {
    env.SCHEDULE_GROUP_NAME = schedules.groupName;
    env.SCHEDULE_TARGET_ARN = schedules.functionArn(fn.access.oneTimeSchedules.target);
    env.SCHEDULE_ROLE_ARN = schedules.roleArn;
    if (schedules.deadLetterArn) env.SCHEDULE_DEAD_LETTER_ARN = schedules.deadLetterArn;
  }
  if (fn.access.apiDestinations && resources.apiDestinations) {
    env.WEBHOOK_ROLE_ARN = resources.apiDestinations.roleArn;
    if (resources.apiDestinations.deadLetterArn) env.WEBHOOK_DEAD_LETTER_ARN = resources.apiDestinations.deadLetterArn;
  }
  return env;
};
