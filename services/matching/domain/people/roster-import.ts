/**
 * Roster imports as jobs. POST /people/imports stores the file and answers at once; a worker
 * applies its rows in batches, each batch one transaction with its events, its report and the
 * job's checkpoint, so a crash half-way resumes exactly where it stopped and a batch is never
 * applied twice. A job's id is the file's hash: the same file again is the same job (a no-op).
 */
import { createHash } from 'node:crypto';
import { RosterImportCompletedV1, RosterImportSubmittedV1 } from '../../../../shared/contracts/matching-events';
import { outboxBytesBound, outboxItemCount, type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import {
  checkReferences,
  type DirectoryDependencies,
  type ImportRowResult,
  type PersonWrite,
  rowRefusal,
  type WriteContext,
  writeOf,
} from './directory';
import { ConcurrentModificationError, DuplicateEmailError } from './errors';
import type { StoredPerson } from './person';
import { applyPersonInput, type PersonChange, rehirePerson } from './person-changes';
import { inspectRoster, type RosterRow, readRoster } from './roster-csv';

export type ImportStatus = 'queued' | 'running' | 'completed';

export interface ImportCounts {
  created: number;
  updated: number;
  rehired: number;
  unchanged: number;
  rejected: number;
}

export interface ImportJob {
  importId: string;
  status: ImportStatus;
  /** SHA-256 of the file's text (the job's identity). */
  fileHash: string;
  fileBytes: number;
  rows: number;
  /** Rows applied so far: the job resumes from here. */
  nextRow: number;
  counts: ImportCounts;
  /** The first rejected rows, for a glance (every row is in the paged report). */
  rejectedSample: ImportRowResult[];
  submittedBy: string;
  submittedAt: string;
  updatedAt: string;
  completedAt?: string;
}

/** One batch: its rows' writes, their report and the checkpoint that moves the job past them. */
export interface ImportBatch {
  job: ImportJob;
  from: number;
  to: number;
  writes: PersonWrite[];
  report: ImportRowResult[];
  events: PendingEvent[];
}

export interface ImportJobRepository {
  /** Stores the file and the job (with its events) unless a job of this file exists: then `exists`. */
  submit(job: ImportJob, text: string, events: PendingEvent[], context: WriteContext): Promise<'created' | 'exists'>;
  get(importId: string): Promise<ImportJob | undefined>;
  file(importId: string): Promise<string>;
  /**
   * Applies one batch atomically: every write with its events, the batch's report, and the
   * checkpoint (only while the job is still at `from`). `moved-on`: another worker applied it.
   * Throws ConcurrentModificationError or DuplicateEmailError naming the person whose write failed.
   */
  applyBatch(batch: ImportBatch, context: WriteContext): Promise<'applied' | 'moved-on'>;
  /** The report, row by row, from `offset`. */
  rows(
    importId: string,
    slice: { offset: number; limit: number },
  ): Promise<{ items: ImportRowResult[]; total: number }>;
  /** Unfinished jobs not moved on since `before` (their worker died): for the sweeper. */
  stalled(before: string): Promise<ImportJob[]>;
  /** Sets a stalled job going again (its Submitted event once more). */
  restart(job: ImportJob, events: PendingEvent[], context: WriteContext): Promise<void>;
}

export interface ImportDependencies extends DirectoryDependencies {
  imports: ImportJobRepository;
}

const emptyCounts = (): ImportCounts => ({ created: 0, updated: 0, rehired: 0, unchanged: 0, rejected: 0 });

export const fileHashOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64url');

/** The job id of a file: its hash, short and URL-safe. */
export const importIdOf = (text: string): string => `imp-${fileHashOf(text).slice(0, 32)}`;

const submitted = (job: ImportJob) =>
  pendingEvent(RosterImportSubmittedV1, {
    importId: job.importId,
    rows: job.rows,
    submittedBy: job.submittedBy,
    submittedAt: job.submittedAt,
  });

/**
 * POST /people/imports: checks the file is a roster (header, size), stores it and its job, and
 * sets the worker going (RosterImport.Submitted). The same file again finds its job: nothing new
 * happens (`created: false`).
 */
export const submitImport = async (
  deps: ImportDependencies,
  text: string,
  submittedBy: string,
  context: WriteContext,
): Promise<{ job: ImportJob; created: boolean }> => {
  const { rows } = inspectRoster(text);
  const now = deps.clock().toISOString();
  const job: ImportJob = {
    importId: importIdOf(text),
    status: 'queued',
    fileHash: fileHashOf(text),
    fileBytes: Buffer.byteLength(text),
    rows,
    nextRow: 0,
    counts: emptyCounts(),
    rejectedSample: [],
    submittedBy,
    submittedAt: now,
    updatedAt: now,
  };
  if ((await deps.imports.submit(job, text, [submitted(job)], context)) === 'created') return { job, created: true };
  const existing = await deps.imports.get(job.importId);
  if (!existing) throw new Error(`Import ${job.importId} exists but cannot be read`);
  return { job: existing, created: false };
};

/**
 * A batch is one transaction: DynamoDB takes 100 items, of which the report and the checkpoint
 * take 2 and the batch's events (the completion event included) as few outbox items as they fit
 * in (usually one: shared/events/outbox.ts). Rows are added while their writes fit (a new person
 * is 3 items: profile, address, name index; an unchanged or rejected row none), up to this many
 * rows.
 */
export const ROWS_PER_BATCH = 49;
const TRANSACTION_ITEMS = 100 - 2;
const REJECTED_SAMPLE = 50;

/** The items a person write takes in a transaction (as the repository builds it), its events apart. */
const itemsOf = (write: PersonWrite): number => {
  const emailChanged = !write.before || write.before.email.toLowerCase() !== write.person.email.toLowerCase();
  const nameChanged = !write.before || write.before.name !== write.person.name;
  return 1 + (emailChanged ? (write.before ? 2 : 1) : 0) + (nameChanged ? 1 : 0);
};

const outcomeOf = (change: PersonChange): ImportRowResult['outcome'] => {
  if (change.kind === 'registered') return change.cause === 'rehired' ? 'rehired' : 'created';
  return change.kind === 'unchanged' ? 'unchanged' : 'updated';
};

const completed = (importId: string, rows: number, counts: ImportCounts) =>
  pendingEvent(RosterImportCompletedV1, { importId, rows, counts });

/** A batch decided and ready to write: rows [from, to), the writes of those that land, their report. */
interface DecidedBatch {
  from: number;
  to: number;
  rows: RosterRow[];
  writes: PersonWrite[];
  report: ImportRowResult[];
}

interface ImportContext {
  rows: RosterRow[];
  known: ReadonlySet<string>;
  domains: Awaited<ReturnType<ImportDependencies['programme']['domains']>>;
  /** Rows refused when their write met an address someone else has (found only by writing). */
  refusedAtWrite: Map<number, string>;
  /** Room kept for the completion event in every batch (any batch may turn out to be the last). */
  completionBytes: number;
}

/** Reads the people of the rows from `from` (one BatchGetItem) and decides each row, while the batch fits. */
const decideBatch = async (deps: ImportDependencies, from: number, context: ImportContext): Promise<DecidedBatch> => {
  let to = Math.min(from + ROWS_PER_BATCH, context.rows.length);
  let batch = context.rows.slice(from, to);
  const existing = await deps.people.getMany(batch.flatMap((row) => (row.ok ? [row.personId] : [])));
  const writes: PersonWrite[] = [];
  const report: ImportRowResult[] = [];
  const now = deps.clock();
  // A transaction may touch an item once: a batch ends before a row whose write meets an address
  // an earlier row of the batch gives up or takes (two people swapping addresses).
  const addresses = new Set<string>();
  let items = 0;
  const eventBytes: number[] = [];
  for (const [offset, row] of batch.entries()) {
    const decided = await decideRow(deps, row, from + offset, existing, { ...context, now, writes });
    const wrote = decided.outcome !== 'rejected' && decided.outcome !== 'unchanged';
    const write = wrote ? writes.at(-1) : undefined;
    const touched = write ? addressesOf(write) : [];
    const more = write ? itemsOf(write) : 0;
    const sizes = write ? write.events.map(outboxBytesBound) : [];
    const outboxItems = outboxItemCount([...eventBytes, ...sizes, context.completionBytes]);
    const full = items + more + outboxItems > TRANSACTION_ITEMS;
    if (offset > 0 && (full || touched.some((address) => addresses.has(address)))) {
      if (write) writes.pop();
      to = from + offset;
      batch = batch.slice(0, offset);
      break;
    }
    items += more;
    eventBytes.push(...sizes);
    for (const address of touched) addresses.add(address);
    report.push(decided);
  }
  return { from, to, rows: batch, writes, report };
};

/**
 * The worker (RosterImport.Submitted): applies the job's rows from its checkpoint, a batch at a
 * time, each batch with its events, its report and the checkpoint in one transaction. A row that
 * breaks a rule (an unknown domain or manager, an address someone else has, a leaver without
 * `rehire`) is rejected with its line and reason; the others land. Safe to run twice at once or
 * again after a crash: a batch applies only at its checkpoint. `stopBefore` (a deadline) makes
 * it return early, the job unfinished, for the next invocation to carry on.
 *
 * While a batch is written, the next one is read and decided: its people are others (a person is
 * on one line only), and a write that meets a change made meanwhile fails its condition and is
 * decided again, so this only overlaps the reads with DynamoDB's work on the previous write.
 */
export const processImport = async (
  deps: ImportDependencies,
  importId: string,
  context: WriteContext,
  options: { stopBefore?: () => boolean } = {},
): Promise<ImportJob | undefined> => {
  let job = await deps.imports.get(importId);
  if (!job || job.status === 'completed') return job;
  const rows = readRoster(await deps.imports.file(importId));
  const domains = await deps.programme.domains();
  // Managers the file refers to: in the file itself, or already in the directory.
  const inFile = new Set(rows.flatMap((row) => (row.personId ? [row.personId] : [])));
  const outside = [
    ...new Set(
      rows.flatMap((row) =>
        row.ok && row.input.managerId && !inFile.has(row.input.managerId) ? [row.input.managerId] : [],
      ),
    ),
  ];
  const known = new Set([...inFile, ...(await deps.people.getMany(outside)).keys()]);
  const importContext: ImportContext = {
    rows,
    known,
    domains,
    refusedAtWrite: new Map(),
    completionBytes: outboxBytesBound(completed(importId, job.rows, job.counts)),
  };
  let ahead: { from: number; batch: Promise<DecidedBatch> } | undefined;

  while (job.nextRow < job.rows) {
    if (options.stopBefore?.()) return job;
    const from = job.nextRow;
    const {
      to,
      rows: batch,
      writes,
      report,
    } = ahead?.from === from ? await ahead.batch : await decideBatch(deps, from, importContext);
    ahead = undefined;
    const counts = { ...job.counts };
    for (const row of report) counts[row.outcome] += 1;
    const done = to >= job.rows;
    const now = deps.clock();
    const next: ImportJob = {
      ...job,
      status: done ? 'completed' : 'running',
      nextRow: to,
      counts,
      rejectedSample: [...job.rejectedSample, ...report.filter((row) => row.outcome === 'rejected')].slice(
        0,
        REJECTED_SAMPLE,
      ),
      updatedAt: now.toISOString(),
      ...(done ? { completedAt: now.toISOString() } : {}),
    };
    const events = [
      ...writes.flatMap((write) => write.events),
      ...(done ? [completed(importId, job.rows, counts)] : []),
    ];
    if (!done) {
      const decided = decideBatch(deps, to, importContext);
      // Awaited when its turn comes; a batch read ahead and never used must not fail the process.
      decided.catch(() => undefined);
      ahead = { from: to, batch: decided };
    }
    try {
      const outcome = await deps.imports.applyBatch({ job: next, from, to, writes, report, events }, context);
      if (outcome === 'moved-on') {
        job = (await deps.imports.get(importId)) ?? job;
        continue;
      }
      job = next;
    } catch (error) {
      // Someone changed a person of the batch meanwhile: decide the batch again on fresh data.
      if (error instanceof ConcurrentModificationError) continue;
      if (!(error instanceof DuplicateEmailError)) throw error;
      // An address taken by someone outside the batch: that row is refused, the batch retried without it.
      const index = batch.findIndex((row) => row.ok && row.input.email.toLowerCase() === error.email.toLowerCase());
      if (index < 0 || importContext.refusedAtWrite.has(from + index)) throw error;
      importContext.refusedAtWrite.set(from + index, `email: ${error.message}`);
    }
  }
  return job;
};

/** One row's outcome; a row that lands adds its write to `writes`. */
const decideRow = async (
  deps: ImportDependencies,
  row: RosterRow,
  index: number,
  existing: ReadonlyMap<string, StoredPerson>,
  context: {
    known: ReadonlySet<string>;
    domains: ImportContext['domains'];
    now: Date;
    refusedAtWrite: ReadonlyMap<number, string>;
    writes: PersonWrite[];
  },
): Promise<ImportRowResult> => {
  if (!row.ok) {
    return {
      line: row.line,
      outcome: 'rejected',
      errors: row.errors,
      ...(row.personId ? { personId: row.personId } : {}),
    };
  }
  const refused = context.refusedAtWrite.get(index);
  if (refused) return { line: row.line, personId: row.personId, outcome: 'rejected', errors: [refused] };
  const stored = existing.get(row.personId);
  try {
    await checkReferences(deps, row.personId, row.input, stored, { knownIds: context.known, domains: context.domains });
    const change =
      row.rehire && stored?.status === 'offboarded'
        ? rehirePerson(stored, row.input, context.now)
        : applyPersonInput(stored, row.personId, row.input, context.now);
    if (change.kind !== 'unchanged') context.writes.push(writeOf(change));
    return { line: row.line, personId: row.personId, outcome: outcomeOf(change) };
  } catch (error) {
    const refusal = rowRefusal(error);
    if (refusal === undefined) throw error;
    return { line: row.line, personId: row.personId, outcome: 'rejected', errors: [refusal] };
  }
};

/** The addresses a write claims or gives up. */
const addressesOf = (write: PersonWrite): string[] => [
  ...new Set([write.person.email, ...(write.before ? [write.before.email] : [])].map((email) => email.toLowerCase())),
];

/** A job the worker stopped short (its time ran out): the next invocation carries on from the checkpoint. */
export const continueLater = (deps: Pick<ImportDependencies, 'imports'>, job: ImportJob, context: WriteContext) =>
  deps.imports.restart(job, [submitted(job)], context);

/** Jobs whose worker stopped (a crash, a timeout after its retries): set going again, from their checkpoint. */
export const restartStalledImports = async (
  deps: Pick<ImportDependencies, 'imports' | 'clock'>,
  stalledAfterMs: number,
  context: WriteContext,
): Promise<string[]> => {
  const before = new Date(deps.clock().getTime() - stalledAfterMs).toISOString();
  const stalled = await deps.imports.stalled(before);
  for (const job of stalled) await deps.imports.restart(job, [submitted(job)], context);
  return stalled.map((job) => job.importId);
};

export { ConcurrentModificationError };
