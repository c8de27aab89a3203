/**
 * The local runtime runs the very bundles `cdk synth` deploys: each entry is bundled with the
 * options of infra/bundling.ts, so what a developer runs is what AWS runs (and a bundle
 * initialises in a fraction of the time it takes to compile its TypeScript graph on the fly).
 *
 * Bundles are cached on disk by content, under `node_modules/.cache/` (inside the repository,
 * so the few modules a bundle leaves out resolve from node_modules, as in AWS from the runtime).
 * A function's folder also holds what its declaration ships beside its bundle (`packagesBesideBundle`:
 * the package's files and the worker modules that run it), copied as `cdk synth` copies them.
 * A cached bundle is reused while its fingerprint (bundling options, esbuild version, installed
 * packages, tsconfig) and the content of every repository file it was built from are unchanged;
 * checking that hashes a few hundred kilobytes of sources, a few milliseconds. Anything else
 * rebuilds it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version as esbuildVersion, type Metafile } from 'esbuild';
import { BUNDLE_FILE_NAME, buildFunctionBundle, filesBesideBundle } from '../infra/bundling';
import { REPO_ROOT } from './paths';

export const LOCAL_BUNDLE_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'mentoring-local-bundles');

export interface LocalBundle {
  /** Absolute path of the bundle (`index.mjs`, its source map beside it). */
  file: string;
  fromCache: boolean;
  /** Time to find or build it. */
  ms: number;
}

/** An entry that does not bundle: esbuild's messages, and whether a module could not be found. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(
    message: string,
    readonly unresolved: boolean,
  ) {
    super(message);
  }
}

export interface LocalBundler {
  /**
   * The bundle of an entry (relative to the repository root), in a folder with the files of the packages
   * it ships beside it (its declaration's `packagesBesideBundle`), as `cdk synth` stages it: from the
   * cache if still valid, else built.
   */
  bundleOf(entry: string, packagesBesideBundle?: readonly string[]): Promise<LocalBundle>;
}

export interface LocalBundlerOptions {
  repoRoot?: string;
  cacheDir?: string;
}

interface Manifest {
  fingerprint: string;
  /** Content hash of every repository file (not node_modules) the bundle was built from or ships beside it. */
  inputs: Record<string, string>;
  /** Folder (in the cache) holding the bundle. */
  folder: string;
}

/** Older bundles of an entry (and staging folders left by a crash) are deleted after this long. */
const STALE_AFTER_MS = 10 * 60_000;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const readIfExists = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));

/** Write to a temporary name, then rename: a reader never sees half a file. */
const writeAtomically = (path: string, content: string) => {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
};

