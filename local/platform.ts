/**
 * The whole platform on one machine, built from the service declarations only (as the CDK
 * app is): DynamoDB Local and the declared tables, the SES emulator, the local EventBridge
 * (bus, PutEvents server, a rule per declared subscription), an outbox relay per
 * `outbox-stream` function, the HTTP API with its JWT authorizer and local issuer, the
 * scheduler, and the developer view. Every function runs in its own worker thread with the
 * real AWS SDK clients pointed at these local endpoints by the SDK's own variables.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeleteTableCommand, type DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { allServices } from '../services/index';
import { functionKey, type ServiceDeclaration } from '../shared/declaration';
import { oneTimeScheduleGroupOf } from '../shared/one-time-schedules';
import { type PlatformBus, startPlatformBus } from './bus';
import { DEV_VIEW_PATH, type DeadLetterView, devViewHandler } from './dev-view';
import { createLocalDynamoDbClient, ensureTables, startDynamoDbLocal, warmUpQueries } from './dynamodb';
import {
  functionArnOf,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localFunctionsOf,
  runtimeEnvironmentOf,
  tableNameOf,
} from './environment';
import { type FunctionLogSink, type InvocationError, type LocalFunctions, startLocalFunctions } from './functions';
import { type HttpGateway, type LocalHttpHandler, routesOf, startHttpGateway } from './http-gateway';
import {
  createLocalIssuer,
  DEPARTMENT_CLIENT_PREFIX,
  ISSUER_PATH,
  LOCAL_CLIENT_ID,
  type LocalIssuer,
  loadOrCreateSigningKey,
  type MintOptions,
  writeIssuerInfo,
} from './issuer';
import { type AuthorizerDecision, createJwtAuthorizer } from './jwt-authorizer';
import { type OneTimeScheduleDeadLetter, type OneTimeScheduler, startOneTimeScheduler } from './one-time-scheduler';
import { type OutboxRelay, type StreamDeadLetter, startOutboxRelay } from './outbox-relay';
import { DEFAULT_DATA_DIR, REPO_ROOT } from './paths';
import { assertPortFree } from './ports';
import { type LocalScheduler, type ScheduleDeadLetter, startScheduler } from './scheduler';
import { startSchedulerServer } from './scheduler-server';
import { loadOrCreateSecrets, SECRETS_MANAGER_PATH, secretsManagerHandler } from './secrets';
import { type SesEmulator, startSesEmulator } from './ses';

export interface LocalPlatformPorts {
  http: number;
  eventbridge: number;
  ses: number;
  dynamodb: number;
  /** The Scheduler API for one-time schedules created at run time. */
  scheduler: number;
}

export const DEFAULT_PORTS: LocalPlatformPorts = {
  http: 3000,
  eventbridge: 4010,
  ses: 8005,
  dynamodb: 8000,
  scheduler: 4020,
};

export interface LocalPlatformOptions {
  /** Where everything persists (default `.data/` in the repository). */
  dataDir?: string;
  /** Wipe the data folder (and, with `dynamodbEndpoint`, this platform's tables) first. */
  reset?: boolean;
  /** 0 picks a free port (tests). */
  ports?: Partial<LocalPlatformPorts>;
  services?: readonly ServiceDeclaration[];
  /** Reuse a running DynamoDB Local instead of starting one (tests share one per run). */
  dynamodbEndpoint?: string;
  /** Table names are `<prefix>-<service>` (default `mentoring`); tests use unique prefixes. */
  tablePrefix?: string;
  /** Interface the servers listen on (default 127.0.0.1: nothing here has real authentication). */
  host?: string;
  /** Function output: prefixed on stdout (default), dropped, or handed to a callback. */
  logs?: FunctionLogSink;
  /** Added to every function's environment (tests quieten Powertools with it). */
  environmentOverrides?: Record<string, string>;
  /**
   * Start the functions behind HTTP routes (bundle and init) before resolving, so the first request
   * is answered at once (`startupMs` then includes it), and every other function (consumers,
   * relays, schedule targets) right after, in the background: no request waits for those, and
   * warming them first would only delay the start. Without it a function starts at its first
   * invocation.
   */
  warm?: boolean;
  relay?: { pollIntervalMs?: number; maxAttempts?: number; baseBackoffMs?: number; maxBackoffMs?: number };
  /** Attempts and backoff of rule deliveries on the local bus. */
  delivery?: { maxAttempts?: number; baseBackoffMs?: number };
  /** Extra certificate authorities webhook deliveries (API destinations) trust: a test receiver's self-signed one. */
  trustedCertificates?: readonly string[];
  schedules?: { timers?: boolean; maxAttempts?: number; baseBackoffMs?: number };
  /** Where the platform's own notices go (default: stderr). */
  onNotice?: (message: string) => void;
}

