import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleError, createLocalBundler } from './bundles';

describe('local bundles (built like the deployed ones, cached by content)', () => {
  const repoRoot = mkdtempSync(join(tmpdir(), 'local-bundles-'));
  const cacheDir = join(repoRoot, 'cache');
  afterAll(() => rmSync(repoRoot, { recursive: true, force: true }));

  const write = (file: string, text: string) => writeFileSync(join(repoRoot, file), text);

  it('reuses a bundle until a file it was built from changes', async () => {
    write('greeting.ts', "export const greeting = 'hello';\n");
    write('handler.ts', "import { greeting } from './greeting';\nexport const handler = async () => greeting;\n");
    const bundler = createLocalBundler({ repoRoot, cacheDir });

    const first = await bundler.bundleOf('handler.ts');
    expect(first.fromCache).toBe(false);
    expect(readFileSync(first.file, 'utf8')).toContain('hello');
    expect(readFileSync(`${first.file}.map`, 'utf8')).toContain('greeting.ts');

    // Another process (a new `npm start`) finds it on disk.
    const again = await createLocalBundler({ repoRoot, cacheDir }).bundleOf('handler.ts');
    expect(again).toMatchObject({ fromCache: true, file: first.file });

    write('greeting.ts', "export const greeting = 'bonjour';\n");
    const changed = await bundler.bundleOf('handler.ts');
    expect(changed.fromCache).toBe(false);
    expect(readFileSync(changed.file, 'utf8')).toContain('bonjour');
    expect((await bundler.bundleOf('handler.ts')).fromCache).toBe(true);
  });

  it('gives concurrent builders of one entry the same, complete bundle', async () => {
    write('busy.ts', 'export const handler = async () => 42;\n');
    const bundles = await Promise.all(
      [1, 2, 3].map(() => createLocalBundler({ repoRoot, cacheDir }).bundleOf('busy.ts')),
    );
    expect(new Set(bundles.map((bundle) => bundle.file)).size).toBe(1);
    expect(readFileSync(bundles[0]?.file ?? '', 'utf8')).toContain('42');
  });

  it("names esbuild's errors, and whether a module could not be found", async () => {
    const bundler = createLocalBundler({ repoRoot, cacheDir });
    write('typo.ts', 'export const handler = async () => {;\n');
    write('lost.ts', "import { nothing } from './nowhere';\nexport const handler = async () => nothing;\n");

    await expect(bundler.bundleOf('typo.ts')).rejects.toMatchObject({
      name: 'BundleError',
      unresolved: false,
      message: expect.stringContaining('typo.ts:2'),
    });
    const lost = await bundler.bundleOf('lost.ts').catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(BundleError);
    expect(lost).toMatchObject({ unresolved: true, message: expect.stringContaining('./nowhere') });
  });
});
