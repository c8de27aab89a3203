/**
 * The bundle the local runtime runs and bundle-sizes measures is the one `cdk synth` stages:
 * a real entry (SDK client, zod, Powertools) through `PlatformFunction` in a bare stack, and
 * through `buildFunctionBundle`, must give the same bytes and the same source mappings; so must
 * a function's folder with what it ships beside its bundle (a package and the worker module that
 * runs it), and that folder must run on its own.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { allServices } from '../services/index';
import { solverService } from '../test/support/fixtures/declarations';
import {
  BUNDLE_FILE_NAME,
  buildFunctionBundle,
  esbuildOptionsFor,
  filesBesideBundle,
  PACKAGES_BESIDE_BUNDLE,
  SDK_MODULES_LOADED_ON_DEMAND,
} from './bundling';
import { PlatformFunction } from './platform-function';

const repositoryRoot = resolve(import.meta.dirname, '..');
const entry = 'shared/events/outbox-relay-handler.ts';

/** A fixture function of `entryFile` (relative to the repository), as the service stacks declare one. */
const fixtureProps = (entryFile: string, packagesBesideBundle?: readonly string[]) => ({
  entry: join(repositoryRoot, entryFile),
  repositoryRoot,
  description: 'bundling fixture',
  memoryMb: 256,
  timeoutSeconds: 10,
  environment: {},
  ...(packagesBesideBundle ? { packagesBesideBundle } : {}),
});

/** A source map's mappings, with its sources made absolute (they are relative to where it was built). */
const mappingsOf = (mapFile: string) => {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; names: string[]; mappings: string };
  return { ...map, sources: map.sources.map((source) => resolve(dirname(mapFile), source)) };
};

/** Runs `script` as an ES module in `folder`, as a Lambda runs there: nothing from this process's environment but PATH. */
const runModuleIn = (folder: string, script: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: folder,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });

