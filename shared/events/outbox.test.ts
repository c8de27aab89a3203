import { describe, expect, it } from 'vitest';
import { RosterImportSubmittedV1 } from '../contracts/matching-events';
import { fixedClock, sequentialIds } from '../ports';
import {
  OUTBOX_BATCH_MAX_BYTES,
  type OutboxBatchRecord,
  type OutboxRecord,
  outboxBytesBound,
  outboxEntriesOf,
  outboxItemCount,
  outboxRecordsOf,
  pendingEvent,
} from './outbox';

const origin = () => ({
  service: 'matching',
  correlationId: 'corr-1',
  clock: fixedClock('2026-11-30T10:00:00Z'),
  newId: sequentialIds('evt'),
});

/** An event of about `bytes` bytes (its submitter's name carries the bulk). */
const eventOf = (n: number, bytes = 100) =>
  pendingEvent(RosterImportSubmittedV1, {
    importId: `imp-${n}`,
    rows: n,
    submittedBy: 'x'.repeat(bytes),
    submittedAt: '2026-11-30T10:00:00.000Z',
  });

const idsOf = (records: (OutboxRecord | OutboxBatchRecord)[]) =>
  records.map((record) => outboxEntriesOf(record).map((entry) => JSON.parse(entry.detail).data.importId));

describe('outboxRecordsOf', () => {
  it('puts the events of one write in one item, in their order, each with its own id', () => {
    const records = outboxRecordsOf([eventOf(1), eventOf(2), eventOf(3)], origin());
    expect(records).toHaveLength(1);
    expect(records[0]?.pk).toBe('OUTBOX#evt-1');
    expect(idsOf(records)).toEqual([['imp-1', 'imp-2', 'imp-3']]);
    const entries = outboxEntriesOf(records[0] as OutboxBatchRecord);
    expect(entries.map((entry) => JSON.parse(entry.detail).metadata.id)).toEqual(['evt-1', 'evt-2', 'evt-3']);
    expect(entries[0]).toMatchObject({ source: 'mentoring.matching', detailType: 'RosterImport.Submitted' });
  });

  it('keeps a single event a plain record, as every other write makes it', () => {
    const [record] = outboxRecordsOf([eventOf(1)], origin());
    expect(record).toMatchObject({ pk: 'OUTBOX#evt-1', sk: 'EVENT', detailType: 'RosterImport.Submitted' });
    expect(outboxEntriesOf(record as OutboxRecord)).toHaveLength(1);
  });

  it('splits events that would pass the item size limit into several items, order kept', () => {
    const big = Math.floor(OUTBOX_BATCH_MAX_BYTES / 2.5);
    const events = [1, 2, 3, 4, 5].map((n) => eventOf(n, big));
    const records = outboxRecordsOf(events, origin());
    expect(idsOf(records)).toEqual([['imp-1', 'imp-2'], ['imp-3', 'imp-4'], ['imp-5']]);
    for (const record of records) expect(JSON.stringify(record).length).toBeLessThan(400 * 1024);
    // What a caller counts before making them is never less than what is made.
    expect(outboxItemCount(events.map(outboxBytesBound))).toBeGreaterThanOrEqual(records.length);
  });

  it('refuses an event its contract rejects, as a single write does', () => {
    const bad = pendingEvent(RosterImportSubmittedV1, { importId: 'imp-1' } as never);
    expect(() => outboxRecordsOf([eventOf(1), bad], origin())).toThrow();
  });
});
