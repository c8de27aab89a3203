import { forEachLimited } from '../../../../shared/concurrency';
import { MatchingRunCompletedV1, MatchingRunRequestedV1 } from '../../../../shared/contracts/matching-events';
import { type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import { defaultHardRules, type MatchResult, matchPods } from '../engine/index';
import type { PeopleRepository, WriteContext } from '../people/directory';
import { type Person, publicPerson } from '../people/person';
import { defaultMatchingSettings } from '../settings/programme-settings';
import { changeOfStep, expectationsOf, planCommit } from './commit-plan';
import {
  CommitAbortedError,
  CommitInProgressError,
  CommitInterruptedError,
  InputsChangedError,
  InvalidPairingRequestError,
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
import {
  type CommitStep,
  isComputed,
  type MatchingRun,
  type RunRequestRecord,
  type RunSettings,
  type RunSummary,
  type StoredRun,
} from './model';
import { applyDeferredOffboardings } from './offboarding';
import type { MatchingSettings, PairingDependencies } from './ports';

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
    objective: run.summary.objective,
    proven: run.summary.proven,
    gap: run.summary.gap,
  });

/** What the API shows of a result without paging through it. */
export const summaryOf = (result: MatchResult): RunSummary => ({
  objective: {
    value: result.objective.value,
    matched: result.objective.matched,
    pairScore: result.objective.pairScore,
    loadCost: result.objective.loadCost,
  },
  proven: result.optimality.proven,
  gap: result.optimality.gap,
  domains: result.optimality.domains,
  warnings: result.warnings.length,
  releasedLocks: result.releasedLocks.length,
});

/** The settings a run uses: the admin-managed ones (recorded with the run), over the deployment's fixed ones. */
export const runSettingsOf = async (deps: PairingDependencies): Promise<RunSettings> => {
  const stored = (await deps.programme?.matching()) ?? defaultMatchingSettings;
  return {
    version: stored.version,
    weights: { ...deps.settings?.weights, ...stored.weights },
    rules: { ...deps.settings?.rules, ...stored.rules },
    repeatPenaltyMonths: stored.repeatPenaltyMonths,
  };
};

/**
 * Runs the engine on the current directory and pairings, for a requested run, and stores the
 * result (in pages) with its commit plan; a dry run records MatchingRun.Completed with it.
 */