export interface LocalPlatformUrls {
  api: string;
  health: string;
  openApi: string;
  issuer: string;
  openIdConfiguration: string;
  jwks: string;
  devView: string;
  sesInbox: string;
  sesStore: string;
  /** The raw MIME of every SendRawEmail (local/ses.ts). */
  sesRawStore: string;
  eventBridge: string;
  dynamodb: string;
  scheduler: string;
}

export interface LocalPlatform {
  urls: LocalPlatformUrls;
  dataDir: string;
  bus: PlatformBus['bus'];
  functions: LocalFunctions;
  scheduler: LocalScheduler;
  /** One-time schedules functions create at run time (the Scheduler API at `urls.scheduler`). */
  oneTimeSchedules: OneTimeScheduler;
  issuer: LocalIssuer;
  dynamodb: DynamoDBClient;
  /** Declared table names by service (`{ matching: 'mentoring-matching' }`). */
  tables: Record<string, string>;
  /** A token the API accepts (ID token; `tokenUse: 'access'` for an access token). */
  mintToken(options: MintOptions): Promise<string>;
  /** Every dead letter: rule deliveries, outbox relay batches, schedule firings. */
  deadLetters(): DeadLetterView[];
  /** Resolves once relays and bus have nothing left to do (events beget events: it loops). */
  whenIdle(): Promise<void>;
  /** Start-up time in ms. */
  startupMs: number;
  /** When (ms after the start) DynamoDB Local answered, and the functions behind routes were warm (`warm`). */
  startupPhases: { dynamodbMs: number; functionsWarmMs?: number };
  /** With `warm`: the functions warmed before the start resolved (those behind HTTP routes). */
  warmedBeforeReady: readonly string[];
  stop(): Promise<void>;
}

/** Dead letters of the relays and the scheduler, kept as JSON lines so a restart still shows them. */
const deadLetterLog = (dataDir: string) => {
  const file = join(dataDir, 'dead-letters', 'local-dead-letters.jsonl');
  const entries: DeadLetterView[] = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as DeadLetterView)
    : [];
  return {
    entries: () => [...entries],
    add: (entry: DeadLetterView) => {
      entries.push(entry);
      mkdirSync(join(dataDir, 'dead-letters'), { recursive: true });
      appendFileSync(file, `${JSON.stringify(entry)}\n`);
    },
  };
};

const deleteTableIfPresent = async (client: DynamoDBClient, tableName: string) => {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
};

