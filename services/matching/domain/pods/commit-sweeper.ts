import type { WriteContext } from '../people/directory';
import { restartStalledImports } from '../people/roster-import';
import { CommitAbortedError, CommitInProgressError } from './errors';
import { commitRun } from './matching-runs';
import { applyDeferredOffboardings, type DeferredOffboardingOutcome } from './offboarding';
import type { PairingDependencies } from './ports';
import { fillFreedPlaces, type RematchOutcome, rematchLeftBehind, waitingDomains } from './rematch';

/**
 * Lambda ends every invocation after at most 15 minutes, and every commit runs in a Lambda (the
 * API's in 29 s). A commit slot taken longer ago than this has no live process applying it:
 * its commit was interrupted (a crash, a timeout) and is abandoned. The same age marks a
 * pending re-match as left behind by whoever queued it.
 */
export const ABANDONED_AFTER_MS = 15 * 60 * 1000;

/** A run still computing (or a commit still waiting to start) this long after it was asked for never will. */
export const STALE_RUN_AFTER_MS = 20 * 60 * 1000;

export interface SweepOutcome {
  /** The run holding the slot: left alone while fresh, else finished (or aborted on a conflict). */
  commit: { runId: string; outcome: 'in-progress' | 'finished' | 'aborted' } | null;
  offboardings: DeferredOffboardingOutcome[];
  rematched: RematchOutcome[];
  /** Runs marked failed: their runner died (or timed out) even after its retries. */
  failedRuns?: string[];
  /** Roster imports set going again: nobody had moved them on for a while. */
  restartedImports?: string[];
}

/** An import not moved on for this long has no worker left (a batch takes seconds). */
export const STALLED_IMPORT_AFTER_MS = 10 * 60 * 1000;

/**
 * The commit sweeper (a schedule, every few minutes): finishes an abandoned commit the way
 * committing the same run again does (applied steps are skipped), then does what waited for the
 * slot or was left behind: deferred offboardings, and mentees still waiting for an immediate
 * re-match. A commit still within a Lambda's lifetime is left alone, and so is everything else
 * while it holds the slot: it does that work itself when it frees the slot.
 */
export const sweepCommitSlot = async (deps: PairingDependencies, context: WriteContext): Promise<SweepOutcome> => {
  const idle: Omit<SweepOutcome, 'commit'> = { offboardings: [], rematched: [] };
  const now = deps.clock().getTime();
  const failedRuns = await failStaleRuns(deps, now);
  const restartedImports = deps.imports
    ? await restartStalledImports({ imports: deps.imports, clock: deps.clock }, STALLED_IMPORT_AFTER_MS, context)
    : [];
  const state = await deps.pairings.matchingState();
  let commit: SweepOutcome['commit'] = null;
  if (state.committingRunId) {
    const runId = state.committingRunId;
    // A slot without a start time cannot be told apart from an abandoned one.
    const heldFor = state.commitStartedAt ? now - Date.parse(state.commitStartedAt) : Number.POSITIVE_INFINITY;
    if (heldFor <= ABANDONED_AFTER_MS) return { commit: { runId, outcome: 'in-progress' }, ...idle };
    try {
      await commitRun(deps, runId, context);
      commit = { runId, outcome: 'finished' };
    } catch (error) {
      // Aborted: the slot is free (applied pods stay whole). In progress: someone else finished
      // it and another run has taken the slot since; that run does the rest when it ends.
      if (error instanceof CommitInProgressError) return { commit: { runId, outcome: 'in-progress' }, ...idle };
      if (!(error instanceof CommitAbortedError)) throw error;
      commit = { runId, outcome: 'aborted' };
    }
  }
  const offboardings = await applyDeferredOffboardings(deps);
  const rematched = await rematchLeftBehind(deps, new Date(now - ABANDONED_AFTER_MS).toISOString());
  // Mentees waiting for a place take any a change freed without calling for them (a safety net:
  // the places are normally taken the moment a pod frees them).
  for (const domain of waitingDomains(await deps.pairings.allWaiting())) {
    rematched.push(...(await fillFreedPlaces(deps, domain, context)).filter((outcome) => outcome.placed));
  }
  return {
    commit,
    offboardings,
    rematched,
    ...(failedRuns.length > 0 ? { failedRuns } : {}),
    ...(restartedImports.length > 0 ? { restartedImports } : {}),
  };
};

/** Marks runs whose computation (or requested commit) never started or finished as failed, saying so. */
const failStaleRuns = async (deps: PairingDependencies, now: number): Promise<string[]> => {
  const failed: string[] = [];
  const { items } = await deps.runs.list({ limit: 50 });
  for (const run of items) {
    const askedAt =
      run.status === 'commit-requested' && 'commitRequestedAt' in run ? run.commitRequestedAt : run.createdAt;
    if ((run.status !== 'queued' && run.status !== 'commit-requested') || !askedAt) continue;
    if (now - Date.parse(askedAt) <= STALE_RUN_AFTER_MS) continue;
    const what = run.status === 'queued' ? 'computation' : 'commit';
    await deps.runs.markFailed(
      run.runId,
      `The run's ${what} did not finish within ${STALE_RUN_AFTER_MS / 60_000} minutes (its function failed or timed out, even after retries); ask for the run again.`,
      new Date(now).toISOString(),
    );
    failed.push(run.runId);
  }
  return failed;
};
