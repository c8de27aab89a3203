/**
 * How every Lambda of the platform is bundled: the one place the esbuild options live, and the
 * files that ship beside a bundle. `PlatformFunction` hands them to `NodejsFunction` (its `bundling`
 * props, and shell commands that copy `filesBesideBundle`), and the local runtime and
 * `npm run bundle-sizes` build with `esbuildOptionsFor` (`buildFunctionBundle`, which copies the same
 * files), so the folder a developer runs and measures is, byte for byte, the one `cdk synth` stages
 * (infra/bundling.test.ts proves it).
 *
 * Figures behind the choices are printed by `npm run bundle-sizes`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';

/**
 * Modules of the AWS SDK it imports only when an operation needs them (dynamic imports, which
 * esbuild would otherwise inline), and which these functions never need:
 *
 * - The default credential chain tries the environment first, and imports the other providers
 *   (SSO, ini files, process, web identity, container and instance metadata, with the STS/SSO
 *   clients they need) only when the environment holds no credentials. Lambda always puts the
 *   role's credentials in the environment, and so does the local runtime. Bundled, they were
 *   ~130 KB and ~50 ms of module init in every function with an SDK client.
 * - `@smithy/core/event-streams` serves operations with event streams (~15 KB); DynamoDB,
 *   EventBridge, SES, Scheduler and Secrets Manager have none that these functions call.
 *
 * Left out of the bundle they cost nothing. Should one ever be needed it still resolves: from the
 * Lambda runtime's own SDK in AWS, from node_modules locally. `npm run bundle-sizes` fails if one
 * is ever imported statically, and infra/bundling.test.ts checks they are only imported on demand.
 */
export const SDK_MODULES_LOADED_ON_DEMAND = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  '@smithy/credential-provider-imds',
  '@smithy/core/event-streams',
] as const;

/** What a package that ships beside the bundles of the functions using it (`PACKAGES_BESIDE_BUNDLE`) brings. */
export interface PackageBesideBundle {
  /** The package's files needed at run time, copied to `node_modules/<name>/` of the function's folder. */
  packageFiles: readonly string[];
  /**
   * Modules of the repository that run the package in a worker thread, copied beside the bundle under
   * their own file name: the bundle starts them with `new Worker(new URL('./<file name>', import.meta.url))`,
   * which names the module beside this file in the sources and beside the bundle once bundled. Plain
   * JavaScript (`.mjs`, checked by tsc through JSDoc): a worker runs its module as it is, and neither the
   * Lambda runtime nor Node 20 runs TypeScript. They may import only Node's modules, the package and
   * each other (`./<file name>`).
   */
  workerModules: readonly string[];
}

/**
 * Packages a function loads on demand (`await import(...)`, only on the path that needs them) and that
 * ship beside its bundle, in `node_modules/<name>/` of the function's folder, instead of inside it: the
 * files each needs at run time. HiGHS is ~3.5 MB of WebAssembly and its loader; only the matching runner
 * loads it, and only for a domain its own search finds hard, so it costs nothing at any cold start. It
 * runs in a worker thread, which the runner terminates at its time limit (HiGHS checks its own only
 * coarsely): the worker's module (`services/matching/adapters/highs-mip-worker.mjs`, and the
 * `highs-solve.mjs` it imports) ships beside the bundle with it. A function lists the ones it uses
 * (`packagesBesideBundle` in its declaration); every function leaves them out of its bundle.
 */
export const PACKAGES_BESIDE_BUNDLE: Readonly<Record<string, PackageBesideBundle>> = {
  highs: {
    packageFiles: ['package.json', 'build/highs.mjs', 'build/highs.wasm'],
    workerModules: ['services/matching/adapters/highs-mip-worker.mjs', 'services/matching/adapters/highs-solve.mjs'],
  },
};

/** A file shipped beside a bundle: `from` relative to the repository root, `to` relative to the bundle's folder. */
export interface FileBesideBundle {
  from: string;
  to: string;
}

/**
 * Every file the packages `names` ship beside a bundle. The CDK bundling copies them with shell commands
 * (infra/platform-function.ts), `buildFunctionBundle` with `copyFilesBesideBundle`: the same list.
 */
export const filesBesideBundle = (names: readonly string[]): FileBesideBundle[] =>
  names.flatMap((name) => {
    const besideBundle = PACKAGES_BESIDE_BUNDLE[name];
    if (!besideBundle)
      throw new Error(`${name} is not one of the packages that ship beside a bundle (PACKAGES_BESIDE_BUNDLE)`);
    return [
      ...besideBundle.packageFiles.map((file) => ({
        from: `node_modules/${name}/${file}`,
        to: `node_modules/${name}/${file}`,
      })),
      ...besideBundle.workerModules.map((file) => ({ from: file, to: basename(file) })),
    ];
  });

