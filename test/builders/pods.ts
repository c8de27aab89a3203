import { createInMemoryPairingStore } from '../../services/matching/adapters/in-memory-pairing-repository';
import { createInMemoryPeopleRepository } from '../../services/matching/adapters/in-memory-people-repository';
import { createInMemoryProgrammeSettings } from '../../services/matching/adapters/programme-settings-repository';
import type { MatchResult } from '../../services/matching/domain/engine/index';
import type { PeopleRepository } from '../../services/matching/domain/people/directory';
import type { Person } from '../../services/matching/domain/people/person';
import { CommitInterruptedError } from '../../services/matching/domain/pods/errors';
import { commitRun, type RunRequest, startRun } from '../../services/matching/domain/pods/matching-runs';
import type { CommitStep, MatchingRun } from '../../services/matching/domain/pods/model';
import type { MatchingSettings, PairingDependencies } from '../../services/matching/domain/pods/ports';
import { fixedClock, sequentialIds } from '../../shared/ports';
import { testDomains } from './people';

/** A directory record as stored (defaults: an active backend employee at level 3 in London). */
export const storedPerson = (personId: string, overrides: Partial<Person> = {}): Person => ({
  personId,
  name: `Person ${personId}`,
  email: `${personId}@example.com`,
  timezone: 'Europe/London',
  workingHours: { start: '09:00', end: '17:00' },
  domain: 'backend',
  level: 3,
  projectIds: [],
  managerId: null,
  skills: [],
  growthGoals: [],
  languages: ['en'],
  roles: ['employee'],
  mentorCapacity: 5,
  acceptingMentees: true,
  status: 'active',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

export const storedMentor = (personId: string, overrides: Partial<Person> = {}): Person =>
  storedPerson(personId, { level: 7, roles: ['employee', 'mentor'], ...overrides });

/**
 * A small backend domain: mentors m1 (capacity 3) and m2 (capacity 5), mentees e1-e6. Every
 * pair is allowed, so the engine fills both pods; e1-e3 share m1's goals (skills), e4-e6 m2's.
 */
export const smallOrganisation = (): Person[] => [
  storedMentor('m1', { mentorCapacity: 3, skills: ['architecture'] }),
  storedMentor('m2', { mentorCapacity: 5, skills: ['security'] }),
  ...['e1', 'e2', 'e3'].map((id) => storedPerson(id, { growthGoals: ['architecture'] })),
  ...['e4', 'e5', 'e6'].map((id) => storedPerson(id, { growthGoals: ['security'] })),
];

export const seedPeople = async (people: PeopleRepository, persons: readonly Person[]) => {
  for (const person of persons) {
    await people.write({ kind: 'person', person, before: undefined, events: [] }, { correlationId: 'seed' });
  }
};

/** Pairing dependencies over in-memory repositories, a movable clock and sequential ids. */
export const inMemoryMatching = async (
  persons: readonly Person[] = smallOrganisation(),
  settings: MatchingSettings = {},
) => {
  const directory = createInMemoryPeopleRepository();
  await seedPeople(directory.repository, persons);
  const store = createInMemoryPairingStore(directory.repository);
  const clock = fixedClock('2026-11-24T10:00:00Z');
  const programme = createInMemoryProgrammeSettings({ domains: testDomains });
  const deps: PairingDependencies = {
    people: directory.repository,
    pairings: store.pairings,
    runs: store.runs,
    clock,
    newId: sequentialIds('id'),
    programme,
    settings,
  };
  const detailTypes = () => store.published.map((recorded) => recorded.event.contract.detailType);
  return { deps, store, directory, clock, detailTypes };
};

/** The engine's result a run computed in this process carries (runs read back from storage have it in pages). */
export const resultOf = (run: MatchingRun): MatchResult => {
  if (!run.result) throw new Error(`Run ${run.runId} was expected to carry its result`);
  return run.result;
};

/** A copy of a computed run under another id, as if its search had stopped short of a proof (gap in centipoints). */
export const unprovenCopyOf = (run: MatchingRun, runId: string, gap = 50): MatchingRun => ({
  ...run,
  runId,
  status: 'dry-run',
  summary: { ...run.summary, proven: false, gap },
  result: { ...resultOf(run), optimality: { ...resultOf(run).optimality, proven: false, gap } },
});

/** A dry run computed at once in this process (requested, then computed, as the API and the runner do). */
export const dryRunOf = async (
  deps: PairingDependencies,
  request: Omit<Extract<RunRequest, { mode: 'dry-run' }>, 'mode'> & { mode: 'dry-run' },
  requestedBy: string,
  context: { correlationId: string },
): Promise<MatchingRun> => (await startRun(deps, request, requestedBy, context)).run;

/**
 * A dry run of everyone whose commit stops after its first step, as when its function crashes
 * or times out: the run holds the commit slot, `committing`. Returns the run and the first step
 * it did not apply (in the small organisation: the other pod's placement).
 */
export const interruptedCommit = async (
  deps: PairingDependencies,
): Promise<{ run: MatchingRun; notApplied: Extract<CommitStep, { kind: 'place' }> }> => {
  const context = { correlationId: 'corr-commit' };
  const run = await dryRunOf(deps, { mode: 'dry-run' }, 'coach-1', context);
  const apply = deps.pairings.apply;
  let calls = 0;
  deps.pairings.apply = async (change, writeContext) => {
    if (++calls > 1) throw new Error('Task timed out after 29.00 seconds');
    return apply(change, writeContext);
  };
  try {
    await commitRun({ ...deps, settings: { ...deps.settings, commitConcurrency: 1 } }, run.runId, context);
    throw new Error('the commit was expected to stop half-way');
  } catch (error) {
    if (!(error instanceof CommitInterruptedError)) throw error;
  } finally {
    deps.pairings.apply = apply;
  }
  const notApplied = (await deps.runs.steps(run.runId)).find((item) => !item.applied)?.step;
  if (notApplied?.kind !== 'place') throw new Error('a placement was expected to be left');
  return { run, notApplied };
};
