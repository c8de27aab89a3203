import type { WriteContext } from '../people-directory';
import type { Mentorship, PodWithMembers } from './model';
import { emptyChange, type PairingChange, podDepartures } from './pairing-change';
import type { PairingDependencies } from './ports';
import { type RematchOutcome, rematchPending, retryOnPairingConflict } from './rematch';

/** The idempotency name of the effect "end the pairings of someone who left". */
export const OFFBOARDING_CONSUMER = 'pairings-offboarding';

export const offboardingTrigger = (eventId: string) => `offboarding.${eventId}`;

/**
 * What a person leaving means for pairings: their own mentorship as a mentee ends; if they
 * mentor, every mentorship of their pod ends, the pod is dissolved and its mentees wait for an
 * immediate re-match. Refused while a run is being committed (the consumer retries).
 */
export const offboardingChange = (args: {
  personId: string;
  asMentee: Mentorship | undefined;
  asMentor: PodWithMembers | undefined;
  now: string;
  triggerId: string;
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
      })),
    };
  }
  return change;
};

/**
 * Person.Offboarded, applied once per event: ends their pairings (in one transaction with the
 * consumed-event marker), then re-matches their mentees at once where a mentor with room fits.
 * The re-match works from stored pending items, so a redelivered event finishes what a crashed
 * delivery started.
 */
export const endPairingsOfLeaver = async (
  deps: PairingDependencies,
  args: { personId: string; eventId: string; correlationId: string },
): Promise<{ ended: 'applied' | 'duplicate'; rematched: RematchOutcome[] }> => {
  const triggerId = offboardingTrigger(args.eventId);
  const context: WriteContext = {
    correlationId: args.correlationId,
    consumedEvent: { consumer: OFFBOARDING_CONSUMER, eventId: args.eventId },
  };
  const ended = await retryOnPairingConflict(async () => {
    const [asMentee, asMentor] = await Promise.all([
      deps.pairings.mentorshipOf(args.personId),
      deps.pairings.activePodOfMentor(args.personId),
    ]);
    const change = offboardingChange({
      personId: args.personId,
      asMentee,
      asMentor,
      now: deps.clock().toISOString(),
      triggerId,
    });
    const outcome = await deps.pairings.apply(change, context);
    return outcome === 'duplicate' ? 'duplicate' : 'applied';
  });
  const rematched = await rematchPending(deps, triggerId, { correlationId: args.correlationId });
  return { ended, rematched };
};