export const createLocalBundler = (options: LocalBundlerOptions = {}): LocalBundler => {
  const repoRoot = resolve(options.repoRoot ?? REPO_ROOT);
  const cacheDir = resolve(options.cacheDir ?? LOCAL_BUNDLE_CACHE_DIR);
  // How bundles are built (the options and this cache's own code), with what esbuild, from which
  // installed packages (npm rewrites node_modules/.package-lock.json whenever they change).
  const fingerprint = sha256(
    JSON.stringify({
      bundling: sha256(readFileSync(fileURLToPath(new URL('../infra/bundling.ts', import.meta.url)))),
      bundles: sha256(readFileSync(fileURLToPath(import.meta.url))),
      esbuild: esbuildVersion,
      installed: sha256(readIfExists(join(repoRoot, 'node_modules', '.package-lock.json'))),
      tsconfig: sha256(readIfExists(join(repoRoot, 'tsconfig.json'))),
    }),
  );
  const inFlight = new Map<string, Promise<LocalBundle>>();

  const hashOf = (path: string) => {
    try {
      return sha256(readFileSync(join(repoRoot, path)));
    } catch {
      return 'missing';
    }
  };

  const cached = (manifestFile: string): string | undefined => {
    if (!existsSync(manifestFile)) return undefined;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (manifest.fingerprint !== fingerprint) return undefined;
    const file = join(cacheDir, manifest.folder, BUNDLE_FILE_NAME);
    if (!existsSync(file)) return undefined;
    const unchanged = Object.entries(manifest.inputs).every(([path, hash]) => hashOf(path) === hash);
    return unchanged ? file : undefined;
  };

  /** Another platform may still be starting a worker from a recent one: only old folders go. */
  const removeStale = (entryKey: string, current: string) => {
    for (const name of readdirSync(cacheDir)) {
      if (!name.startsWith(`${entryKey}-`) || name === current || name.endsWith('.json')) continue;
      const path = join(cacheDir, name);
      if (Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    }
  };

  const build = async (entry: string, entryKey: string, packagesBesideBundle: readonly string[]): Promise<string> => {
    const staging = join(cacheDir, `${entryKey}-building-${process.pid}-${randomBytes(4).toString('hex')}`);
    let metafile: Metafile | undefined;
    try {
      ({ metafile } = await buildFunctionBundle({
        repositoryRoot: repoRoot,
        entryPath: join(repoRoot, entry),
        outdir: staging,
        metafile: true,
        packagesBesideBundle,
      }));
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      const messages = (error as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors;
      if (!messages) throw error;
      throw new BundleError(
        messages
          .map((message) =>
            message.location ? `${message.location.file}:${message.location.line}: ${message.text}` : message.text,
          )
          .join('\n'),
        messages.some((message) => message.text.startsWith('Could not resolve')),
      );
    }
    const besideBundle = filesBesideBundle(packagesBesideBundle);
    const inputs = Object.fromEntries(
      [...Object.keys(metafile?.inputs ?? {}), ...besideBundle.map((file) => file.from)]
        .filter((path) => !path.includes('node_modules/'))
        .map((path) => [path, hashOf(path)]),
    );
    // Named by content (the bundle and every file beside it), and renamed into place whole: of concurrent
    // builders (test files in parallel), the first to finish puts the folder there; the others' are identical.
    const content = createHash('sha256').update(readFileSync(join(staging, BUNDLE_FILE_NAME)));
    for (const file of besideBundle) content.update(file.to).update(readFileSync(join(staging, file.to)));
    const folder = `${entryKey}-${content.digest('hex').slice(0, 16)}`;
    try {
      renameSync(staging, join(cacheDir, folder));
    } catch (error) {
      if (!existsSync(join(cacheDir, folder, BUNDLE_FILE_NAME))) throw error;
      rmSync(staging, { recursive: true, force: true });
    }
    writeAtomically(
      join(cacheDir, `${entryKey}.json`),
      JSON.stringify({ fingerprint, inputs, folder } satisfies Manifest),
    );
    removeStale(entryKey, folder);
    return join(cacheDir, folder, BUNDLE_FILE_NAME);
  };

  /** One bundle per entry and packages beside it (the same file may be declared without them). */
  const keyOf = (entry: string, packagesBesideBundle: readonly string[]) =>
    packagesBesideBundle.length ? `${entry}\0${packagesBesideBundle.join(',')}` : entry;

  const bundleOf = async (entry: string, packagesBesideBundle: readonly string[]): Promise<LocalBundle> => {
    const started = performance.now();
    mkdirSync(cacheDir, { recursive: true });
    const key = keyOf(entry, packagesBesideBundle);
    const entryKey = `${entry.replace(/\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${sha256(key).slice(0, 8)}`;
    const reused = cached(join(cacheDir, `${entryKey}.json`));
    const file = reused ?? (await build(entry, entryKey, packagesBesideBundle));
    return { file, fromCache: reused !== undefined, ms: Math.round(performance.now() - started) };
  };

  return {
    // Not memoised: a new execution environment (after a timeout or a crash) runs the current code.
    bundleOf: (entry, packagesBesideBundle = []) => {
      const key = keyOf(entry, packagesBesideBundle);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = bundleOf(entry, packagesBesideBundle).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
};
