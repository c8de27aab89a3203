import { z } from 'zod';
import { detailSchemaOf, type EventContract } from '../shared/events/envelope';

/**
 * The EventBridge schema registry accepts OpenAPI 3 and JSON Schema draft 4 only, so the
 * registry's copy of a contract is generated for draft 4 (the event catalogue in docs/ keeps
 * draft 2020-12). Same options as the catalogue otherwise: the schema of what a producer emits.
 */
export const registrySchemaOf = (contract: EventContract): Record<string, unknown> => {
  const { $schema: _dropped, ...detail } = z.toJSONSchema(detailSchemaOf(contract), {
    target: 'draft-04',
    io: 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: `${contract.detailType} v${contract.version}`,
    description: contract.description,
    type: 'object',
    required: ['source', 'detail-type', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      // Draft 4 has no `const`: a one-value enum says the same.
      source: { type: 'string', enum: [contract.source] },
      'detail-type': { type: 'string', enum: [contract.detailType] },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail,
    },
  };
};

/**
 * `source@DetailType`, the registry's own naming (as its discovered schemas), plus the
 * version: a breaking change is a new version and the old schema stays beside it.
 */
export const registrySchemaNameOf = (contract: EventContract): string =>
  `${contract.source}@${contract.detailType}-v${contract.version}`;
