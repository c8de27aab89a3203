/**
 * Writes docs/events/: one JSON Schema per event contract and a catalogue README.
 * `npm run docs:events` regenerates it; a test fails when the committed files are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderEventCatalogue } from '../shared/contracts/event-catalogue-docs';

const root = join(import.meta.dirname, '..', 'docs', 'events');
for (const [relativePath, content] of renderEventCatalogue()) {
  const path = join(root, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
console.log(`Event catalogue written to ${root}`);
