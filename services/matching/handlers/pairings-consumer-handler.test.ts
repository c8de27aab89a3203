import { describe, expect, it } from 'vitest';
import { PersonOffboardedV1, PersonRegisteredV1 } from '../../../shared/contracts/matching-events';
import { UnacceptableEventError } from '../../../shared/events/consumer';
import { busEvent } from '../../../test/builders/bus-event';
import { inMemoryMatching } from '../../../test/builders/pods';
import { startRun } from '../domain/pods/matching-runs';
import { createPairingsConsumer } from './pairings-consumer-handler';

describe('offboarding consumer', () => {
  it('ends a leaver’s pairings once per event, keeping the correlation id, and rejects other events', async () => {
    const { deps, store } = await inMemoryMatching();
    await startRun(deps, { mode: 'commit' }, 'coach', { correlationId: 'c0' });
    store.published.length = 0;
    const consume = createPairingsConsumer(deps);
    const left = busEvent(PersonOffboardedV1, { personId: 'e4', reason: 'left-company' }, { correlationId: 'hr-7' });
    await consume(left);
    await consume(left);
    expect(store.published.map((recorded) => [recorded.event.contract.detailType, recorded.correlationId])).toEqual([
      ['Mentorship.Ended', 'hr-7'],
    ]);
    expect(await deps.pairings.mentorshipOf('e4')).toBeUndefined();
    const other = busEvent(PersonRegisteredV1, { person: {} as never });
    await expect(consume(other)).rejects.toBeInstanceOf(UnacceptableEventError);
  });

  it('succeeds while a run is being committed: the offboarding is deferred, not retried into the DLQ', async () => {
    const { deps, store } = await inMemoryMatching();
    await startRun(deps, { mode: 'commit' }, 'coach', { correlationId: 'c0' });
    store.state.committingRunId = 'run-in-progress';
    const consume = createPairingsConsumer(deps);
    const metadata = { id: 'evt-left-8', correlationId: 'hr-8' };
    await consume(busEvent(PersonOffboardedV1, { personId: 'e4', reason: 'left-company' }, metadata));
    expect(await deps.pairings.deferredOffboardings()).toEqual([
      expect.objectContaining({ personId: 'e4', eventId: 'evt-left-8', correlationId: 'hr-8' }),
    ]);
    expect((await deps.pairings.mentorshipOf('e4'))?.mentorId).toBe('m2');
  });
});
