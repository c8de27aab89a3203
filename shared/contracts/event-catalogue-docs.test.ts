import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEventCatalogue } from './event-catalogue-docs';

describe('docs/events', () => {
  it('matches the contracts (run `npm run docs:events` after changing one)', () => {
    for (const [relativePath, content] of renderEventCatalogue()) {
      const committed = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'events', relativePath), 'utf8');
      expect(committed, relativePath).toBe(content);
    }
  });
});