export const computeRun = async (
  deps: PairingDependencies,
  requested: RunRequestRecord,
  context: WriteContext,
): Promise<MatchingRun> => {
  const snapshot = await deps.pairings.snapshot();
  // Pairings are in flux while a commit is applied: a result computed now could never be committed.
  if (snapshot.committingRunId) throw new CommitInProgressError(snapshot.committingRunId);
  const people = await readDirectory(deps.people);
  const byId = new Map(people.map((person) => [person.personId, person]));
  const scope = runScope(requested.domains, byId, snapshot);
  const runDate = deps.clock();
  const mipSolver = deps.loadMipSolver ? await deps.loadMipSolver() : null;
  const settings: MatchingSettings = {
    ...deps.settings,
    rules: { ...deps.settings?.rules, ...requested.settings.rules },
    weights: { ...deps.settings?.weights, ...requested.settings.weights },
    ...(mipSolver ? { solver: { ...deps.settings?.solver, mipSolver } } : {}),
  };
  const result = matchPods(matchingInputOf({ people, snapshot, scope, runDate, settings }));
  const belowMinimum = podsBelowMinimum(snapshot, settings.rules?.minPodSize ?? defaultHardRules.minPodSize, scope);
  const plan = planCommit({
    result,
    mentorships: snapshot.mentorships,
    pods: snapshot.pods,
    people: byId,
    scope,
    runId: requested.runId,
    newId: deps.newId,
  });
  const inputVersions = inputVersionsOf(people, scope);
  const run: MatchingRun = {
    ...requested,
    status: 'dry-run',
    scope: scope ? [...scope].sort() : null,
    runDate: runDate.toISOString(),
    basedOn: { generation: snapshot.generation, fingerprint: fingerprintOf(scope, inputVersions) },
    counts: plan.counts,
    summary: summaryOf(result),
    steps: plan.steps.length,
    result,
    ...(belowMinimum.length > 0 ? { podsBelowMinimum: belowMinimum } : {}),
    inputVersions,
  };
  const events = requested.mode === 'dry-run' ? [runCompleted(run, 'dry-run')] : [];
  if ((await deps.runs.save(run, plan.steps, events, context)) === 'saved') return run;
  // Another delivery of the same request stored its result first: that one is the run.
  const stored = await deps.runs.get(run.runId);
  if (!stored || !isComputed(stored)) throw new RunNotFoundError(run.runId);
  return stored;
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
  const found = justComputed ?? (await deps.runs.get(runId));
  if (!found) throw new RunNotFoundError(runId);
  if (!isComputed(found)) {
    throw new RunNotCommittableError(`Run ${runId} is ${found.status}: it has no result to commit.`, 'aborted');
  }
  const run = found;
  if (run.status === 'committed') return run;
  if (run.status === 'aborted') {
    throw new RunNotCommittableError(`Run ${runId} was aborted (${run.abortedReason ?? 'unknown reason'}).`, 'aborted');
  }
  let stored = await deps.runs.steps(runId);
  if (run.status === 'dry-run' || run.status === 'commit-requested') {
    if (!run.summary.proven) {
      throw new RunNotCommittableError(
        `Run ${runId} is not proven optimal (gap ${run.summary.gap} centipoints); it cannot be committed.`,
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
      if (now && isComputed(now) && now.status === 'committed') return now;
      if (now?.status === 'committing') throw new CommitInProgressError(runId);
      throw error;
    }
  } else if (run.status === 'committing') {
    const state = await deps.pairings.matchingState();
    if (state.committingRunId !== runId) throw new CommitInProgressError(state.committingRunId);
    stored = await deps.runs.steps(runId);
  } else {
    throw new RunNotCommittableError(`Run ${runId} is ${run.status}: it cannot be committed.`, 'aborted');
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

/**
 * POST /matching/runs: records the request (a dry run, a run committed at once, or the commit of
 * a stored dry run) with MatchingRun.Requested, which sets the runner going. A commit of a dry run
 * is checked at once for what is cheap to check (it exists, is a dry run, proven, recent, the
 * pairings it saw have not moved); the runner checks the directory and applies it.
 */
export const requestRun = async (
  deps: PairingDependencies,
  request: RunRequest,
  requestedBy: string,
  context: WriteContext,
): Promise<{ run: StoredRun; created: boolean }> => {
  const now = deps.clock().toISOString();
  if (request.mode === 'commit' && request.runId) {
    const run = await deps.runs.get(request.runId);
    if (!run) throw new RunNotFoundError(request.runId);
    if (!isComputed(run))
      throw new RunNotCommittableError(`Run ${run.runId} is ${run.status}: it has no result yet.`, 'aborted');
    if (['committed', 'committing', 'commit-requested'].includes(run.status)) return { run, created: false };
    if (run.status !== 'dry-run') {
      throw new RunNotCommittableError(
        `Run ${run.runId} was ${run.status} (${run.abortedReason ?? run.failedReason ?? 'no reason recorded'}).`,
        'aborted',
      );
    }
    if (!run.summary.proven) {
      throw new RunNotCommittableError(
        `Run ${run.runId} is not proven optimal (gap ${run.summary.gap} centipoints); it cannot be committed.`,
        'not-proven',
      );
    }
    const maxAge = deps.settings?.maxDryRunAgeMs ?? DEFAULT_MAX_DRY_RUN_AGE_MS;
    if (deps.clock().getTime() - Date.parse(run.createdAt) > maxAge) {
      throw new RunNotCommittableError(
        `Run ${run.runId} is older than ${maxAge / 3_600_000} h; start a new run.`,
        'expired',
      );
    }
    const state = await deps.pairings.matchingState();
    if (state.committingRunId) throw new CommitInProgressError(state.committingRunId);
    if (state.generation !== run.basedOn.generation) {
      throw new InputsChangedError(
        `Pairings changed since dry run ${run.runId} (a commit, reassignment or offboarding). Start a new dry run and review it.`,
      );
    }
    const event = pendingEvent(MatchingRunRequestedV1, {
      runId: run.runId,
      mode: 'commit',
      request: 'commit-of-dry-run',
      domains: run.domains,
      requestedBy,
      requestedAt: now,
    });
    await deps.runs.requestCommit(run.runId, { by: requestedBy, at: now }, [event], context);
    return {
      run: { ...run, status: 'commit-requested', commitRequestedBy: requestedBy, commitRequestedAt: now },
      created: false,
    };
  }
  if (request.domains && deps.programme) {
    const known = new Set((await deps.programme.domains()).domains.map((domain) => domain.id));
    const unknown = request.domains.filter((domain) => !known.has(domain));
    if (unknown.length > 0) {
      throw new InvalidPairingRequestError(
        'body.domains',
        `${unknown.map((domain) => `"${domain}"`).join(', ')} ${unknown.length === 1 ? 'is not a domain' : 'are not domains'} of the programme (GET /domains)`,
      );
    }
  }
  // Pairings are in flux while a commit is applied: a run computed now could never be committed.
  const { committingRunId } = await deps.pairings.matchingState();
  if (committingRunId) throw new CommitInProgressError(committingRunId);
  const run: RunRequestRecord = {
    runId: deps.newId(),
    mode: request.mode,
    status: 'queued',
    domains: request.domains ? [...new Set(request.domains)].sort() : null,
    createdAt: now,
    requestedBy,
    settings: await runSettingsOf(deps),
  };
  const event = pendingEvent(MatchingRunRequestedV1, {
    runId: run.runId,
    mode: run.mode,
    request: 'run',
    domains: run.domains,
    requestedBy,
    requestedAt: now,
  });
  await deps.runs.enqueue(run, [event], context);
  return { run, created: true };
};

/** Why a requested commit did not happen, recorded on the run rather than retried. */
const refusals = [InputsChangedError, RunNotCommittableError, CommitAbortedError] as const;

/**
 * The runner (MatchingRun.Requested): computes a queued run and, for a run committed at once,
 * commits it if it is proven optimal; commits a dry run whose commit was asked for; resumes a
 * commit that stopped. A refusal (inputs changed, not proven, a conflict) is recorded on the run
 * (`aborted`, with the reason); an interruption is rethrown so the invocation is retried (and the
 * commit sweeper finishes an abandoned commit). Safe to deliver twice.
 */
export const processRun = async (
  deps: PairingDependencies,
  runId: string,
  context: WriteContext,
): Promise<StoredRun | undefined> => {
  let run = await deps.runs.get(runId);
  if (!run) return undefined;
  let computed: MatchingRun | undefined;
  if (run.status === 'queued') {
    try {
      computed = await computeRun(deps, run, context);
      // Stored by another delivery meanwhile (and perhaps moved on): carry on from what is stored.
      if (!computed.result) return processRun(deps, runId, context);
    } catch (error) {
      if (!(error instanceof CommitInProgressError)) throw error;
      // A commit took the slot after this run was asked for: its result could never be committed.
      await deps.runs.markFailed(
        runId,
        `${error.message} Ask for the run again once it is done.`,
        deps.clock().toISOString(),
      );
      return deps.runs.get(runId);
    }
    run = computed;
    if (run.mode === 'dry-run') return run;
    if (!computed.summary.proven) {
      const reason = `The result is not proven optimal (gap ${computed.summary.gap} centipoints), so it was not committed; its pods can still be reviewed.`;
      await deps.runs.refuseCommit(runId, reason, deps.clock().toISOString());
      return { ...computed, status: 'aborted', abortedReason: reason };
    }
  }
  if (!['commit-requested', 'committing', 'dry-run'].includes(run.status)) return run;
  if (run.status === 'dry-run' && !computed) return run;
  try {
    return await commitRun(deps, runId, context, computed);
  } catch (error) {
    if (!refusals.some((type) => error instanceof type)) throw error;
    await deps.runs.refuseCommit(runId, (error as Error).message, deps.clock().toISOString());
    return deps.runs.get(runId);
  }
};

/**
 * A run requested and carried out in this process, at once (tests, scripts): the same two steps
 * the API and the runner take.
 */
export const startRun = async (
  deps: PairingDependencies,
  request: RunRequest,
  requestedBy: string,
  context: WriteContext,
): Promise<{ run: MatchingRun; created: boolean }> => {
  const { run, created } = await requestRun(deps, request, requestedBy, context);
  const processed = await processRun(deps, run.runId, context);
  if (!processed || !isComputed(processed)) throw new RunNotFoundError(run.runId);
  if (request.mode === 'commit' && processed.status !== 'committed') {
    throw new RunNotCommittableError(
      processed.abortedReason ?? `Run ${run.runId} was not committed (${processed.status}).`,
      processed.summary.proven ? 'aborted' : 'not-proven',
    );
  }
  return { run: processed, created };
};

export const getRun = async (deps: PairingDependencies, runId: string) => {
  const run = await deps.runs.get(runId);
  if (!run) throw new RunNotFoundError(runId);
  const applied = run.status === 'committing' ? (await deps.runs.steps(runId)).filter((s) => s.applied).length : null;
  return { run, appliedSteps: applied };
};
