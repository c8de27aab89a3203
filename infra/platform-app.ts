import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { allServices } from '../services/index';
import { eventCatalog } from '../shared/contracts/catalog';
import type { ServiceDeclaration } from '../shared/declaration';
import type { EventContract } from '../shared/events/envelope';
import { CoreStack } from './core-stack';
import { pascalCase, type ServiceConstruct } from './service-construct';
import { ServiceStack } from './service-stack';

/** The repository root, wherever the app is run from (the CLI, a test, a script). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The prefix of every stack name, and of the core stack's SSM parameter path. */
export const PLATFORM_NAME = 'MentoringPlatform';

export const CORE_STACK_NAME = `${PLATFORM_NAME}-Core`;

/** `matching` → `MentoringPlatform-Matching`. */
export const serviceStackName = (service: Pick<ServiceDeclaration, 'name'>): string =>
  `${PLATFORM_NAME}-${pascalCase(service.name)}`;

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
  core: CoreStack;
  /** One per service, in declaration order. */
  serviceStacks: ServiceStack[];
  /**
   * Transitional, for `infra/bundle-sizes.ts` until its rewrite (which no longer needs it)
   * lands: every service construct, and a stack to resolve their tokens with. Remove then.
   */
  stack: { services: ServiceConstruct[]; resolve: (value: unknown) => unknown };
}

/**
 * The app: the core stack and one stack per service, with cdk-nag's AwsSolutions pack
 * attached to the whole app, so a synth (CLI, test or script) fails while any finding in
 * any stack is neither fixed nor acknowledged.
 */
export const createPlatformApp = (options: PlatformAppOptions = {}): PlatformApp => {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const corsAllowOrigins = app.node.tryGetContext('mentoring:corsAllowOrigins') as string[] | undefined;
  const departmentClients = app.node.tryGetContext('mentoring:departmentClients') as string[] | undefined;
  const core = new CoreStack(app, CORE_STACK_NAME, {
    description:
      'Mentoring platform core: event bus, schema registry, HTTP API and JWT authorizer, user pool, SES, alarm topic.',
    eventContracts: options.eventContracts ?? eventCatalog,
    ...(corsAllowOrigins ? { corsAllowOrigins } : {}),
    ...(departmentClients ? { departmentClients } : {}),
  });

  const names = new Set<string>();
  const serviceStacks = (options.services ?? allServices).map((service) => {
    if (names.has(service.name)) throw new Error(`Two services are named "${service.name}"`);
    names.add(service.name);
    const stack = new ServiceStack(app, serviceStackName(service), {
      description: `Mentoring platform service ${service.name}: ${service.description}`.slice(0, 1024),
      service,
      coreStackName: core.stackName,
      repositoryRoot: REPOSITORY_ROOT,
    });
    // Deploy order only (`cdk deploy --all`): the core stack writes the parameters this one reads.
    stack.addStackDependency(core, 'reads the SSM parameters the core stack writes');
    return stack;
  });

  return {
    app,
    core,
    serviceStacks,
    stack: { services: serviceStacks.map((stack) => stack.service), resolve: (value) => core.resolve(value) },
  };
};