export const startLocalPlatform = async (options: LocalPlatformOptions = {}): Promise<LocalPlatform> => {
  const started = performance.now();
  const services = options.services ?? allServices;
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const host = options.host ?? '127.0.0.1';
  const tablePrefix = options.tablePrefix ?? 'mentoring';
  const notice = options.onNotice ?? ((message: string) => process.stderr.write(`${message}\n`));

  if (options.reset) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  /**
   * What has started, stopped in this order (also when a later start-up step fails): first
   * whatever brings work in (HTTP, schedules, relays, the bus, which lets deliveries under
   * way finish), then the functions, then the servers they talk to, DynamoDB Local last.
   */
  const stopOrder = ['gateway', 'scheduler', 'relays', 'bus', 'functions', 'clients', 'ses', 'dynamodb'] as const;
  const stops = new Map<(typeof stopOrder)[number], (() => Promise<void> | void)[]>();
  const onStop = (stage: (typeof stopOrder)[number], stop: () => Promise<void> | void) =>
    stops.set(stage, [...(stops.get(stage) ?? []), stop]);
  const stopAll = async () => {
    for (const stage of stopOrder) {
      const pending = stops.get(stage) ?? [];
      stops.delete(stage);
      for (const stop of pending) {
        try {
          await stop();
        } catch (error) {
          notice(`local platform: stopping ${stage} failed: ${(error as Error).message}`);
        }
      }
    }
  };

  // DynamoDB Local is the slow one (seconds of JVM start): begin it first, do the rest meanwhile.
  const dynamoDbReady = options.dynamodbEndpoint
    ? Promise.resolve(options.dynamodbEndpoint)
    : startDynamoDbLocal({
        port: ports.dynamodb,
        dbPath: join(dataDir, 'dynamodb'),
        onSlow: (waitedMs) =>
          notice(`DynamoDB Local is still starting after ${waitedMs / 1000} s (a busy machine?); waiting for it.`),
      }).then((db) => {
        onStop('dynamodb', () => db.stop());
        return db.endpoint;
      });
  // Awaited below; this only keeps an early failure from being reported as unhandled.
  dynamoDbReady.catch(() => undefined);
  const since = () => Math.round(performance.now() - started);
  let dynamodbMs = 0;
  void dynamoDbReady.then(
    () => {
      dynamodbMs = since();
    },
    () => undefined,
  );

  // Requests and deliveries that arrive while the platform starts wait for this.
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((done) => {
    markReady = done;
  });
  try {
    const ses: SesEmulator = await startSesEmulator({ port: ports.ses, host });
    onStop('ses', () => ses.stop());

    const signingKey = await loadOrCreateSigningKey(join(dataDir, 'issuer'));
    const localDeadLetters = deadLetterLog(dataDir);

    // The gateway listens first: the issuer URL (in every token) needs its port.
    let authorize: (authorization: string | undefined) => Promise<AuthorizerDecision> = async () => ({
      ok: false,
      reason: 'starting',
      wwwAuthenticate: 'Bearer',
    });
    let functions: LocalFunctions | undefined;
    const localHandlers: LocalHttpHandler[] = [];
    const routes = routesOf(services);
    if (ports.http !== 0) await assertPortFree(ports.http, 'The HTTP API');
    const gateway: HttpGateway = await startHttpGateway({
      port: ports.http,
      host,
      routes,
      localHandlers,
      authorize: (authorization) => authorize(authorization),
      invoke: async (key, event) => {
        // A request sent while the platform starts (DynamoDB Local, warm-up) waits for it.
        await ready;
        if (!functions) throw new Error('The platform is still starting');
        return functions.invoke(key, event);
      },
    });
    onStop('gateway', () => gateway.stop());

    const issuer = createLocalIssuer(signingKey, `${gateway.url}${ISSUER_PATH}`, LOCAL_CLIENT_ID);
    authorize = createJwtAuthorizer({
      issuerUrl: issuer.issuerUrl,
      audience: [issuer.clientId],
      audiencePrefixes: [DEPARTMENT_CLIENT_PREFIX],
      jwks: issuer.jwks,
    });
    writeIssuerInfo(join(dataDir, 'issuer'), { issuerUrl: issuer.issuerUrl, clientId: issuer.clientId });
    localHandlers.push(async (request) => {
      const path = request.url.pathname;
      if (request.method !== 'GET') return undefined;
      if (path === `${ISSUER_PATH}/.well-known/openid-configuration`) {
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(issuer.openIdConfiguration()),
        };
      }
      if (path === `${ISSUER_PATH}/.well-known/jwks.json`) {
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(issuer.jwks) };
      }
      return undefined;
    });

    // Invocations are counted so whenIdle() can tell whether anything happened in a round.
    let invocationCount = 0;
    // Work that arrives while the platform starts (a persisted schedule falling due, an event
    // redelivered from the bus's store) waits for it, as HTTP requests do.
    const invoke = async (key: string, event: unknown) => {
      invocationCount++;
      await ready;
      if (!functions) throw new Error('The platform is still starting');
      return functions.invoke(key, event);
    };

    if (ports.eventbridge !== 0) await assertPortFree(ports.eventbridge, 'The local EventBridge');
    const platformBus = await startPlatformBus({
      dataDir: join(dataDir, 'eventbridge'),
      port: ports.eventbridge,
      host,
      ...(options.delivery ? { delivery: options.delivery } : {}),
      ...(options.trustedCertificates ? { trustedCertificates: options.trustedCertificates } : {}),
    });
    onStop('bus', () => platformBus.stop());
    for (const service of services) {
      for (const subscription of service.subscriptions) {
        const fn = service.functions.find((candidate) => candidate.name === subscription.function);
        if (!fn)
          throw new Error(
            `${service.name}: subscription ${subscription.name} names no function ${subscription.function}`,
          );
        const key = functionKey(service, fn);
        platformBus.addRule({
          name: `${service.name}-${subscription.name}`,
          pattern: subscription.pattern,
          invoke: async (event) => {
            const outcome = await invoke(key, event);
            // A throwing function is what makes the bus retry and then dead-letter.
            if (!outcome.ok) throw new Error(`${outcome.error.errorType}: ${outcome.error.errorMessage}`);
          },
        });
      }
    }

    // The functions only need DynamoDB's address to start (no call is made at init): when it is
    // known up front they bundle and initialise while DynamoDB Local's JVM is still starting.
    const knownDynamodbEndpoint =
      options.dynamodbEndpoint ?? (ports.dynamodb === 0 ? undefined : `http://127.0.0.1:${ports.dynamodb}`);
    const functionKeyOfArn = new Map(localFunctionsOf(services).map((fn) => [functionArnOf(fn.key), fn.key]));
    const oneTimeSchedules = startOneTimeScheduler({
      groups: services
        .filter((service) => service.functions.some((fn) => fn.access.oneTimeSchedules))
        .map(oneTimeScheduleGroupOf),
      functionKeyOfArn: (arn) => functionKeyOfArn.get(arn),
      invoke,
      dataFile: join(dataDir, 'scheduler', 'one-time-schedules.json'),
      ...(options.schedules?.maxAttempts ? { maxAttempts: options.schedules.maxAttempts } : {}),
      ...(options.schedules?.baseBackoffMs ? { baseBackoffMs: options.schedules.baseBackoffMs } : {}),
      onDeadLetter: (deadLetter: OneTimeScheduleDeadLetter) =>
        localDeadLetters.add({
          id: `one-time-${deadLetter.id}`,
          kind: 'schedule',
          origin: deadLetter.schedule,
          error: `${deadLetter.errorType}: ${deadLetter.errorMessage}`,
          failedAt: deadLetter.failedAt,
          redrivable: false,
          payload: deadLetter,
        }),
    });
    onStop('scheduler', () => oneTimeSchedules.stop());
    if (ports.scheduler !== 0) await assertPortFree(ports.scheduler, 'The local Scheduler API');
    const schedulerServer = await startSchedulerServer({ scheduler: oneTimeSchedules, port: ports.scheduler, host });
    onStop('gateway', () => schedulerServer.close());

    localHandlers.push(secretsManagerHandler(loadOrCreateSecrets(services, dataDir)));
    const endpoints = {
      dynamodb: knownDynamodbEndpoint ?? (await dynamoDbReady),
      eventbridge: platformBus.endpoint,
      ses: ses.endpoint,
      scheduler: schedulerServer.url,
      secretsManager: `${gateway.url}${SECRETS_MANAGER_PATH}`,
      api: gateway.url,
    };
    functions = startLocalFunctions({
      functions: localFunctionsOf(services),
      repoRoot: REPO_ROOT,
      environmentOf: (fn) => ({ ...runtimeEnvironmentOf(fn, endpoints, tablePrefix), ...options.environmentOverrides }),
      ...(options.logs ? { logs: options.logs } : {}),
    });
    const runningFunctions = functions;
    onStop('functions', () => runningFunctions.stop());
    let functionsWarmMs: number | undefined;
    const routeFunctionKeys = [...new Set(routes.map((route) => route.functionKey))];
    const warmed = options.warm
      ? runningFunctions.warm(routeFunctionKeys).finally(() => {
          functionsWarmMs = since();
        })
      : Promise.resolve([]);

    const dynamodbEndpoint = await dynamoDbReady;
    if (dynamodbEndpoint !== endpoints.dynamodb) {
      throw new Error(`DynamoDB Local listens at ${dynamodbEndpoint}, not ${endpoints.dynamodb} as expected`);
    }
    const dynamodb = createLocalDynamoDbClient(dynamodbEndpoint);
    onStop('clients', () => dynamodb.destroy());
    const tables = Object.fromEntries(
      services.filter((service) => service.table).map((service) => [service.name, tableNameOf(service, tablePrefix)]),
    );
    if (options.reset && options.dynamodbEndpoint) {
      // A shared DynamoDB Local is not in the data folder: reset this platform's tables there.
      await Promise.all(Object.values(tables).map((tableName) => deleteTableIfPresent(dynamodb, tableName)));
    }
    const tableSpecs = services.flatMap((service) =>
      service.table ? [{ tableName: tableNameOf(service, tablePrefix), declaration: service.table }] : [],
    );
    const described = await ensureTables(dynamodb, tableSpecs);
    // Before the banner, with the functions' warm-up (nothing is written).
    const queriesWarmed = options.warm
      ? warmUpQueries(dynamodb, tableSpecs).catch((error: Error) =>
          notice(`Warming DynamoDB Local up: ${error.message}`),
        )
      : Promise.resolve();
    const streamArnOf = Object.fromEntries(described.map((table) => [table.TableName, table.LatestStreamArn]));

    const streams = new DynamoDBStreamsClient({
      endpoint: dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    onStop('clients', () => streams.destroy());
    const relays: OutboxRelay[] = [];
    for (const fn of localFunctionsOf(services)) {
      if (fn.declaration.trigger?.kind !== 'outbox-stream') continue;
      const tableName = tableNameOf(fn.service, tablePrefix);
      const streamArn = streamArnOf[tableName];
      if (!fn.service.table || !streamArn)
        throw new Error(`${fn.key} relays an outbox but ${fn.service.name} has no table`);
      const relay = startOutboxRelay({
        streams,
        streamArn,
        functionKey: fn.key,
        invoke,
        checkpointFile: join(dataDir, 'outbox-relay', `${fn.key}.json`),
        ...options.relay,
        onDeadLetter: (record: StreamDeadLetter) =>
          localDeadLetters.add({
            id: `relay-${record.requestContext.requestId}`,
            kind: 'outbox-relay',
            origin: fn.key,
            error: record.lastError,
            failedAt: record.timestamp,
            redrivable: false,
            payload: record,
          }),
        onError: (error) => notice(`${fn.key}: reading the stream failed: ${(error as Error).message}`),
      });
      relays.push(relay);
      onStop('relays', () => relay.stop());
    }

    const scheduler = startScheduler({
      services,
      invoke,
      ...options.schedules,
      onDeadLetter: (deadLetter: ScheduleDeadLetter) =>
        localDeadLetters.add({
          id: `schedule-${deadLetter.id}`,
          kind: 'schedule',
          origin: deadLetter.schedule,
          error: `${deadLetter.errorType}: ${deadLetter.errorMessage}`,
          failedAt: deadLetter.failedAt,
          redrivable: false,
          payload: deadLetter,
        }),
    });
    onStop('scheduler', () => scheduler.stop());

    const urls: LocalPlatformUrls = {
      api: gateway.url,
      health: `${gateway.url}/health`,
      openApi: `${gateway.url}/openapi.json`,
      issuer: issuer.issuerUrl,
      openIdConfiguration: `${issuer.issuerUrl}/.well-known/openid-configuration`,
      jwks: issuer.jwksUrl,
      devView: `${gateway.url}${DEV_VIEW_PATH}`,
      sesInbox: ses.inboxUrl,
      sesStore: ses.storeUrl,
      sesRawStore: ses.rawStoreUrl,
      eventBridge: platformBus.endpoint,
      dynamodb: dynamodbEndpoint,
      scheduler: schedulerServer.url,
    };
    const deadLetters = () =>
      [...platformBus.deadLetters(), ...localDeadLetters.entries()].sort((a, b) =>
        b.failedAt.localeCompare(a.failedAt),
      );

    localHandlers.push(
      devViewHandler({
        urls: () => ({ ...urls }),
        events: () => platformBus.events(),
        deadLetters,
        redrive: (id) => platformBus.redrive(id),
        schedules: () => scheduler.schedules(),
        oneTimeSchedules: () => oneTimeSchedules.schedules(),
        runSchedule: (service, name) => scheduler.runNow(service, name),
        invocations: () => runningFunctions.recentInvocations(),
        routes: () =>
          routes.map((route) => ({ routeKey: route.routeKey, functionKey: route.functionKey, auth: route.auth })),
      }),
    );

    await queriesWarmed;
    const reportInitFailures = (failures: { functionKey: string; error: InvocationError }[]) => {
      for (const failure of failures) {
        notice(`${failure.functionKey} failed its init: ${failure.error.errorType}: ${failure.error.errorMessage}`);
      }
    };
    reportInitFailures(await warmed);

    const whenIdle = async () => {
      for (let round = 0; round < 20; round++) {
        const before = invocationCount;
        await Promise.all(relays.map((relay) => relay.whenIdle()));
        await platformBus.whenIdle();
        await oneTimeSchedules.whenIdle();
        if (invocationCount === before) return;
      }
    };

    markReady();
    if (options.warm) {
      const others = runningFunctions.keys().filter((key) => !routeFunctionKeys.includes(key));
      let stopping = false;
      onStop('gateway', () => {
        stopping = true;
      });
      void runningFunctions.warm(others).then((failures) => {
        if (!stopping) reportInitFailures(failures);
      });
    }
    return {
      urls,
      dataDir,
      bus: platformBus.bus,
      functions: runningFunctions,
      scheduler,
      oneTimeSchedules,
      issuer,
      dynamodb,
      tables,
      mintToken: (mint) => issuer.mint(mint),
      deadLetters,
      whenIdle,
      startupMs: since(),
      startupPhases: { dynamodbMs, ...(functionsWarmMs === undefined ? {} : { functionsWarmMs }) },
      warmedBeforeReady: options.warm ? routeFunctionKeys : [],
      stop: stopAll,
    };
  } catch (error) {
    // Let a DynamoDB Local still starting finish, so it is stopped too rather than orphaned.
    await dynamoDbReady.catch(() => undefined);
    // Work waiting for the start goes on and fails against stopped parts rather than waiting forever.
    markReady();
    await stopAll();
    throw error;
  }
};
