/**
 * The EventBridge API over HTTP, as `@aws-sdk/client-eventbridge` speaks it (AWS JSON 1.1):
 * `POST /` with `X-Amz-Target: AWSEvents.<Operation>` and a JSON body; errors are HTTP 4xx with
 * `{ "__type": "<Code>", "message": "..." }` and an `x-amzn-errortype` header. Implemented:
 * PutEvents and TestEventPattern, and, with `apiDestinations`, the rule, connection and API
 * destination operations webhook deliveries use. Signatures are not checked: any credentials
 * are accepted.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type ApiDestinations, EventBridgeApiError } from './api-destinations';
import { type LocalEventBus, PutEventsValidationError } from './local-bus';
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from './pattern-matcher';

export interface EventBridgeServerOptions {
  bus: LocalEventBus;
  /** Rules, connections and API destinations created at run time (api-destinations.ts). */
  apiDestinations?: ApiDestinations;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface EventBridgeServer {
  /** `http://<host>:<port>`: the SDK's `endpoint` (or AWS_ENDPOINT_URL_EVENTBRIDGE). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'AWSEvents.';
/** PutEvents carries at most 256 KB of entries; the JSON around them is far below this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Fields TestEventPattern requires in the event (AWS documents `resources` too but does not enforce it). */
const TEST_EVENT_REQUIRED_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

/** An AWS error answer: the SDK turns `code` into the matching exception class. */
class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const startEventBridgeServer = async (options: EventBridgeServerOptions): Promise<EventBridgeServer> => {
  const { bus, port = 0, host = '127.0.0.1' } = options;
  const server = createServer((request, response) => {
    handle(bus, request, response, options.apiDestinations).catch((error: unknown) => {
      // Only reached if writing the answer itself failed; nothing more can be sent.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
};

const handle = async (
  bus: LocalEventBus,
  request: IncomingMessage,
  response: ServerResponse,
  apiDestinations?: ApiDestinations,
): Promise<void> => {
  const requestId = randomUUID();
  try {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && (path === '/' || path === '/health')) {
      return send(response, 200, requestId, 'application/json', {
        status: 'ok',
        service: 'eventbridge',
        eventBuses: bus.listEventBuses(),
        rules: bus.listRules().length,
        recentEvents: bus.listRecentEvents().length,
        deadLetters: bus.listDeadLetters().length,
      });
    }
    if (request.method !== 'POST') {
      throw new AwsError(405, 'UnknownOperationException', `${request.method} is not supported; POST to / instead.`);
    }
    const target = headerValue(request, 'x-amz-target');
    const operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    // Read the body first even when the operation is unknown, so a kept-alive connection stays usable.
    const body = await readBody(request);
    if (operation && apiDestinations?.handles(operation)) {
      try {
        return send(response, 200, requestId, JSON_CONTENT_TYPE, apiDestinations.handle(operation, parseBody(body)));
      } catch (error) {
        if (error instanceof EventBridgeApiError) throw new AwsError(error.status, error.code, error.message);
        throw error;
      }
    }
    if (operation !== 'PutEvents' && operation !== 'TestEventPattern') {
      throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${target ?? '(no X-Amz-Target)'}`);
    }
    const input = parseBody(body);
    const output = operation === 'PutEvents' ? putEvents(bus, input) : testEventPattern(input);
    return send(response, 200, requestId, JSON_CONTENT_TYPE, output);
  } catch (error) {
    const awsError =
      error instanceof AwsError
        ? error
        : new AwsError(500, 'InternalException', error instanceof Error ? error.message : String(error));
    return send(response, awsError.status, requestId, JSON_CONTENT_TYPE, {
      __type: awsError.code,
      message: awsError.message,
    });
  }
};

const putEvents = (bus: LocalEventBus, input: Record<string, unknown>): unknown => {
  const entries = input.Entries;
  if (!Array.isArray(entries)) {
    throw new AwsError(
      400,
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  try {
    return bus.putEvents(entries.map(toRequestEntry));
  } catch (error) {
    if (error instanceof PutEventsValidationError) throw new AwsError(400, error.code, error.message);
    throw error;
  }
};

/** JSON wire form -> the SDK's entry type; Time travels as epoch seconds (or an ISO string). */
const toRequestEntry = (raw: unknown): PutEventsRequestEntry => {
  const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const time = entry.Time;
  return {
    Source: text(entry.Source),
    DetailType: text(entry.DetailType),
    Detail: text(entry.Detail),
    EventBusName: text(entry.EventBusName),
    Resources: Array.isArray(entry.Resources) ? entry.Resources.filter((r) => typeof r === 'string') : undefined,
    Time: typeof time === 'number' ? new Date(time * 1000) : typeof time === 'string' ? new Date(time) : undefined,
    TraceHeader: text(entry.TraceHeader),
  };
};

const testEventPattern = (input: Record<string, unknown>): { Result: boolean } => {
  const { EventPattern: patternJson, Event: eventJson } = input;
  if (typeof patternJson !== 'string' || typeof eventJson !== 'string') {
    throw new AwsError(400, 'ValidationException', 'EventPattern and Event are required strings.');
  }
  let pattern: ReturnType<typeof parseEventPattern>;
  try {
    pattern = parseEventPattern(patternJson);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) {
      throw new AwsError(400, 'InvalidEventPatternException', error.message);
    }
    throw error;
  }
  let event: unknown;
  try {
    event = JSON.parse(eventJson);
  } catch {
    throw new AwsError(400, 'ValidationException', 'Parameter Event is not valid.');
  }
  if (
    typeof event !== 'object' ||
    event === null ||
    Array.isArray(event) ||
    TEST_EVENT_REQUIRED_FIELDS.some((field) => !Object.hasOwn(event, field))
  ) {
    throw new AwsError(400, 'ValidationException', 'Parameter Event is not valid.');
  }
  return { Result: matchesEventPattern(pattern, event) };
};

const headerValue = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AwsError(413, 'ValidationException', 'Request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const parseBody = (body: string): Record<string, unknown> => {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsError(400, 'SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError(400, 'SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
};

const send = (
  response: ServerResponse,
  status: number,
  requestId: string,
  contentType: string,
  body: unknown,
): void => {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  };
  if (typeof body === 'object' && body !== null && '__type' in body) {
    headers['x-amzn-errortype'] = String((body as { __type: unknown }).__type);
  }
  response.writeHead(status, headers);
  response.end(text);
};
