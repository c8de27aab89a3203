import { retry } from '../../../../shared/retry';
import type { WriteContext } from '../people/directory';
import { CommitInProgressError } from './errors';
import type { DeferredOffboarding, Mentorship, PodWithMembers } from './model';
import { emptyChange, type PairingChange, podDepartures } from './pairing-change';
import type { PairingDependencies } from './ports';
import { domainsWithFreedPlaces, readDirectoryChange } from './reconcile';
import { fillFreedPlaces, type RematchOutcome, rematchPending, retryOnPairingConflict } from './rematch';

/** The idempotency name of the effect "end the pairings of someone who left". */
export const OFFBOARDING_CONSUMER = 'pairings-offboarding';

export const offboardingTrigger = (eventId: string) => `offboarding.${eventId}`;

/**
 * What a person leaving means for pairings: their own mentorship as a mentee ends; if they
 * mentor, every mentorship of their pod ends, the pod is dissolved and its mentees wait for an
 * immediate re-match. Refused while a run is being committed (the offboarding is then deferred).
 */
export const offboardingChange = (args: {
  personId: string;
  asMentee: Mentorship | undefined;
  asMentor: PodWithMembers | undefined;
  now: string;
  triggerId: string;
  correlationId: string;
}): PairingChange => {
  const change = emptyChange({ kind: 'outside-commit' });
  const merge = (part: Pick<PairingChange, 'ends' | 'pods' | 'events'>) => {
    change.ends.push(...part.ends);
    change.pods.push(...part.pods);
    change.events.push(...part.events);
  };
  const { asMentee, asMentor, now } = args;
  if (asMentee && asMentee.podId !== asMentor?.pod.podId) {
    merge(
      podDepartures(
        { podId: asMentee.podId, mentorId: asMentee.mentorId, domain: asMentee.domain },
        [{ mentorship: asMentee, reason: 'offboarded', endedAt: now }],
        null,
      ),
    );
  }
  if (asMentor) {
    merge(
      podDepartures(
        asMentor.pod,
        asMentor.members.map((mentorship) => ({ mentorship, reason: 'offboarded' as const, endedAt: now })),
        { reason: 'mentor-offboarded', at: now },
      ),
    );
    change.pendingRematches = {
      add: asMentor.members.map((member) => ({
        triggerId: args.triggerId,
        menteeId: member.menteeId,
        excludeMentorId: null,
        since: now,
        correlationId: args.correlationId,
      })),
    };
  }
  return change;
};

/** How often an offboarding is retried when the slot is freed and taken again under it. */
const SLOT_RACE_ATTEMPTS = 3;

export type PairingsTrigger = 'offboarding' | 'directory-change';

/** The change a leave (or a changed record) means for the person's pairings as they stand now. */
const changeFor = async (
  deps: PairingDependencies,
  kind: PairingsTrigger,
  args: { personId: string; triggerId: string; correlationId: string },
): Promise<PairingChange> => {
  if (kind === 'directory-change') {
    const person = await deps.people.get(args.personId);
    if (!person) return emptyChange({ kind: 'none' });
    if (person.status === 'active') {
      const change = (await readDirectoryChange(deps, args.personId, args)) ?? emptyChange({ kind: 'none' });
      if (change.ends.length > 0) return change;
      // A commit under way may be about to pair them as its plan (computed before) says: the
      // change is deferred and checked again once the commit ends.
      const { committingRunId } = await deps.pairings.matchingState();
      if (committingRunId) throw new CommitInProgressError(committingRunId);
      // Nothing broke: only the event is recorded as consumed (no pairing moved, runs stay valid).
      return { ...change, guard: { kind: 'none' } };
    }
    // The record changed to offboarded: the same as the leave itself.
  }
  const [asMentee, asMentor] = await Promise.all([
    deps.pairings.mentorshipOf(args.personId),
    deps.pairings.activePodOfMentor(args.personId),
  ]);
  return offboardingChange({
    personId: args.personId,
    asMentee,
    asMentor,
    now: deps.clock().toISOString(),
    triggerId: args.triggerId,
    correlationId: args.correlationId,
  });
};

/** Ends the person's pairings as they stand now (pairings a commit just made for them included). */
const endPairings = (
  deps: PairingDependencies,
  kind: PairingsTrigger,
  args: { personId: string; triggerId: string; correlationId: string; deferral?: DeferredOffboarding },
  context: WriteContext,
): Promise<{ ended: 'applied' | 'duplicate'; freed: string[] }> =>
  retryOnPairingConflict(async () => {
    const change = await changeFor(deps, kind, args);
    const outcome = await deps.pairings.apply(
      args.deferral ? { ...change, deferredOffboarding: args.deferral } : change,
      context,
    );
    return outcome === 'applied'
      ? { ended: 'applied' as const, freed: domainsWithFreedPlaces(change) }
      : { ended: 'duplicate' as const, freed: [] };
  });

