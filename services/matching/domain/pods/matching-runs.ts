import { forEachLimited } from '../../../../shared/concurrency';
import { MatchingRunCompletedV1 } from '../../../../shared/contracts/matching-events';
import { type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import { defaultHardRules, matchPods } from '../engine/index';
import type { PeopleRepository, WriteContext } from '../people/directory';
import { type Person, publicPerson } from '../people/person';
import { changeOfStep, expectationsOf, planCommit } from './commit-plan';
import {
  CommitAbortedError,
  CommitInProgressError,
  CommitInterruptedError,
  InputsChangedError,
  PairingConflictError,
  RunNotCommittableError,
  RunNotFoundError,
} from './errors';
import {
  changedPeople,
  fingerprintOf,
  inputVersionsOf,
  matchingInputOf,
  podsBelowMinimum,
  runScope,
} from './matching-input';
import type { CommitStep, MatchingRun } from './model';
import { applyDeferredOffboardings } from './offboarding';
import type { PairingDependencies } from './ports';

const DEFAULT_MAX_DRY_RUN_AGE_MS = 24 * 3600 * 1000;
const DEFAULT_COMMIT_CONCURRENCY = 8;
const DIRECTORY_PAGE = 1000;

export type RunRequest =
  | { mode: 'dry-run'; domains?: string[] }
  | { mode: 'commit'; domains?: string[]; runId?: string };

/**
 * The whole directory, a page at a time: everyone active, and those who left too (a run follows
 * reporting chains anywhere, and names a leaver still in a pairing).
 */
export const readDirectory = async (people: PeopleRepository): Promise<Person[]> => {
  const all: Person[] = [];
  for (const status of ['active', 'offboarded'] as const) {
    let cursor: string | undefined;
    do {
      const page = await people.list({ status, limit: DIRECTORY_PAGE, ...(cursor ? { cursor } : {}) });
      all.push(...page.items.map(publicPerson));
      cursor = page.nextCursor;
    } while (cursor);
  }
  return all;
};

const runCompleted = (run: MatchingRun, mode: 'dry-run' | 'commit'): PendingEvent =>
  pendingEvent(MatchingRunCompletedV1, {
    runId: run.runId,
    mode,
    domains: run.domains,
    runDate: run.runDate,
    counts: run.counts,
    objective: {
      value: run.result.objective.value,
      matched: run.result.objective.matched,
      pairScore: run.result.objective.pairScore,
      loadCost: run.result.objective.loadCost,
    },
    proven: run.result.optimality.proven,
    gap: run.result.optimality.gap,
  });

/** Runs the engine on the current directory and pairings, and stores the result with its commit plan. */
export const computeRun = async (
  deps: PairingDependencies,
  request: { mode: 'dry-run' | 'commit'; domains?: string[] },
  requestedBy: string,
  context: WriteContext,
): Promise<MatchingRun> => {
  const snapshot = await deps.pairings.snapshot();
  // Pairings are in flux while a commit is applied: a result computed now could never be committed.
  if (snapshot.committingRunId) throw new CommitInProgressError(snapshot.committingRunId);
  const people = await readDirectory(deps.people);
  const byId = new Map(people.map((person) => [person.personId, person]));
  const domains = request.domains ? [...new Set(request.domains)].sort() : null;
  const scope = runScope(domains, byId, snapshot);
  const runDate = deps.clock();
  const settings = deps.settings ?? {};
  const result = matchPods(matchingInputOf({ people, snapshot, scope, runDate, settings }));
  const belowMinimum = podsBelowMinimum(snapshot, settings.rules?.minPodSize ?? defaultHardRules.minPodSize, scope);
  const runId = deps.newId();
  const plan = planCommit({
    result,
    mentorships: snapshot.mentorships,
    pods: snapshot.pods,
    people: byId,
    scope,
    runId,
    newId: deps.newId,
  });
  const inputVersions = inputVersionsOf(people, scope);
  const run: MatchingRun = {
    runId,
    mode: request.mode,
    status: 'dry-run',
    domains,
    scope: scope ? [...scope].sort() : null,
    runDate: runDate.toISOString(),
    createdAt: deps.clock().toISOString(),
    requestedBy,
    basedOn: { generation: snapshot.generation, fingerprint: fingerprintOf(scope, inputVersions) },
    counts: plan.counts,
    steps: plan.steps.length,
    result,
    ...(belowMinimum.length > 0 ? { podsBelowMinimum: belowMinimum } : {}),
    inputVersions,
  };
  await deps.runs.save(run, plan.steps, request.mode === 'dry-run' ? [runCompleted(run, 'dry-run')] : [], context);
  return run;
};

/** Refuses a dry run whose inputs moved: pairings (generation, then the plan's items read consistently) or people. */
const checkInputsUnchanged = async (
  deps: PairingDependencies,
  run: MatchingRun,
  steps: readonly CommitStep[],
  directoryJustRead: boolean,
): Promise<void> => {
  const state = await deps.pairings.matchingState();
  if (state.committingRunId) throw new CommitInProgressError(state.committingRunId);
  const rerun = 'Start a new dry run and review it.';
  if (state.generation !== run.basedOn.generation) {
    throw new InputsChangedError(
      `Pairings changed since dry run ${run.runId} (a commit, reassignment or offboarding). ${rerun}`,
    );
  }
  if (!directoryJustRead) {
    const scope = run.scope ? new Set(run.scope) : null;
    const versions = inputVersionsOf(await readDirectory(deps.people), scope);
    // The listing finds who joined or left the scope; a consistent read of everyone the run
    // saw catches a change the listing's index has not shown yet.
    const seen = Object.keys(run.inputVersions);
    const current = await deps.people.versionsOf(seen);
    for (const personId of seen) {
      const version = current.get(personId);
      if (version === undefined) delete versions[personId];
      else versions[personId] = version;
    }
    if (fingerprintOf(scope, versions) !== run.basedOn.fingerprint) {
      const changed = changedPeople(run.inputVersions, versions);
      const named = changed.slice(0, 10).join(', ') + (changed.length > 10 ? ` and ${changed.length - 10} more` : '');
      throw new InputsChangedError(
        `People changed since dry run ${run.runId}: ${named || 'the run’s domains'}. ${rerun}`,
      );
    }
  }
  const expected = expectationsOf(steps);
  const [mentorships, pods, mentorPods] = await Promise.all([
    deps.pairings.currentMentorships([...expected.mentees.keys()]),
    deps.pairings.currentPods([...expected.podLoads.keys()]),
    deps.pairings.currentMentorPods([...expected.mentorsWithoutPod]),
  ]);
  const stale =
    [...expected.mentees].some(([menteeId, id]) => (mentorships.get(menteeId)?.mentorshipId ?? null) !== id) ||
    [...expected.podLoads].some(([podId, load]) => {
      const pod = pods.get(podId);
      return pod?.status !== 'active' || pod.load !== load;
    }) ||
    mentorPods.size > 0;
  if (stale) throw new InputsChangedError(`Pairings changed since dry run ${run.runId}. ${rerun}`);
};

/**
 * Once a commit has freed the slot: the offboardings that arrived meanwhile. Their records are
 * durable, so if this fails (or the process dies first) the commit sweeper applies them within
 * minutes; the commit itself has succeeded and its caller is not told otherwise.
 */
const applyWorkDeferredByCommit = async (deps: PairingDependencies): Promise<void> => {
  await applyDeferredOffboardings(deps).catch(() => undefined);
};

/**
 * Applies a stored run. A dry run is checked (proven optimal, recent, inputs unchanged), then
 * takes the single commit slot; its steps are applied releases first, then placements, each in
 * its own transaction and at most once; the last transaction marks the run committed, frees
 * the slot and records MatchingRun.Completed. A commit interrupted part-way (a crash, a
 * timeout) is resumed by committing the same run again (the commit sweeper does once it is
 * abandoned): applied steps are skipped. Offboardings deferred meanwhile are applied once the
 * slot is free.
 */
export const commitRun = async (
  deps: PairingDependencies,
  runId: string,
  context: WriteContext,
  justComputed?: MatchingRun,
): Promise<MatchingRun> => {
  const run = justComputed ?? (await deps.runs.get(runId));
  if (!run) throw new RunNotFoundError(runId);
  if (run.status === 'committed') return run;
  if (run.status === 'aborted') {
    throw new RunNotCommittableError(`Run ${runId} was aborted (${run.abortedReason ?? 'unknown reason'}).`, 'aborted');
  }
  let stored = await deps.runs.steps(runId);
  if (run.status === 'dry-run') {
    if (!run.result.optimality.proven) {
      throw new RunNotCommittableError(
        `Run ${runId} is not proven optimal (gap ${run.result.optimality.gap} centipoints); it cannot be committed.`,
        'not-proven',
      );
    }
    const maxAge = deps.settings?.maxDryRunAgeMs ?? DEFAULT_MAX_DRY_RUN_AGE_MS;
    if (deps.clock().getTime() - Date.parse(run.createdAt) > maxAge) {
      throw new RunNotCommittableError(
        `Run ${runId} is older than ${maxAge / 3_600_000} h; start a new run.`,
        'expired',
      );
    }
    try {
      await checkInputsUnchanged(
        deps,
        run,
        stored.map((item) => item.step),
        justComputed !== undefined,
      );
      await deps.runs.claimCommit(runId, run.basedOn.generation, deps.clock().toISOString());
    } catch (error) {
      // Someone else committed this very run meanwhile: that is a success, not a change.
      if (!(error instanceof InputsChangedError || error instanceof CommitInProgressError)) throw error;
      const now = await deps.runs.get(runId);
      if (now?.status === 'committed') return now;
      if (now?.status === 'committing') throw new CommitInProgressError(runId);
      throw error;
    }
  } else {
    const state = await deps.pairings.matchingState();
    if (state.committingRunId !== runId) throw new CommitInProgressError(state.committingRunId);
    stored = await deps.runs.steps(runId);
  }

  const concurrency = deps.settings?.commitConcurrency ?? DEFAULT_COMMIT_CONCURRENCY;
  const pending = stored.filter((item) => !item.applied).map((item) => item.step);
  let applied = stored.length - pending.length;
  const apply = async (step: CommitStep) => {
    await deps.pairings.apply(changeOfStep(step, runId, deps.clock().toISOString()), context);
    applied += 1;
  };
  try {
    // Leavers go before joiners, so no pod is ever over capacity, not even for a moment.
    await forEachLimited(
      pending.filter((step) => step.kind === 'release'),
      concurrency,
      apply,
    );
    await forEachLimited(
      pending.filter((step) => step.kind === 'place'),
      concurrency,
      apply,
    );
  } catch (error) {
    const progress = `${applied} of ${stored.length} steps applied`;
    if (error instanceof PairingConflictError) {
      await deps.runs.abortCommit(runId, `${error.message} (${progress})`, deps.clock().toISOString());
      await applyWorkDeferredByCommit(deps);
      throw new CommitAbortedError(
        `The commit of run ${runId} stopped: ${error.message}. ${progress}; each applied pod is whole. Start a new run.`,
      );
    }
    throw new CommitInterruptedError(
      `The commit of run ${runId} was interrupted (${progress}). Commit the same run again to finish it.`,
      { cause: error },
    );
  }
  const committedAt = deps.clock().toISOString();
  const committed: MatchingRun = { ...run, status: 'committed', committedAt };
  await deps.runs.finishCommit(runId, committedAt, [runCompleted(committed, 'commit')], context);
  await applyWorkDeferredByCommit(deps);
  return committed;
};

/** POST /matching/runs: a dry run, a commit of a stored dry run, or a run committed at once. */
export const startRun = async (
  deps: PairingDependencies,
  request: RunRequest,
  requestedBy: string,
  context: WriteContext,
): Promise<{ run: MatchingRun; created: boolean }> => {
  if (request.mode === 'commit' && request.runId) {
    return { run: await commitRun(deps, request.runId, context), created: false };
  }
  const run = await computeRun(deps, request, requestedBy, context);
  if (request.mode === 'dry-run') return { run, created: true };
  if (!run.result.optimality.proven) {
    throw new RunNotCommittableError(
      `The result is not proven optimal (gap ${run.result.optimality.gap} centipoints), so it was not committed; it is stored as dry run ${run.runId} for review.`,
      'not-proven',
    );
  }
  return { run: await commitRun(deps, run.runId, context, run), created: true };
};

export const getRun = async (deps: PairingDependencies, runId: string) => {
  const run = await deps.runs.get(runId);
  if (!run) throw new RunNotFoundError(runId);
  const applied = run.status === 'committing' ? (await deps.runs.steps(runId)).filter((s) => s.applied).length : null;
  return { run, appliedSteps: applied };
};
