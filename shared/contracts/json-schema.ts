import { z } from 'zod';
import { detailSchemaOf, type EventContract } from '../events/envelope';

/**
 * The JSON Schema of a whole EventBridge event of this contract (draft 2020-12), the form
 * published in the event catalogue and, in AWS, in the bus's schema registry.
 */
export const eventJsonSchema = (contract: EventContract): Record<string, unknown> => {
  const { $schema: _dropped, ...detail } = z.toJSONSchema(detailSchemaOf(contract), {
    io: 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://mentoring.example/events/${contract.source}/${contract.detailType}/v${contract.version}`,
    title: `${contract.detailType} v${contract.version}`,
    description: contract.description,
    type: 'object',
    required: ['source', 'detail-type', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      source: { const: contract.source },
      'detail-type': { const: contract.detailType },
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
