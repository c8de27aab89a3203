/**
 * Deploying one service stack at a time: `npx cdk deploy MentoringPlatform-ApiDocs --exclusively`
 * synthesizes the app with bundling limited to that stack (the CLI sets the context
 * `aws:cdk:bundling-stacks` to the stacks it was given) and deploys that stack alone, with
 * no `--parameters`.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, expect, it } from 'vitest';
import { CORE_STACK_NAME, cdkJsonContext, createPlatformApp, serviceStackName } from '../../infra/platform-app';
import { apiDocsService } from '../../services/api-docs/declaration';
import { stackDependenciesOf } from './template-queries';

const target = serviceStackName(apiDocsService);
let outdir: string;
let assembly: CloudAssembly;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'mentoring-one-stack-'));
  const { app } = createPlatformApp({
    outdir,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [target] },
  });
  assembly = app.synth();
});

interface FunctionJson {
  Type: string;
  Properties: { Code?: { S3Key?: string } };
}
const functionsOf = (stackName: string): FunctionJson[] =>
  Object.values(assembly.getStackByName(stackName).template.Resources as Record<string, FunctionJson>).filter(
    (resource) => resource.Type === 'AWS::Lambda::Function',
  );
const bundleFolderOf = (fn: FunctionJson): string =>
  join(outdir, `asset.${fn.Properties.Code?.S3Key?.replace(/\.zip$/, '')}`);

it('bundles the functions of that stack only', () => {
  const functions = functionsOf(target);
  expect(functions).toHaveLength(apiDocsService.functions.length);
  for (const fn of functions) expect(existsSync(join(bundleFolderOf(fn), 'index.mjs'))).toBe(true);
  const bundles = readdirSync(outdir).filter((entry) => existsSync(join(outdir, entry, 'index.mjs')));
  expect(bundles).toHaveLength(functions.length);
});

it('needs only the core stack deployed before it, and no parameter from whoever deploys it', () => {
  const stack = assembly.getStackByName(target);
  expect(stackDependenciesOf(assembly, target)).toEqual([CORE_STACK_NAME]);
  const parameters = Object.entries(
    (stack.template.Parameters ?? {}) as Record<string, { Type: string; Default?: string }>,
  );
  expect(parameters.length).toBeGreaterThan(0);
  for (const [id, parameter] of parameters) expect(parameter.Default, id).toBeDefined();
});
