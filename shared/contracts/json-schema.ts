import { detailSchemaOf, type EventContract } from '../events/envelope';
import * as z from '../zod';

/**
 * `draft-2020-12` for the event catalogue in docs/; `draft-04` for the EventBridge schema
 * registry, which accepts only OpenAPI 3 and JSON Schema draft 4.
 */
export type JsonSchemaDraft = 'draft-2020-12' | 'draft-04';

const schemaUris: Record<JsonSchemaDraft, string> = {
  'draft-2020-12': 'https://json-schema.org/draft/2020-12/schema',
  'draft-04': 'http://json-schema.org/draft-04/schema#',
};

/** A field that holds exactly one string; draft 4 has no `const`, a one-value enum says the same. */
const constantOf = (value: string, draft: JsonSchemaDraft) =>
  draft === 'draft-04' ? { type: 'string', enum: [value] } : { const: value };

/**
 * The JSON Schema of a whole EventBridge event of this contract: the schema of what a
 * producer emits (zod's output side).
 */
export const eventJsonSchema = (
  contract: EventContract,
  draft: JsonSchemaDraft = 'draft-2020-12',
): Record<string, unknown> => {
  const { $schema: _dropped, ...detail } = z.toJSONSchema(detailSchemaOf(contract), {
    ...(draft === 'draft-04' ? { target: 'draft-04' as const } : {}),
    io: 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: schemaUris[draft],
    ...(draft === 'draft-2020-12'
      ? { $id: `https://mentoring.example/events/${contract.source}/${contract.detailType}/v${contract.version}` }
      : {}),
    title: `${contract.detailType} v${contract.version}`,
    description: contract.description,
    type: 'object',
    required: ['source', 'detail-type', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      source: constantOf(contract.source, draft),
      'detail-type': constantOf(contract.detailType, draft),
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail,
    },
  };
};

export const schemaFileName = (contract: EventContract): string =>
  `${contract.source}/${contract.detailType}.v${contract.version}.json`;

/**
 * `source@DetailType`, the schema registry's own naming (as its discovered schemas), plus the
 * version: a breaking change is a new version and the old schema stays beside it.
 */
export const registrySchemaNameOf = (contract: EventContract): string =>
  `${contract.source}@${contract.detailType}-v${contract.version}`;
