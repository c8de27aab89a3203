import { isProgrammeStaff, type Principal } from '../../../../shared/auth/principal';
import { updatePersonFields, type WriteContext } from '../people/directory';
import { PersonNotFoundError } from '../people/errors';
import { NotAMentorError } from './errors';
import type { PairingDependencies } from './ports';
import { fillFreedPlaces } from './rematch';

export interface Availability {
  personId: string;
  capacity: number;
  acceptingMentees: boolean;
  currentLoad: number;
  /** The mentor's directory version after this change (their ETag). */
  version: number;
  note?: string;
}

/**
 * A mentor sets their own capacity (3-5) and pauses or resumes taking new mentees (programme
 * staff may do it for them). It is a directory change (Person.Updated) of these two fields only:
 * a concurrent change of the person's other fields is never undone. Capacity below the current
 * load is allowed: nobody is dropped, locked pairings stay; from the next matching run the pod
 * holds at most the new capacity (unlocked extra mentees are moved). A paused mentor gets no new
 * mentee from runs or immediate re-matches; their current mentees stay.
 */
export const setAvailability = async (
  deps: PairingDependencies,
  principal: Principal,
  personId: string,
  settings: { capacity: number; acceptingMentees: boolean },
  context: WriteContext,
): Promise<Availability> => {
  // Someone else's availability is answered like a missing person: it reveals nothing.
  if (principal.personId !== personId && !isProgrammeStaff(principal)) throw new PersonNotFoundError(personId);
  const change = await updatePersonFields(
    deps,
    personId,
    { mentorCapacity: settings.capacity, acceptingMentees: settings.acceptingMentees },
    context,
    (existing) => {
      if (existing.status !== 'active') throw new PersonNotFoundError(personId);
      if (!existing.roles.includes('mentor')) throw new NotAMentorError(personId);
    },
  );
  // More room, or taking mentees again: mentees waiting in the domain may take the places now.
  const before = change.kind === 'updated' ? change.before : undefined;
  const opened =
    before &&
    change.person.acceptingMentees &&
    (!before.acceptingMentees || change.person.mentorCapacity > before.mentorCapacity);
  if (opened) await fillFreedPlaces(deps, change.person.domain, context);
  const pod = await deps.pairings.activePodOfMentor(personId);
  const currentLoad = pod?.pod.load ?? 0;
  return {
    personId,
    capacity: change.person.mentorCapacity,
    acceptingMentees: change.person.acceptingMentees,
    currentLoad,
    version: change.person.version,
    ...(currentLoad > settings.capacity
      ? {
          note: `${currentLoad} mentees exceed the new capacity ${settings.capacity}: nobody is dropped; from the next matching run the pod holds at most ${settings.capacity} (locked pairings stay until their lock ends).`,
        }
      : {}),
  };
};