/** Copies the files the packages `names` ship beside a bundle into the bundle's folder `outdir`. */
export const copyFilesBesideBundle = (repositoryRoot: string, names: readonly string[], outdir: string): void => {
  for (const file of filesBesideBundle(names)) {
    const target = join(outdir, file.to);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(repositoryRoot, file.from), target);
  }
};

/**
 * The ESM bundle still meets CommonJS dependencies that call `require` (the AWS SDK's
 * transitive deps, Powertools); esbuild cannot rewrite those, so the bundle defines one.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export const LAMBDA_BUNDLE = {
  /** The Lambda runtime's Node.js major (`NODEJS_24_X`): no syntax is lowered. */
  target: 'node24',
  format: 'esm',
  /** ESM builds of dependencies (the SDK's `dist-es`) tree-shake; their CommonJS builds do not. */
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  /** Less code to read and compile at every cold start. */
  minify: true,
  /**
   * A source map is written beside every bundle (deployed in the zip, used locally): stack
   * traces can always be mapped back to the TypeScript sources.
   */
  sourceMap: true,
  /** File and line mapping is what a stack trace needs; embedded sources only add megabytes. */
  sourcesContent: false,
  /**
   * The AWS SDK is bundled (everything but the modules above): the version that was
   * tested is the one that runs, and one minified file initialises faster than the runtime's SDK,
   * which Node resolves and reads as dozens of CommonJS files (measured: npm run bundle-sizes --
   * --sdk-external).
   */
  externalModules: [...SDK_MODULES_LOADED_ON_DEMAND, ...Object.keys(PACKAGES_BESIDE_BUNDLE)],
  /**
   * Minified names stay minified: `keepNames` wraps every function and class in a `__name` call,
   * which costs bytes and init time; stack traces are mapped through the source map instead.
   */
  keepNames: false,
} as const;

/**
 * The functions' `NODE_OPTIONS`. `--enable-source-maps` makes Node read and parse the bundle's
 * source map at every cold start so that stack traces name TypeScript files and lines.
 */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/** Where an entry's bundle is written: `index.mjs` (and `index.mjs.map`), as in the deployed zip. */
export const BUNDLE_FILE_NAME = 'index.mjs';

/**
 * The esbuild options `NodejsFunction` passes on its command line for `LAMBDA_BUNDLE`, as a
 * build API call: the same entry (absolute), the same working directory (the repository root),
 * the same output file name. Anything left out is left at esbuild's defaults, as there.
 */
export const esbuildOptionsFor = (options: {
  repositoryRoot: string;
  /** Absolute path of the entry file. */
  entryPath: string;
  outdir: string;
  /** Bundle sizes asks for it to attribute bytes to packages; it changes nothing in the bundle. */
  metafile?: boolean;
  /** Overrides for measurements only (`npm run bundle-sizes -- --sdk-external`). */
  externalModules?: readonly string[];
}): BuildOptions => ({
  entryPoints: [options.entryPath],
  absWorkingDir: options.repositoryRoot,
  outfile: join(options.outdir, BUNDLE_FILE_NAME),
  bundle: true,
  platform: 'node',
  target: LAMBDA_BUNDLE.target,
  format: LAMBDA_BUNDLE.format,
  mainFields: [...LAMBDA_BUNDLE.mainFields],
  banner: { js: LAMBDA_BUNDLE.banner },
  minify: LAMBDA_BUNDLE.minify,
  sourcemap: LAMBDA_BUNDLE.sourceMap,
  sourcesContent: LAMBDA_BUNDLE.sourcesContent,
  external: [...(options.externalModules ?? LAMBDA_BUNDLE.externalModules)],
  keepNames: LAMBDA_BUNDLE.keepNames,
  metafile: options.metafile ?? false,
  logLevel: 'silent',
});

export interface BuiltBundle {
  /** Absolute path of `index.mjs`. */
  file: string;
  metafile?: Metafile;
}

/**
 * Bundles one function entry into `outdir`, with the files of the packages it ships beside its bundle
 * (its declaration's `packagesBesideBundle`): the folder `cdk synth` stages. esbuild's errors are
 * thrown as they come.
 */
export const buildFunctionBundle = async (
  options: Parameters<typeof esbuildOptionsFor>[0] & { packagesBesideBundle?: readonly string[] },
): Promise<BuiltBundle> => {
  mkdirSync(options.outdir, { recursive: true });
  const result = await build(esbuildOptionsFor(options));
  copyFilesBesideBundle(options.repositoryRoot, options.packagesBesideBundle ?? [], options.outdir);
  return { file: join(options.outdir, BUNDLE_FILE_NAME), ...(result.metafile ? { metafile: result.metafile } : {}) };
};
