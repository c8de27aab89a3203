/**
 * Rules, connections and API destinations created at run time through the EventBridge API, as a
 * function with `access: { apiDestinations: true }` creates them: `PutRule`, `PutTargets`,
 * `RemoveTargets`, `DeleteRule`, `Create|Update|Describe|DeleteConnection`,
 * `Create|Update|Describe|DeleteApiDestination`. A rule whose target is an API destination
 * delivers each matching event as EventBridge does: `POST` of the event as JSON to the endpoint,
 * with the connection's API key header or basic auth, retried on a network error, 401, 407, 409,
 * 429 or 5xx (not on other 4xx, which are dead-lettered at once), then dead-lettered.
 *
 * Kept in the bus's data folder, secrets included (it is the developer's own machine; AWS keeps
 * them in Secrets Manager), so a restart keeps every webhook working.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname } from 'node:path';
import type { EventBridgeEvent, LocalEventBus } from './local-bus';
import { InvalidEventPatternError, parseEventPattern } from './pattern-matcher';

export class EventBridgeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A delivery failure EventBridge does not retry (a 4xx other than 401, 407, 409, 429). */
export class NonRetryableDeliveryError extends Error {
  override readonly name = 'NonRetryableDeliveryError';
  readonly retryable = false;
}

interface Connection {
  Name: string;
  ConnectionArn: string;
  Description?: string;
  AuthorizationType: 'API_KEY' | 'BASIC';
  AuthParameters: {
    ApiKeyAuthParameters?: { ApiKeyName: string; ApiKeyValue: string };
    BasicAuthParameters?: { Username: string; Password: string };
  };
  CreationTime: number;
  LastModifiedTime: number;
}

interface ApiDestination {
  Name: string;
  ApiDestinationArn: string;
  ConnectionArn: string;
  InvocationEndpoint: string;
  HttpMethod: string;
  InvocationRateLimitPerSecond?: number;
  CreationTime: number;
  LastModifiedTime: number;
}

interface ManagedTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
}

interface ManagedRule {
  Name: string;
  EventBusName: string;
  EventPattern: string;
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  Targets: ManagedTarget[];
}

export interface ApiDestinationOptions {
  bus: LocalEventBus;
  region: string;
  account: string;
  /** Where rules, connections and destinations are kept across restarts. */
  dataFile?: string;
  /** Extra certificate authorities to trust for HTTPS endpoints (a test receiver's self-signed certificate). */
  trustedCertificates?: readonly string[];
  /** How long one delivery may take (EventBridge: 5 s). */
  timeoutMs?: number;
}

/** The operations served here; the server hands them over by name. */
export const managementOperations = [
  'PutRule',
  'PutTargets',
  'RemoveTargets',
  'DeleteRule',
  'DescribeRule',
  'CreateConnection',
  'UpdateConnection',
  'DescribeConnection',
  'DeleteConnection',
  'CreateApiDestination',
  'UpdateApiDestination',
  'DescribeApiDestination',
  'DeleteApiDestination',
] as const;

const RETRYABLE_STATUSES = new Set([401, 407, 409, 429]);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const notFound = (what: string) => new EventBridgeApiError(400, 'ResourceNotFoundException', `${what} does not exist.`);
const invalid = (message: string) => new EventBridgeApiError(400, 'ValidationException', message);
const text = (input: Record<string, unknown>, field: string, required = true): string => {
  const value = input[field];
  if (typeof value === 'string' && value.length > 0) return value;
  if (required) throw invalid(`${field} is required.`);
  return '';
};

