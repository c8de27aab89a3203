import type { Context } from 'aws-lambda';
import { RosterImportSubmittedV1 } from '../../../shared/contracts/matching-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { continueLater, type ImportDependencies, processImport } from '../domain/people/roster-import';

/** Time kept back at the end of an invocation: a batch is never cut short by Lambda's timeout. */
const SAFETY_MARGIN_MS = 60_000;

/**
 * The roster import worker (RosterImport.Submitted, our own event): applies the job's rows from
 * its checkpoint, batch after batch. When its invocation nears its end it stops between batches
 * and sets the job going again (the next invocation carries on); a crash is retried by Lambda
 * from the checkpoint, and the commit sweeper restarts a job nobody moves any more.
 */
export const createRosterImportWorker =
  (deps: ImportDependencies) =>
  async (event: BusEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    const parsed = parseBusEvent(event, [RosterImportSubmittedV1] as const);
    const { metadata, data } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id, importId: data.importId });
    const started = Date.now();
    const writeContext = { correlationId: metadata.correlationId };
    const job = await processImport(deps, data.importId, writeContext, {
      stopBefore: () => (context ? context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS : false),
    });
    if (job && job.status !== 'completed') await continueLater(deps, job, writeContext);
    logger.info('Roster import worked on', {
      importId: data.importId,
      status: job?.status ?? 'unknown-import',
      applied: job?.nextRow,
      rows: job?.rows,
      durationMs: Date.now() - started,
    });
  };
