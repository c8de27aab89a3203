/**
 * The full local platform for end-to-end tests: random ports, the run's shared DynamoDB Local,
 * unique table names, a temporary data folder, quiet functions, fast relay polling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MintOptions } from '../../local/issuer';
import { type LocalPlatform, type LocalPlatformOptions, startLocalPlatform } from '../../local/platform';
import { allServices } from '../../services/index';
import { assertConformsToContract, routeContractFor } from './contract-conformance';
import { testDynamoDbEndpoint, uniqueName } from './dynamodb';

export interface ApiRequest extends Omit<RequestInit, 'body'> {
  /** Sent as `Authorization: Bearer <token>`; `null` sends no token. */
  token?: string | null;
  /** Mints a token with these claims (ignored when `token` is given). */
  as?: MintOptions;
  /** Sent as JSON. */
  json?: unknown;
  body?: RequestInit['body'];
}

export interface TestPlatform extends LocalPlatform {
  tablePrefix: string;
  /**
   * `fetch` against the HTTP API, with a token minted by the platform's issuer. Every answer of
   * a declared route is held against that route's contract (a breach fails the test).
   */
  api(path: string, request?: ApiRequest): Promise<Response>;
}

export interface TestPlatformOptions extends LocalPlatformOptions {
  /** Keep the data folder after stop() (to start again on it). Default: removed if it was created here. */
  keepData?: boolean;
}

/** The quiet Powertools settings vitest.config.ts gives the test process, passed on to the functions. */
const quietEnvironment = (): Record<string, string> =>
  Object.fromEntries(
    ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_TRACE_ENABLED', 'POWERTOOLS_DEV']
      .map((name) => [name, process.env[name]])
      .filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

export const startTestPlatform = async (options: TestPlatformOptions = {}): Promise<TestPlatform> => {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-platform-'));
  const tablePrefix = options.tablePrefix ?? uniqueName('e2e');
  const platform = await startLocalPlatform({
    dynamodbEndpoint: testDynamoDbEndpoint(),
    logs: 'silent',
    ...options,
    dataDir,
    tablePrefix,
    ports: { http: 0, eventbridge: 0, ses: 0, dynamodb: 0, scheduler: 0, ...options.ports },
    environmentOverrides: { ...quietEnvironment(), ...options.environmentOverrides },
    relay: { pollIntervalMs: 50, maxAttempts: 3, baseBackoffMs: 20, ...options.relay },
    delivery: { baseBackoffMs: 20, ...options.delivery },
    schedules: { timers: false, baseBackoffMs: 20, ...options.schedules },
  });

  const api = async (path: string, request: ApiRequest = {}) => {
    const { token, as, json, headers, ...init } = request;
    const bearer = token === undefined ? (as ? await platform.mintToken(as) : undefined) : token;
    const response = await fetch(`${platform.urls.api}${path}`, {
      ...init,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(headers as Record<string, string> | undefined),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const contract = routeContractFor(options.services ?? allServices, init.method ?? 'GET', path);
    if (contract) {
      const body = await response.clone().text();
      assertConformsToContract(contract, {
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        body: body === '' ? undefined : body,
      });
    }
    return response;
  };

  return {
    ...platform,
    tablePrefix,
    api,
    stop: async () => {
      await platform.stop();
      if (ownDataDir && !options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
