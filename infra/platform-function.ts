import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { filesBesideBundle, LAMBDA_BUNDLE, LAMBDA_NODE_OPTIONS } from './bundling';

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
  /** Packages copied beside the bundle (`PACKAGES_BESIDE_BUNDLE`), with the worker modules that run them. */
  packagesBesideBundle?: readonly string[];
}

/**
 * Shell commands that copy the files each package ships beside the bundle (`filesBesideBundle`: its
 * own files, and the repository's worker modules that run it), run locally: no Docker, no network.
 * `buildFunctionBundle` copies the same list for the local runtime.
 */
const copyFilesBesideBundleCommands = (names: readonly string[], inputDir: string, outputDir: string): string[] =>
  filesBesideBundle(names).map((file) => {
    const target = `${outputDir}/${file.to}`;
    return `mkdir -p "${target.slice(0, target.lastIndexOf('/'))}" && cp "${inputDir}/${file.from}" "${target}"`;
  });

/** Function logs are operational, not an audit trail: a month is enough to debug an incident. */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/**
 * Every Lambda of the platform: Node.js 24 on arm64, bundled locally by esbuild (no Docker) with
 * the options of `./bundling` (ESM, minified, source maps), X-Ray active tracing. Each function
 * gets its own log group with a retention and its own role that may write only to that log
 * group: the AWS managed basic-execution policy would allow writing to every log group in the
 * account.
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
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
      },
      // LAMBDA_BUNDLE, option for option: the local runtime and bundle-sizes build the same bundle.
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourceMap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        keepNames: LAMBDA_BUNDLE.keepNames,
        // Replaces NodejsFunction's default (`@aws-sdk/*` left to the runtime): the SDK is bundled.
        externalModules: [...LAMBDA_BUNDLE.externalModules],
        // esbuild is a local dev dependency: synth works offline and without a Docker engine.
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) =>
            copyFilesBesideBundleCommands(props.packagesBesideBundle ?? [], inputDir, outputDir),
        },
      },
    });
  }
}
