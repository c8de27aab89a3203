import type { ImportRowResult, PeopleRepository } from '../domain/people/directory';
import type { ImportJob, ImportJobRepository } from '../domain/people/roster-import';
import type { RecordedEvent } from './in-memory-people-repository';

/**
 * Import jobs in memory, with the DynamoDB repository's contract (a batch applies only at its
 * checkpoint, all of it or nothing), over the in-memory people repository. For handler tests.
 */
export const createInMemoryImportRepository = (people: PeopleRepository, published: RecordedEvent[]) => {
  const jobs = new Map<string, ImportJob>();
  const files = new Map<string, string>();
  const reports = new Map<string, ImportRowResult[]>();
  const repository: ImportJobRepository = {
    async submit(job, text, events, context) {
      if (jobs.has(job.importId)) return 'exists';
      jobs.set(job.importId, structuredClone(job));
      files.set(job.importId, text);
      published.push(...events.map((event) => ({ event, correlationId: context.correlationId })));
      return 'created';
    },
    get: async (importId) => structuredClone(jobs.get(importId)),
    file: async (importId) => files.get(importId) ?? '',
    async applyBatch(batch, context) {
      const stored = jobs.get(batch.job.importId);
      if (stored?.nextRow !== batch.from) return 'moved-on';
      // Each person write checks its own version and address (the batch is refused on the first that fails).
      for (const write of batch.writes) {
        await people.write({ ...write, events: [] }, context);
      }
      jobs.set(batch.job.importId, structuredClone(batch.job));
      reports.set(batch.job.importId, [...(reports.get(batch.job.importId) ?? []), ...structuredClone(batch.report)]);
      published.push(...batch.events.map((event) => ({ event, correlationId: context.correlationId })));
      return 'applied';
    },
    async rows(importId, { offset, limit }) {
      const rows = reports.get(importId) ?? [];
      return { items: structuredClone(rows.slice(offset, offset + limit)), total: rows.length };
    },
    stalled: async (before) =>
      [...jobs.values()]
        .filter((job) => job.status !== 'completed' && job.updatedAt < before)
        .map((job) => structuredClone(job)),
    async restart(job, events, context) {
      const stored = jobs.get(job.importId);
      if (!stored || stored.nextRow !== job.nextRow || stored.status === 'completed') return;
      published.push(...events.map((event) => ({ event, correlationId: context.correlationId })));
    },
  };
  return { repository, jobs };
};