/**
 * Person.Offboarded (kind `offboarding`) or Person.Updated (`directory-change`), applied once per
 * event: ends the pairings the leave (or the change) breaks, in one transaction with the
 * consumed-event marker, then re-matches the mentees who lost their mentor at once where a mentor
 * with room fits, and lets mentees waiting in a domain take the places the change freed. The
 * re-match works from stored pending items, so a redelivered event finishes what a crashed delivery
 * started. While a run holds the commit slot the change is not refused (a retried event could
 * outwait Lambda's retries and be dead-lettered): it is recorded as deferred, once, with the
 * marker, and the commit applies it when it frees the slot (`deferred`).
 */
export const reconcilePairingsOf = async (
  deps: PairingDependencies,
  kind: PairingsTrigger,
  args: { personId: string; eventId: string; correlationId: string },
): Promise<{ ended: 'applied' | 'duplicate' | 'deferred'; rematched: RematchOutcome[] }> => {
  const triggerId = offboardingTrigger(args.eventId);
  const context: WriteContext = {
    correlationId: args.correlationId,
    consumedEvent: { consumer: OFFBOARDING_CONSUMER, eventId: args.eventId },
  };
  // While a commit holds the slot the change is deferred; if the commit freed the slot between
  // the two writes, it is applied now after all (unless commits keep starting under it: then
  // Lambda retries the event).
  const outcome = await retry(
    async () => {
      try {
        return { deferred: false as const, ...(await endPairings(deps, kind, { ...args, triggerId }, context)) };
      } catch (error) {
        if (!(error instanceof CommitInProgressError)) throw error;
        const deferral: DeferredOffboarding = {
          personId: args.personId,
          eventId: args.eventId,
          correlationId: args.correlationId,
          deferredAt: deps.clock().toISOString(),
          ...(kind === 'directory-change' ? { kind } : {}),
        };
        const deferred = await deps.pairings.deferOffboarding(deferral, context);
        if (deferred === 'slot-free') throw error;
        return { deferred: true as const, ended: deferred, freed: [] };
      }
    },
    { attempts: SLOT_RACE_ATTEMPTS, retryable: (error) => error instanceof CommitInProgressError },
  );
  if (outcome.deferred) return { ended: outcome.ended, rematched: [] };
  const followUp = { correlationId: args.correlationId };
  const rematched = await rematchPending(deps, triggerId, followUp);
  for (const domain of outcome.freed) rematched.push(...(await fillFreedPlaces(deps, domain, followUp)));
  return { ended: outcome.ended, rematched };
};

/** Person.Offboarded: see reconcilePairingsOf. */
export const endPairingsOfLeaver = (
  deps: PairingDependencies,
  args: { personId: string; eventId: string; correlationId: string },
) => reconcilePairingsOf(deps, 'offboarding', args);

export interface DeferredOffboardingOutcome {
  personId: string;
  eventId: string;
  /** `duplicate`: someone else (the commit or the sweeper) carried it out first. */
  ended: 'applied' | 'duplicate';
  rematched: RematchOutcome[];
}

/**
 * Applies the offboardings (and directory changes) deferred while a run held the commit slot,
 * oldest first, each at most once (its record is removed in the same transaction as the pairings
 * it ends), then re-matches the mentees who lost their mentor. It reads pairings as they are now,
 * so a leaver the commit itself just placed (its plan was computed before they left) is unpaired
 * too. If another run takes the slot meanwhile it stops: that commit applies the rest when it ends.
 */
export const applyDeferredOffboardings = async (deps: PairingDependencies): Promise<DeferredOffboardingOutcome[]> => {
  const deferred = [...(await deps.pairings.deferredOffboardings())].sort(
    (a, b) => a.deferredAt.localeCompare(b.deferredAt) || a.personId.localeCompare(b.personId),
  );
  const outcomes: DeferredOffboardingOutcome[] = [];
  for (const deferral of deferred) {
    const triggerId = offboardingTrigger(deferral.eventId);
    const context: WriteContext = { correlationId: deferral.correlationId };
    let ended: 'applied' | 'duplicate';
    let freed: string[];
    try {
      ({ ended, freed } = await endPairings(
        deps,
        deferral.kind ?? 'offboarding',
        { ...deferral, triggerId, deferral },
        context,
      ));
    } catch (error) {
      if (error instanceof CommitInProgressError) break;
      throw error;
    }
    const rematched = await rematchPending(deps, triggerId, context);
    for (const domain of freed) rematched.push(...(await fillFreedPlaces(deps, domain, context)));
    outcomes.push({ personId: deferral.personId, eventId: deferral.eventId, ended, rematched });
  }
  return outcomes;
};
