/**
 * Small readers over a synthesized template, so the infra tests state what they check
 * (who may do what, on which resource) instead of walking CloudFormation JSON.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { CoreStack } from '../../infra/core-stack';
import { cdkJsonContext, createPlatformApp, type PlatformAppOptions } from '../../infra/platform-app';
import type { ServiceConstruct } from '../../infra/service-construct';
import type { ServiceStack } from '../../infra/service-stack';

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface PolicyStatementJson {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export interface SynthesizedService {
  stack: ServiceStack;
  construct: ServiceConstruct;
  template: Template;
}

export interface SynthesizedPlatform {
  app: App;
  core: CoreStack;
  coreTemplate: Template;
  /** One per service stack, in declaration order. */
  services: SynthesizedService[];
  /** Every stack of the app with its template, the core stack first. */
  stacks: { stack: Stack; template: Template }[];
  serviceNamed: (name: string) => SynthesizedService;
  /** cdk-nag AwsSolutions findings nobody acknowledged, in any stack (the synth fails on any). */
  unacknowledgedNagFindings: { rule: string; severity: string | undefined; paths: string[] }[];
}

/**
 * Synthesizes the app exactly as `cdk synth` does (nag attached, esbuild bundling every
 * function) into a temporary cloud assembly. Bundling is the slow part: once per test file.
 */
export const synthesizePlatform = (options: Omit<PlatformAppOptions, 'outdir'> = {}): SynthesizedPlatform => {
  const outdir = mkdtempSync(join(tmpdir(), 'mentoring-infra-test-'));
  const { app, core, serviceStacks } = createPlatformApp({
    ...options,
    outdir,
    context: { ...cdkJsonContext(), ...options.context },
  });
  // The first template synthesizes the whole app; the others read the same cloud assembly.
  const coreTemplate = Template.fromStack(core);
  const services = serviceStacks.map((stack) => ({
    stack,
    construct: stack.service,
    template: Template.fromStack(stack),
  }));
  const report = new AwsSolutionsChecks().validateScope(app);
  return {
    app,
    core,
    coreTemplate,
    services,
    stacks: [{ stack: core, template: coreTemplate }, ...services],
    serviceNamed: (name) => {
      const service = services.find((candidate) => candidate.construct.service.name === name);
      if (!service) throw new Error(`no service ${name}`);
      return service;
    },
    unacknowledgedNagFindings: report.violations.map((violation) => ({
      rule: violation.ruleName,
      severity: violation.severity,
      paths: violation.violatingResources.map((resource) => resource.constructPath ?? '?'),
    })),
  };
};

export const resourcesOfType = (template: Template, type: string): Record<string, CfnResourceJson> =>
  template.findResources(type) as Record<string, CfnResourceJson>;

export const logicalIdOf = (construct: IConstruct): string => {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(element).getLogicalId(element);
};

export const actionsOf = (statement: PolicyStatementJson): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: PolicyStatementJson): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** Does this (JSON) value mention the resource with this logical id (Ref or GetAtt)? */
export const mentions = (value: unknown, logicalId: string): boolean =>
  JSON.stringify(value).includes(`"${logicalId}"`);

/** The statements of an AWS::IAM::Policy resource. */
export const statementsOfPolicy = (policy: CfnResourceJson): PolicyStatementJson[] =>
  (policy.Properties?.PolicyDocument as { Statement?: PolicyStatementJson[] } | undefined)?.Statement ?? [];

/** Every identity-policy statement attached to this role. */
export const statementsOfRole = (template: Template, roleLogicalId: string): PolicyStatementJson[] =>
  Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => mentions(policy.Properties?.Roles, roleLogicalId))
    .flatMap(statementsOfPolicy);

/** The statements the execution role of a declared function holds. */
export const statementsOfFunction = (template: Template, service: ServiceConstruct, name: string) => {
  const fn = service.functionNamed(name, 'a test');
  if (!fn.role) throw new Error(`${name} has no role`);
  return statementsOfRole(template, logicalIdOf(fn.role));
};

export const allowedActionsOf = (statements: PolicyStatementJson[]): string[] =>
  statements.filter((statement) => statement.Effect === 'Allow').flatMap(actionsOf);

/** A property a test needs: a missing one fails right here, with its name, not as a TypeError later. */
export const propertyOf = <T>(resource: CfnResourceJson | undefined, name: string): T => {
  const value = resource?.Properties?.[name];
  if (value === undefined) throw new Error(`The resource has no ${name}: ${JSON.stringify(resource)}`);
  return value as T;
};

/** The template parameter that reads this SSM parameter (an SSM-typed parameter defaulting to its name), as a `Ref`. */
export const ssmParameterRef = (template: Template, parameterName: string): { Ref: string } => {
  const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default?: string }> | undefined;
  const [logicalId] =
    Object.entries(parameters ?? {}).find(
      ([, parameter]) => parameter.Type.startsWith('AWS::SSM::Parameter::Value') && parameter.Default === parameterName,
    ) ?? [];
  if (!logicalId) throw new Error(`The template reads no SSM parameter ${parameterName}`);
  return { Ref: logicalId };
};

/** The stacks this stack waits for in `cdk deploy` (its own asset manifest is an artifact dependency too, not a stack). */
export const stackDependenciesOf = (assembly: CloudAssembly, stackName: string): string[] =>
  assembly
    .getStackByName(stackName)
    .dependencies.map((artifact) => artifact.id)
    .filter((id) => !id.endsWith('.assets'));
