import type * as z from '../zod';
import { type BusEvent, detailSchemaOf, type EventContract, type EventDetail } from './envelope';

/** The event does not match any contract the consumer accepts: retrying will not help. */
export class UnacceptableEventError extends Error {
  override readonly name = 'UnacceptableEventError';
}

export type ParsedEvent<TContracts extends readonly EventContract[]> = {
  [K in keyof TContracts]: TContracts[K] extends EventContract
    ? { contract: TContracts[K]; detail: EventDetail<TContracts[K]> & { data: z.infer<TContracts[K]['data']> } }
    : never;
}[number];

/**
 * Finds the contract an incoming bus event belongs to and validates its detail against it.
 * Consumers rethrow the error so the delivery is retried and then dead-lettered for a human.
 */
export const parseBusEvent = <const TContracts extends readonly EventContract[]>(
  event: BusEvent,
  contracts: TContracts,
): ParsedEvent<TContracts> => {
  const version = (event.detail as { metadata?: { version?: unknown } } | undefined)?.metadata?.version;
  const contract = contracts.find(
    (candidate) =>
      candidate.source === event.source &&
      candidate.detailType === event['detail-type'] &&
      candidate.version === version,
  );
  if (!contract) {
    throw new UnacceptableEventError(
      `No contract for ${event.source} ${event['detail-type']} version ${String(version)} (event ${event.id})`,
    );
  }
  const parsed = detailSchemaOf(contract).safeParse(event.detail);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new UnacceptableEventError(
      `Invalid ${contract.detailType} v${contract.version} (event ${event.id}): ${issues}`,
    );
  }
  return { contract, detail: parsed.data } as ParsedEvent<TContracts>;
};
