import type { EventPattern } from '../declaration';
import { defineBuiltOnFirstRead, lazySchema } from '../lazy-schema';
import * as z from '../zod';

/** Every event on the bus carries this envelope in `detail`: `{ metadata, data }`. */
export const EventMetadataSchema = lazySchema(() =>
  z.strictObject({
    /** Unique per event; consumers deduplicate on it. */
    id: z.string().check(z.minLength(1), z.maxLength(128)),
    /** Schema version of `data`; a breaking change is a new version, the old one stays. */
    version: z.int().check(z.minimum(1)),
    occurredAt: z.iso.datetime({ offset: true }),
    /** Carried from the request (or triggering event) that caused this event. */
    correlationId: z.string().check(z.minLength(1), z.maxLength(128)),
    /** The producing service (or external system, e.g. `hr.directory`). */
    service: z.string().check(z.minLength(1), z.maxLength(64)),
  }),
);
export type EventMetadata = z.infer<ReturnType<typeof EventMetadataSchema>>;

export interface EventContract<TData extends z.ZodMiniType = z.ZodMiniType> {
  source: string;
  detailType: string;
  version: number;
  description: string;
  data: TData;
}

/**
 * An event contract. Its `data` schema may be given as a function that builds it: it is then built
 * on first read (`lazySchema`), so a function builds only the schemas of the events it publishes or
 * consumes, not every contract of the modules it imports.
 */
export const defineEvent = <TData extends z.ZodMiniType>(
  contract: Omit<EventContract<TData>, 'data'> & { data: TData | (() => TData) },
): EventContract<TData> => {
  const { data, ...rest } = contract;
  if (typeof data !== 'function') return contract as EventContract<TData>;
  const defined = { ...rest } as EventContract<TData>;
  defineBuiltOnFirstRead(defined, 'data', data);
  return defined;
};

export const detailSchemaOf = <TData extends z.ZodMiniType>(contract: EventContract<TData>) =>
  z.strictObject({
    metadata: z.extend(EventMetadataSchema(), { version: z.literal(contract.version) }),
    data: contract.data,
  });

export type EventDetail<TContract extends EventContract> = {
  metadata: EventMetadata;
  data: z.infer<TContract['data']>;
};

/** The rule pattern that selects exactly the events of these contracts (and their versions). */
export const patternFor = (...contracts: readonly EventContract[]): EventPattern => {
  const sources = [...new Set(contracts.map((contract) => contract.source))];
  const detailTypes = [...new Set(contracts.map((contract) => contract.detailType))];
  const versions = [...new Set(contracts.map((contract) => contract.version))];
  return {
    source: sources,
    'detail-type': detailTypes,
    detail: { metadata: { version: versions } },
  };
};

/** An event as EventBridge delivers it to a Lambda target. */
export interface BusEvent<TDetail = unknown> {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}
