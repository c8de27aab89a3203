/**
 * Holds a bus event against its published JSON Schema (docs/events/, what another department
 * reads), not against our zod contract: the schema is turned back into a validator on its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

const catalogue = join(import.meta.dirname, '..', '..', 'docs', 'events');

export interface PublishedEvent {
  source: string;
  detailType: string;
  detail: unknown;
}

/** What is wrong with the event per its published schema (empty when it conforms). */
export const publishedSchemaViolations = (event: PublishedEvent): string[] => {
  const version = (event.detail as { metadata?: { version?: number } }).metadata?.version;
  const file = join(catalogue, event.source, `${event.detailType}.v${version}.json`);
  const schema = z.fromJSONSchema(JSON.parse(readFileSync(file, 'utf8')));
  const parsed = schema.safeParse({ source: event.source, 'detail-type': event.detailType, detail: event.detail });
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};
