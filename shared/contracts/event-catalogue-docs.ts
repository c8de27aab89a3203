import { allServices } from '../../services/index';
import type { EventContract } from '../events/envelope';
import { eventCatalog } from './catalog';
import { eventJsonSchema, schemaFileName } from './json-schema';

const covers = (pattern: Record<string, unknown>, contract: EventContract): boolean => {
  const sources = pattern.source as string[] | undefined;
  const detailTypes = pattern['detail-type'] as string[] | undefined;
  return (!sources || sources.includes(contract.source)) && (!detailTypes || detailTypes.includes(contract.detailType));
};

/** Who consumes a contract, read from the subscriptions the services declare. */
const consumersOf = (contract: EventContract): string[] =>
  allServices.flatMap((service) =>
    service.subscriptions.filter((subscription) => covers(subscription.pattern, contract)).map(() => service.name),
  );

/** The files of docs/events/: path relative to that folder, and content. */
export const renderEventCatalogue = (): [string, string][] => {
  const rows = eventCatalog.map((contract) => {
    const producer = contract.source.startsWith('mentoring.')
      ? contract.source.slice('mentoring.'.length)
      : contract.source;
    const consumers = [...new Set(consumersOf(contract))].join(', ') || 'other departments';
    return `| \`${contract.detailType}\` | \`${contract.source}\` | ${producer} | ${consumers} | ${contract.version} | [schema](${schemaFileName(contract)}) | ${contract.description} |`;
  });
  const readme = [
    '# Event catalogue',
    '',
    'Generated from the zod contracts in `shared/contracts/` by `npm run docs:events`; a test fails when',
    'this folder is out of date. Every event travels on the platform bus with `detail` =',
    '`{ metadata: { id, version, occurredAt, correlationId, service }, data }`. Consumers deduplicate on',
    '`detail.metadata.id`. A breaking change is a new version (a new schema file); old versions stay.',
    '',
    'Subscribe with a rule such as',
    '`{ "source": ["mentoring.matching"], "detail-type": ["Person.Registered"], "detail": { "metadata": { "version": [1] } } }`.',
    '',
    '| detail-type | source | producer | consumers | version | schema | meaning |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  return [
    ['README.md', readme],
    ...eventCatalog.map((contract): [string, string] => [
      schemaFileName(contract),
      `${JSON.stringify(eventJsonSchema(contract), null, 2)}\n`,
    ]),
  ];
};
