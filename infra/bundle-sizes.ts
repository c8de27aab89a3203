/**
 * Prints the size of every function's bundle: `npx tsx infra/bundle-sizes.ts`.
 *
 * It synthesizes the app (esbuild bundles each function exactly as for a deployment) into a
 * temporary cloud assembly and measures each function's asset folder. The gzip column
 * approximates the deployment package (a zip), the number Lambda's limits and cold starts
 * care about.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { functionKey } from '../shared/declaration';
import { cdkJsonContext, createPlatformApp } from './platform-app';

interface BundleSize {
  function: string;
  entry: string;
  bundleBytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const measureAssetFolder = (folder: string): Omit<BundleSize, 'function' | 'entry'> => {
  let bundleBytes = 0;
  let gzipBytes = 0;
  let sourceMapBytes = 0;
  for (const file of readdirSync(folder)) {
    const path = join(folder, file);
    const bytes = statSync(path).size;
    if (file.endsWith('.map')) {
      sourceMapBytes += bytes;
    } else {
      bundleBytes += bytes;
      gzipBytes += gzipSync(readFileSync(path)).length;
    }
  }
  return { bundleBytes, gzipBytes, sourceMapBytes };
};

export const measureBundleSizes = (): BundleSize[] => {
  const outdir = mkdtempSync(join(tmpdir(), 'mentoring-bundle-sizes-'));
  try {
    const { app, stack } = createPlatformApp({ outdir, context: cdkJsonContext() });
    app.synth();
    return stack.services.flatMap((service) =>
      service.service.functions.map((declaration) => {
        const fn = service.functionNamed(declaration.name, 'bundle-sizes');
        // The asset's S3 key is `<hash>.zip`; the staged folder is `asset.<hash>`.
        const code = stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key: string };
        const assetHash = code.s3Key.replace(/\.zip$/, '');
        return {
          function: functionKey(service.service, declaration),
          entry: declaration.entry,
          ...measureAssetFolder(join(outdir, `asset.${assetHash}`)),
        };
      }),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

const printTable = (sizes: BundleSize[]): void => {
  const rows = [...sizes]
    .sort((a, b) => b.bundleBytes - a.bundleBytes)
    .map((size) => [
      size.function,
      kilobytes(size.bundleBytes),
      kilobytes(size.gzipBytes),
      kilobytes(size.sourceMapBytes),
      size.entry,
    ]);
  const total = sizes.reduce((sum, size) => sum + size.bundleBytes, 0);
  const header = ['function', 'bundle (minified)', 'gzip (~zip)', 'source map', 'entry'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column >= 1 && column <= 3 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ');
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  console.log(`\n${sizes.length} functions, ${kilobytes(total)} of bundles in all.`);
};

printTable(measureBundleSizes());
