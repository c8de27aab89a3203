/**
 * Events as a subscriber in another department sees them: each is validated against the JSON
 * Schema published in the event catalogue (docs/events/), read from the file, with an
 * independent JSON Schema validator (Ajv, draft 2020-12, formats checked).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const catalogue = join(import.meta.dirname, '..', '..', 'docs', 'events');
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (instance: Ajv2020) => void)(ajv);
const validators = new Map<string, ValidateFunction>();

/** A whole EventBridge event: `source`, `detail-type`, `detail` `{ metadata, data }`. */
export interface PublishedEvent {
  source: string;
  'detail-type': string;
  detail: { metadata: { version: number } };
  [field: string]: unknown;
}

/** Throws (failing the test) unless the event matches its published schema. */
export const assertMatchesPublishedSchema = (event: PublishedEvent): void => {
  const file = join(catalogue, event.source, `${event['detail-type']}.v${event.detail.metadata.version}.json`);
  let validate = validators.get(file);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    validators.set(file, validate);
  }
  if (!validate(event)) {
    throw new Error(`${event['detail-type']} does not match ${file}: ${ajv.errorsText(validate.errors)}`);
  }
};