export const createApiDestinations = (options: ApiDestinationOptions) => {
  const { bus, region, account } = options;
  const connections = new Map<string, Connection>();
  const destinations = new Map<string, ApiDestination>();
  const rules = new Map<string, ManagedRule>();
  const ruleKey = (busName: string, name: string) => `${busName}/${name}`;

  const persist = () => {
    if (!options.dataFile) return;
    mkdirSync(dirname(options.dataFile), { recursive: true });
    const aside = `${options.dataFile}.${process.pid}.tmp`;
    writeFileSync(
      aside,
      JSON.stringify(
        {
          connections: [...connections.values()],
          destinations: [...destinations.values()],
          rules: [...rules.values()],
        },
        null,
        2,
      ),
      { mode: 0o600 },
    );
    renameSync(aside, options.dataFile);
  };

  /** One POST of the event to the destination's endpoint, with the connection's credentials. */
  const deliver = (destinationArn: string) => async (event: EventBridgeEvent) => {
    const destination = [...destinations.values()].find((item) => item.ApiDestinationArn === destinationArn);
    if (!destination) throw new NonRetryableDeliveryError(`API destination ${destinationArn} does not exist`);
    const connection = [...connections.values()].find((item) => item.ConnectionArn === destination.ConnectionArn);
    if (!connection) throw new NonRetryableDeliveryError(`Connection ${destination.ConnectionArn} does not exist`);
    const body = JSON.stringify(event);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'Amazon/EventBridge/ApiDestinations',
    };
    const apiKey = connection.AuthParameters.ApiKeyAuthParameters;
    const basic = connection.AuthParameters.BasicAuthParameters;
    if (apiKey) headers[apiKey.ApiKeyName] = apiKey.ApiKeyValue;
    if (basic) headers.authorization = `Basic ${Buffer.from(`${basic.Username}:${basic.Password}`).toString('base64')}`;
    const url = new URL(destination.InvocationEndpoint);
    const status = await new Promise<number>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = send(
        url,
        {
          method: destination.HttpMethod,
          headers,
          timeout: options.timeoutMs ?? 5_000,
          ...(options.trustedCertificates?.length ? { ca: [...options.trustedCertificates] } : {}),
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`No answer from ${url.host} within the timeout`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    if (status >= 200 && status < 300) return;
    const message = `${destination.InvocationEndpoint} answered ${status}`;
    if (status >= 500 || RETRYABLE_STATUSES.has(status)) throw new Error(message);
    throw new NonRetryableDeliveryError(message);
  };

  /** Puts the rule on the bus while it has a target (its delivery), takes it off otherwise. */
  const sync = (rule: ManagedRule) => {
    const [target] = rule.Targets;
    if (!target || rule.State !== 'ENABLED') {
      bus.removeRule(rule.Name, rule.EventBusName);
      return;
    }
    bus.addRule({
      name: rule.Name,
      eventBusName: rule.EventBusName,
      pattern: rule.EventPattern,
      target: { id: target.Id, invoke: deliver(target.Arn) },
    });
  };

  const connectionOf = (input: Record<string, unknown>, existing?: Connection): Connection => {
    const type = (input.AuthorizationType ?? existing?.AuthorizationType) as string | undefined;
    if (type !== 'API_KEY' && type !== 'BASIC') {
      throw invalid('The local EventBridge supports the API_KEY and BASIC authorization types.');
    }
    const params = (input.AuthParameters as Connection['AuthParameters'] | undefined) ?? existing?.AuthParameters;
    const complete =
      type === 'API_KEY'
        ? Boolean(params?.ApiKeyAuthParameters?.ApiKeyName && params.ApiKeyAuthParameters.ApiKeyValue)
        : Boolean(params?.BasicAuthParameters?.Username && params.BasicAuthParameters.Password);
    if (!params || !complete) throw invalid(`AuthParameters for ${type} are required.`);
    const name = text(input, 'Name');
    return {
      Name: name,
      ConnectionArn:
        existing?.ConnectionArn ?? `arn:aws:events:${region}:${account}:connection/${name}/${randomUUID()}`,
      ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
      AuthorizationType: type,
      AuthParameters: params,
      CreationTime: existing?.CreationTime ?? nowSeconds(),
      LastModifiedTime: nowSeconds(),
    };
  };

  const destinationOf = (input: Record<string, unknown>, existing?: ApiDestination): ApiDestination => {
    const name = text(input, 'Name');
    const connectionArn = text(input, 'ConnectionArn', !existing) || (existing?.ConnectionArn as string);
    if (![...connections.values()].some((item) => item.ConnectionArn === connectionArn)) {
      throw notFound(`Connection ${connectionArn}`);
    }
    const endpoint = text(input, 'InvocationEndpoint', !existing) || (existing?.InvocationEndpoint as string);
    if (!/^https:\/\//.test(endpoint)) throw invalid('InvocationEndpoint must be an https:// URL.');
    return {
      Name: name,
      ApiDestinationArn:
        existing?.ApiDestinationArn ?? `arn:aws:events:${region}:${account}:api-destination/${name}/${randomUUID()}`,
      ConnectionArn: connectionArn,
      InvocationEndpoint: endpoint,
      HttpMethod: text(input, 'HttpMethod', !existing) || (existing?.HttpMethod as string),
      ...(typeof input.InvocationRateLimitPerSecond === 'number'
        ? { InvocationRateLimitPerSecond: input.InvocationRateLimitPerSecond }
        : {}),
      CreationTime: existing?.CreationTime ?? nowSeconds(),
      LastModifiedTime: nowSeconds(),
    };
  };

  const busNameOf = (input: Record<string, unknown>) => {
    const name = typeof input.EventBusName === 'string' && input.EventBusName ? input.EventBusName : 'default';
    if (!bus.hasEventBus(name)) throw notFound(`Event bus ${name}`);
    return name;
  };

  const describeConnection = (connection: Connection) => ({
    ConnectionArn: connection.ConnectionArn,
    Name: connection.Name,
    ...(connection.Description ? { Description: connection.Description } : {}),
    ConnectionState: 'AUTHORIZED',
    AuthorizationType: connection.AuthorizationType,
    // Secrets are never given back, as in AWS.
    AuthParameters:
      connection.AuthorizationType === 'API_KEY'
        ? { ApiKeyAuthParameters: { ApiKeyName: connection.AuthParameters.ApiKeyAuthParameters?.ApiKeyName } }
        : { BasicAuthParameters: { Username: connection.AuthParameters.BasicAuthParameters?.Username } },
    CreationTime: connection.CreationTime,
    LastModifiedTime: connection.LastModifiedTime,
  });

  const operations: Record<(typeof managementOperations)[number], (input: Record<string, unknown>) => unknown> = {
    PutRule: (input) => {
      const busName = busNameOf(input);
      const name = text(input, 'Name');
      const pattern = text(input, 'EventPattern');
      try {
        parseEventPattern(pattern);
      } catch (error) {
        if (error instanceof InvalidEventPatternError)
          throw new EventBridgeApiError(400, 'InvalidEventPatternException', error.message);
        throw error;
      }
      const existing = rules.get(ruleKey(busName, name));
      const rule: ManagedRule = {
        Name: name,
        EventBusName: busName,
        EventPattern: pattern,
        State: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
        Targets: existing?.Targets ?? [],
      };
      rules.set(ruleKey(busName, name), rule);
      sync(rule);
      persist();
      return { RuleArn: `arn:aws:events:${region}:${account}:rule/${busName}/${name}` };
    },
    DescribeRule: (input) => {
      const busName = busNameOf(input);
      const rule = rules.get(ruleKey(busName, text(input, 'Name')));
      if (!rule) throw notFound(`Rule ${String(input.Name)}`);
      const { Targets: _targets, ...description } = rule;
      return { ...description, Arn: `arn:aws:events:${region}:${account}:rule/${busName}/${rule.Name}` };
    },
    PutTargets: (input) => {
      const busName = busNameOf(input);
      const rule = rules.get(ruleKey(busName, text(input, 'Rule')));
      if (!rule) throw notFound(`Rule ${String(input.Rule)}`);
      const targets = Array.isArray(input.Targets) ? (input.Targets as ManagedTarget[]) : [];
      const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
      for (const target of targets) {
        if (!target.Id || !target.Arn) {
          failed.push({
            TargetId: target.Id ?? '',
            ErrorCode: 'ValidationException',
            ErrorMessage: 'Id and Arn are required.',
          });
        } else if (rule.Targets.some((item) => item.Id !== target.Id)) {
          failed.push({
            TargetId: target.Id,
            ErrorCode: 'LimitExceededException',
            ErrorMessage: 'The local EventBridge delivers a run-time rule to one target.',
          });
        } else if (![...destinations.values()].some((item) => item.ApiDestinationArn === target.Arn)) {
          failed.push({
            TargetId: target.Id,
            ErrorCode: 'ValidationException',
            ErrorMessage: `The local EventBridge delivers run-time rules to API destinations only; ${target.Arn} is none.`,
          });
        } else {
          rule.Targets = [
            ...rule.Targets.filter((item) => item.Id !== target.Id),
            { Id: target.Id, Arn: target.Arn, ...(target.RoleArn ? { RoleArn: target.RoleArn } : {}) },
          ];
        }
      }
      sync(rule);
      persist();
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
    RemoveTargets: (input) => {
      const busName = busNameOf(input);
      const rule = rules.get(ruleKey(busName, text(input, 'Rule')));
      if (!rule) throw notFound(`Rule ${String(input.Rule)}`);
      const ids = Array.isArray(input.Ids) ? (input.Ids as string[]) : [];
      rule.Targets = rule.Targets.filter((target) => !ids.includes(target.Id));
      sync(rule);
      persist();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    DeleteRule: (input) => {
      const busName = busNameOf(input);
      const key = ruleKey(busName, text(input, 'Name'));
      const rule = rules.get(key);
      if (!rule) return {};
      if (rule.Targets.length > 0) throw invalid("Rule can't be deleted since it has targets.");
      rules.delete(key);
      bus.removeRule(rule.Name, rule.EventBusName);
      persist();
      return {};
    },
    CreateConnection: (input) => {
      const name = text(input, 'Name');
      if (connections.has(name))
        throw new EventBridgeApiError(400, 'ResourceAlreadyExistsException', `Connection ${name} already exists.`);
      const connection = connectionOf(input);
      connections.set(name, connection);
      persist();
      return {
        ConnectionArn: connection.ConnectionArn,
        ConnectionState: 'AUTHORIZED',
        CreationTime: connection.CreationTime,
        LastModifiedTime: connection.LastModifiedTime,
      };
    },
    UpdateConnection: (input) => {
      const existing = connections.get(text(input, 'Name'));
      if (!existing) throw notFound(`Connection ${String(input.Name)}`);
      const connection = connectionOf(input, existing);
      connections.set(connection.Name, connection);
      persist();
      return {
        ConnectionArn: connection.ConnectionArn,
        ConnectionState: 'AUTHORIZED',
        LastModifiedTime: connection.LastModifiedTime,
      };
    },
    DescribeConnection: (input) => {
      const connection = connections.get(text(input, 'Name'));
      if (!connection) throw notFound(`Connection ${String(input.Name)}`);
      return describeConnection(connection);
    },
    DeleteConnection: (input) => {
      const name = text(input, 'Name');
      const connection = connections.get(name);
      if (!connection) throw notFound(`Connection ${name}`);
      connections.delete(name);
      persist();
      return { ConnectionArn: connection.ConnectionArn, ConnectionState: 'DELETING' };
    },
    CreateApiDestination: (input) => {
      const name = text(input, 'Name');
      if (destinations.has(name))
        throw new EventBridgeApiError(400, 'ResourceAlreadyExistsException', `API destination ${name} already exists.`);
      const destination = destinationOf(input);
      destinations.set(name, destination);
      persist();
      return {
        ApiDestinationArn: destination.ApiDestinationArn,
        ApiDestinationState: 'ACTIVE',
        CreationTime: destination.CreationTime,
        LastModifiedTime: destination.LastModifiedTime,
      };
    },
    UpdateApiDestination: (input) => {
      const existing = destinations.get(text(input, 'Name'));
      if (!existing) throw notFound(`API destination ${String(input.Name)}`);
      const destination = destinationOf(input, existing);
      destinations.set(destination.Name, destination);
      persist();
      return {
        ApiDestinationArn: destination.ApiDestinationArn,
        ApiDestinationState: 'ACTIVE',
        LastModifiedTime: destination.LastModifiedTime,
      };
    },
    DescribeApiDestination: (input) => {
      const destination = destinations.get(text(input, 'Name'));
      if (!destination) throw notFound(`API destination ${String(input.Name)}`);
      return { ...destination, ApiDestinationState: 'ACTIVE' };
    },
    DeleteApiDestination: (input) => {
      const name = text(input, 'Name');
      if (!destinations.delete(name)) throw notFound(`API destination ${name}`);
      persist();
      return {};
    },
  };

  if (options.dataFile && existsSync(options.dataFile)) {
    try {
      const saved = JSON.parse(readFileSync(options.dataFile, 'utf8')) as {
        connections: Connection[];
        destinations: ApiDestination[];
        rules: ManagedRule[];
      };
      for (const connection of saved.connections) connections.set(connection.Name, connection);
      for (const destination of saved.destinations) destinations.set(destination.Name, destination);
      for (const rule of saved.rules) {
        if (!bus.hasEventBus(rule.EventBusName)) continue;
        rules.set(ruleKey(rule.EventBusName, rule.Name), rule);
        sync(rule);
      }
    } catch {
      // A hand-edited or truncated file must not stop the platform from starting.
    }
  }

  return {
    handles: (operation: string): operation is (typeof managementOperations)[number] =>
      (managementOperations as readonly string[]).includes(operation),
    handle: (operation: (typeof managementOperations)[number], input: Record<string, unknown>) =>
      operations[operation](input),
  };
};

export type ApiDestinations = ReturnType<typeof createApiDestinations>;