describe('one bundle for AWS and the local runtime', () => {
  const folders: string[] = [];
  const temporaryFolder = () => {
    const folder = mkdtempSync(join(tmpdir(), 'bundling-test-'));
    folders.push(folder);
    return folder;
  };
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('builds, byte for byte, what cdk synth stages for a function', async () => {
    const cloudAssembly = temporaryFolder();
    const stack = new Stack(new App({ outdir: cloudAssembly }), 'BundlingFixture');
    // NodejsFunction bundles while the construct is created: the asset folder is then staged.
    new PlatformFunction(stack, 'Relay', fixtureProps(entry));
    const assets = readdirSync(cloudAssembly).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const staged = join(cloudAssembly, assets[0] as string);

    const local = await buildFunctionBundle({
      repositoryRoot,
      entryPath: join(repositoryRoot, entry),
      outdir: temporaryFolder(),
      metafile: true,
    });

    expect(readdirSync(staged).sort()).toEqual([BUNDLE_FILE_NAME, `${BUNDLE_FILE_NAME}.map`]);
    const stagedBundle = readFileSync(join(staged, BUNDLE_FILE_NAME));
    expect(stagedBundle.length).toBeGreaterThan(50_000);
    expect(readFileSync(local.file).equals(stagedBundle)).toBe(true);
    expect(mappingsOf(`${local.file}.map`)).toEqual(mappingsOf(join(staged, `${BUNDLE_FILE_NAME}.map`)));

    // What is left out of the bundle is only ever imported on demand, never when the module loads.
    const imports = Object.values(local.metafile?.outputs ?? {}).flatMap((output) => output.imports);
    const leftOut = imports.filter((entry) => entry.external && !entry.path.startsWith('node:'));
    expect(leftOut.length).toBeGreaterThan(0);
    for (const entry of leftOut) {
      expect(SDK_MODULES_LOADED_ON_DEMAND).toContain(entry.path);
      expect(entry.kind).toBe('dynamic-import');
    }
  });

  it('ships a package a function loads on demand beside its bundle, where the bundle finds it', async () => {
    const cloudAssembly = temporaryFolder();
    const stack = new Stack(new App({ outdir: cloudAssembly }), 'BesideBundleFixture');
    new PlatformFunction(stack, 'Runner', fixtureProps('services/matching/handlers/matching-runner.ts', ['highs']));
    const assets = readdirSync(cloudAssembly).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const staged = join(cloudAssembly, assets[0] as string);
    const bundle = readFileSync(join(staged, BUNDLE_FILE_NAME), 'utf8');
    // Left out of the bundle (the loader alone is ~170 KB): only the worker thread's module imports it,
    // and the bundle starts that worker, from the module beside it, on demand.
    expect(bundle).not.toMatch(/from\s*["']highs["']/);
    expect(bundle).not.toMatch(/import\(["']highs["']\)/);
    for (const file of PACKAGES_BESIDE_BUNDLE.highs?.packageFiles ?? []) {
      expect(readFileSync(join(staged, 'node_modules/highs', file)).length).toBeGreaterThan(0);
    }
    // The worker thread that runs it: its module beside the bundle, where the bundle looks for it.
    expect(bundle).toContain('new URL("./highs-mip-worker.mjs",import.meta.url)');
    expect(readFileSync(join(staged, 'highs-mip-worker.mjs'), 'utf8')).toBe(
      readFileSync(join(repositoryRoot, 'services/matching/adapters/highs-mip-worker.mjs'), 'utf8'),
    );
    // From the staged folder alone (as in the Lambda), the package loads and solves.
    const probe = runModuleIn(
      staged,
      "const highs = await (await import('highs')).default(); const r = highs.solve('Maximize\\n obj: x + y\\nSubject To\\n c: x + y <= 1\\nBinary\\n x\\n y\\nEnd'); console.log(r.Status, r.ObjectiveValue);",
    );
    expect(probe.stderr).toBe('');
    expect(probe.stdout.trim()).toBe('Optimal 1');
  }, 120_000);

  it('stages a function with a worker module beside its bundle as the local runtime builds it, and it runs from there alone', async () => {
    const [fn] = solverService.functions;
    if (!fn?.packagesBesideBundle) throw new Error('the fixture ships a package beside its bundle');
    const cloudAssembly = temporaryFolder();
    const stack = new Stack(new App({ outdir: cloudAssembly }), 'WorkerBesideBundleFixture');
    new PlatformFunction(stack, 'Solver', fixtureProps(fn.entry, fn.packagesBesideBundle));
    const assets = readdirSync(cloudAssembly).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const staged = join(cloudAssembly, assets[0] as string);

    const local = await buildFunctionBundle({
      repositoryRoot,
      entryPath: join(repositoryRoot, fn.entry),
      outdir: temporaryFolder(),
      packagesBesideBundle: fn.packagesBesideBundle,
    });
    const localFolder = dirname(local.file);
    const filesOf = (folder: string) =>
      readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((path) => statSync(join(folder, path)).isFile())
        .sort();
    const expected = [
      BUNDLE_FILE_NAME,
      `${BUNDLE_FILE_NAME}.map`,
      ...filesBesideBundle(fn.packagesBesideBundle).map((file) => file.to),
    ].sort();
    expect(filesOf(staged)).toEqual(expected);
    expect(filesOf(localFolder)).toEqual(expected);
    for (const path of expected.filter((path) => !path.endsWith('.map'))) {
      expect(readFileSync(join(localFolder, path)).equals(readFileSync(join(staged, path))), path).toBe(true);
    }
    expect(mappingsOf(`${local.file}.map`)).toEqual(mappingsOf(join(staged, `${BUNDLE_FILE_NAME}.map`)));

    // From the staged folder alone (as in the Lambda, no node_modules above it): HiGHS loads in the
    // worker beside the bundle, solves, and a solve past its deadline is stopped there.
    expect(relative(repositoryRoot, staged).startsWith('..')).toBe(true);
    const probe = runModuleIn(
      staged,
      "const { handler } = await import('./index.mjs'); console.log(JSON.stringify(await handler({ limitSeconds: 0.5 })));",
    );
    expect(probe.stderr).toBe('');
    const result = JSON.parse(probe.stdout.trim()) as {
      small: { status: string; values: number[] };
      hard: { status: string; seconds: number };
      hardStops: number;
    };
    expect(result.small).toMatchObject({ status: 'optimal', values: [0, 1] });
    expect(result.hard.status).toBe('limit');
    expect(result.hardStops).toBe(1);
    expect(result.hard.seconds).toBeGreaterThanOrEqual(0.5);
    expect(result.hard.seconds).toBeLessThan(1);
  }, 120_000);

  it('ships each package beside the bundle of every declared function that loads it, and of no other', async () => {
    const functions = allServices.flatMap((service) => service.functions);
    const entries = [...new Set(functions.map((fn) => fn.entry))];
    // All entries in one build (what each bundle leaves out is all this needs): a few seconds.
    const { outfile: _one, ...options } = esbuildOptionsFor({
      repositoryRoot,
      entryPath: join(repositoryRoot, entries[0] ?? ''),
      outdir: temporaryFolder(),
    });
    const outdir = temporaryFolder();
    const result = await build({
      ...options,
      entryPoints: entries.map((entry) => join(repositoryRoot, entry)),
      outdir,
      write: false,
      metafile: true,
      minify: false,
      sourcemap: false,
    });
    // A bundle uses a package when it imports it, or starts a worker from one of its worker modules.
    const uses = (output: string, imports: readonly { path: string; external?: boolean }[], name: string) =>
      imports.some((i) => i.external && i.path === name) ||
      (PACKAGES_BESIDE_BUNDLE[name]?.workerModules ?? []).some((module) =>
        readOutput(output).includes(`new URL("./${basename(module)}", import.meta.url)`),
      );
    const readOutput = (output: string) =>
      result.outputFiles.find((file) => file.path === join(repositoryRoot, output))?.text ?? '';
    const loadedBy = new Map(
      Object.entries(result.metafile.outputs).map(([output, { entryPoint, imports }]) => [
        entryPoint,
        Object.keys(PACKAGES_BESIDE_BUNDLE).filter((name) => uses(output, imports, name)),
      ]),
    );
    const declared = Object.fromEntries(functions.map((fn) => [fn.name, [...(fn.packagesBesideBundle ?? [])].sort()]));
    const loaded = Object.fromEntries(functions.map((fn) => [fn.name, (loadedBy.get(fn.entry) ?? []).sort()]));
    expect(declared).toEqual(loaded);
    expect(loaded['matching-runner']).toEqual(['highs']);
  }, 60_000);

  it('refuses a package that is not declared as one to ship beside a bundle', () => {
    const stack = new Stack(new App({ outdir: temporaryFolder() }), 'UnknownPackageFixture');
    expect(() => new PlatformFunction(stack, 'Relay', fixtureProps(entry, ['left-pad']))).toThrow(
      /left-pad is not one of the packages/,
    );
  });
});
