/**
 * The EventBridge Scheduler API over HTTP, as `@aws-sdk/client-scheduler` speaks it (REST JSON):
 * `POST|GET|PUT|DELETE /schedules/{Name}` and `GET /schedules`, dates as epoch seconds, errors
 * as `{ "Message": ... }` with an `x-amzn-errortype` header. It serves the one-time schedules
 * functions create at run time (one-time-scheduler.ts). Any credentials are accepted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OneTimeSchedule, type OneTimeScheduler, SchedulerApiError } from './one-time-scheduler';

export interface SchedulerServer {
  /** `http://<host>:<port>`: AWS_ENDPOINT_URL_SCHEDULER. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const seconds = (iso: string) => Date.parse(iso) / 1000;

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SchedulerApiError(400, 'ValidationException', 'The request is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
};

const scheduleOutput = (schedule: OneTimeSchedule) => ({
  Arn: schedule.Arn,
  Name: schedule.Name,
  GroupName: schedule.GroupName,
  ScheduleExpression: schedule.ScheduleExpression,
  ScheduleExpressionTimezone: schedule.ScheduleExpressionTimezone,
  State: schedule.State,
  ActionAfterCompletion: schedule.ActionAfterCompletion,
  FlexibleTimeWindow: schedule.FlexibleTimeWindow,
  Target: schedule.Target,
  ...(schedule.Description ? { Description: schedule.Description } : {}),
  CreationDate: seconds(schedule.CreationDate),
  LastModificationDate: seconds(schedule.LastModificationDate),
});

const summaryOf = (schedule: OneTimeSchedule) => ({
  Arn: schedule.Arn,
  Name: schedule.Name,
  GroupName: schedule.GroupName,
  State: schedule.State,
  CreationDate: seconds(schedule.CreationDate),
  LastModificationDate: seconds(schedule.LastModificationDate),
  Target: { Arn: schedule.Target.Arn },
});

const handle = async (scheduler: OneTimeScheduler, request: IncomingMessage, response: ServerResponse) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const one = /^\/schedules\/([^/]+)$/.exec(url.pathname);
  try {
    if (one) {
      const name = decodeURIComponent(one[1] as string);
      const groupName = url.searchParams.get('groupName') ?? undefined;
      if (method === 'POST' || method === 'PUT') {
        const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
        const input = { ...body, Name: name } as Parameters<OneTimeScheduler['create']>[0];
        const schedule = method === 'POST' ? scheduler.create(input) : scheduler.update(input);
        return send(response, 200, { ScheduleArn: schedule.Arn });
      }
      if (method === 'GET') return send(response, 200, scheduleOutput(scheduler.get(name, groupName)));
      if (method === 'DELETE') {
        scheduler.delete(name, groupName);
        return send(response, 200, {});
      }
    }
    if (url.pathname === '/schedules' && method === 'GET') {
      const maxResults = url.searchParams.get('MaxResults');
      const page = scheduler.list({
        ...(url.searchParams.get('ScheduleGroup')
          ? { groupName: url.searchParams.get('ScheduleGroup') as string }
          : {}),
        ...(url.searchParams.get('NamePrefix') ? { namePrefix: url.searchParams.get('NamePrefix') as string } : {}),
        ...(url.searchParams.get('State') ? { state: url.searchParams.get('State') as string } : {}),
        ...(url.searchParams.get('NextToken') ? { nextToken: url.searchParams.get('NextToken') as string } : {}),
        ...(maxResults ? { maxResults: Number(maxResults) } : {}),
      });
      return send(response, 200, {
        Schedules: page.schedules.map(summaryOf),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      });
    }
    return send(
      response,
      404,
      { Message: `The local scheduler does not serve ${method} ${url.pathname}` },
      {
        'x-amzn-errortype': 'ResourceNotFoundException',
      },
    );
  } catch (error) {
    if (error instanceof SchedulerApiError) {
      return send(
        response,
        error.status,
        { Message: error.message, message: error.message },
        { 'x-amzn-errortype': error.code },
      );
    }
    if (error instanceof SyntaxError) {
      return send(
        response,
        400,
        { Message: 'The request body is not JSON.' },
        { 'x-amzn-errortype': 'ValidationException' },
      );
    }
    return send(
      response,
      500,
      { Message: (error as Error).message },
      { 'x-amzn-errortype': 'InternalServerException' },
    );
  }
};

export const startSchedulerServer = async (options: {
  scheduler: OneTimeScheduler;
  port?: number;
  host?: string;
}): Promise<SchedulerServer> => {
  const server = createServer((request, response) => {
    handle(options.scheduler, request, response).catch((error: unknown) =>
      response.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
