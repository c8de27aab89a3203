import type { BusEvent, EventContract } from '../../shared/events/envelope';
import type * as z from '../../shared/zod';

let sequence = 0;

/**
 * An EventBridge event carrying a contract's envelope, as a rule target receives it. Each event
 * built happened a second after the one before (unless `occurredAt` says otherwise).
 */
export const busEvent = <TContract extends EventContract>(
  contract: TContract,
  data: z.infer<TContract['data']>,
  metadata: { id?: string; correlationId?: string; occurredAt?: string } = {},
): BusEvent => ({
  version: '0',
  id: `eb-${++sequence}`,
  'detail-type': contract.detailType,
  source: contract.source,
  account: '000000000000',
  time: '2026-11-24T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    metadata: {
      id: metadata.id ?? `evt-${sequence}`,
      version: contract.version,
      occurredAt: metadata.occurredAt ?? new Date(Date.parse('2026-11-24T10:00:00Z') + sequence * 1000).toISOString(),
      correlationId: metadata.correlationId ?? `corr-${sequence}`,
      service: contract.source,
    },
    data,
  },
});
