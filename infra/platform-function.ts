import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface PlatformFunctionProps {
  /** Absolute path of the entry file; it exports `handler`. */
  entry: string;
  /** Repository root: where `package-lock.json` and `tsconfig.json` live. */
  repositoryRoot: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** The declared environment (`functionEnvironment`), Powertools variables included. */
  environment: Record<string, string>;
}

/** Function logs are operational, not an audit trail: a month is enough to debug an incident. */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/**
 * The ESM bundle still meets CommonJS dependencies that call `require` (the AWS SDK's
 * transitive deps, Powertools); esbuild cannot rewrite those, so the bundle defines one.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Every Lambda of the platform: Node.js 24 on arm64, bundled locally by esbuild (no Docker),
 * ESM, minified, with source maps and X-Ray tracing. Each function gets its own log group
 * with a retention and its own role that may write only to that log group: the AWS managed
 * basic-execution policy would allow writing to every log group in the account.
 */
export class PlatformFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    // Created beside the function (a subclass cannot create children before `super`).
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: FUNCTION_LOG_RETENTION });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`.slice(0, 1000),
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.repositoryRoot,
      depsLockFilePath: `${props.repositoryRoot}/package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        ...props.environment,
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        // ESM builds of dependencies tree-shake better than their CommonJS builds.
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // File and line mapping is what a stack trace needs; embedded sources only add megabytes.
        sourcesContent: false,
        // The SDK version that was tested is the one that runs, not whatever the runtime ships.
        bundleAwsSDK: true,
        // esbuild is a local dev dependency: synth works offline and without a Docker engine.
        forceDockerBundling: false,
      },
    });
  }
}
