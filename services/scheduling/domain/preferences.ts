/**
 * What each person chose: the kinds of email they turned off (announced as
 * `NotificationPreferences.Changed`, the whole current set, so pulse follows it too) and the
 * meeting link of the sessions they host.
 */
import { NotificationPreferencesChangedV1 } from '../../../shared/contracts/scheduling-events';
import { pendingEvent } from '../../../shared/events/outbox';
import type { Preferences } from './model';
import type { SchedulingDependencies, WriteContext } from './ports';
import { retryingConflicts } from './sessions';
import type { NotificationKind } from './vocabulary';

export const preferencesOf = async (deps: SchedulingDependencies, personId: string): Promise<Preferences> =>
  (await deps.store.getPreferences(personId)) ?? { personId, optedOut: [], meetingLink: null, version: 0 };

const sorted = (kinds: readonly NotificationKind[]) => [...new Set(kinds)].sort();

/** Replaces the set of kinds turned off; an event only when it changed. */
export const setOptedOut = (
  deps: SchedulingDependencies,
  personId: string,
  optedOut: readonly NotificationKind[],
  context: WriteContext,
): Promise<Preferences> =>
  retryingConflicts(async () => {
    const current = await preferencesOf(deps, personId);
    const next = sorted(optedOut);
    if (JSON.stringify(sorted(current.optedOut)) === JSON.stringify(next)) return current;
    const record: Preferences = { ...current, optedOut: next, version: current.version + 1 };
    await deps.store.commit(
      {
        writes: [{ type: 'preferences', record, expectedVersion: current.version === 0 ? null : current.version }],
        events: [pendingEvent(NotificationPreferencesChangedV1, { personId, optedOut: next })],
      },
      context,
    );
    return record;
  });

/** Turns one kind off (the one-click unsubscribe). */
export const optOut = async (
  deps: SchedulingDependencies,
  personId: string,
  kind: NotificationKind,
  context: WriteContext,
): Promise<Preferences> => {
  const current = await preferencesOf(deps, personId);
  return setOptedOut(deps, personId, [...current.optedOut, kind], context);
};

/** The host's own video-call link for the sessions they host from now on (null: the deployment's). */
export const setMeetingLink = (
  deps: SchedulingDependencies,
  personId: string,
  meetingLink: string | null,
  context: WriteContext,
): Promise<Preferences> =>
  retryingConflicts(async () => {
    const current = await preferencesOf(deps, personId);
    if (current.meetingLink === meetingLink) return current;
    const record: Preferences = { ...current, meetingLink, version: current.version + 1 };
    await deps.store.commit(
      {
        writes: [{ type: 'preferences', record, expectedVersion: current.version === 0 ? null : current.version }],
        events: [],
      },
      context,
    );
    return record;
  });
