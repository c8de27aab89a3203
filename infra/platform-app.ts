import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { allServices } from '../services/index';
import { eventCatalog } from '../shared/contracts/catalog';
import type { ServiceDeclaration } from '../shared/declaration';
import type { EventContract } from '../shared/events/envelope';
import { MentoringPlatformStack } from './platform-stack';

/** The repository root, wherever the app is run from (the CLI, a test, a script). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const STACK_NAME = 'MentoringPlatform';

/**
 * The context `cdk.json` gives the CLI (feature flags, CORS origins). Tests and scripts that
 * build the app in-process pass it too, so they see the template the CLI would deploy.
 */
export const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
};

export interface PlatformAppOptions {
  /** Defaults to every deployed service (`allServices`). */
  services?: readonly ServiceDeclaration[];
  /** Defaults to every contract of the event catalogue. */
  eventContracts?: readonly EventContract[];
  /** Where to write the cloud assembly; the CLI decides when omitted. */
  outdir?: string;
  /** Extra context (tests and scripts); the CLI passes cdk.json's context itself. */
  context?: AppProps['context'];
}

export interface PlatformApp {
  app: App;
  stack: MentoringPlatformStack;
}

/**
 * The app with its one stack and cdk-nag's AwsSolutions pack attached to the whole app: a
 * synth (CLI, test or script) fails while any finding is neither fixed nor acknowledged.
 */
export const createPlatformApp = (options: PlatformAppOptions = {}): PlatformApp => {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const corsAllowOrigins = app.node.tryGetContext('mentoring:corsAllowOrigins') as string[] | undefined;
  const stack = new MentoringPlatformStack(app, STACK_NAME, {
    description: 'Mentoring & coaching operations platform: services, bus, HTTP API, identity, email, alarms.',
    services: options.services ?? allServices,
    eventContracts: options.eventContracts ?? eventCatalog,
    repositoryRoot: REPOSITORY_ROOT,
    ...(corsAllowOrigins ? { corsAllowOrigins } : {}),
  });
  return { app, stack };
};
