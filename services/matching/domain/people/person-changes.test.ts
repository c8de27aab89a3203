import { describe, expect, it } from 'vitest';
import { personInput } from '../../../../test/builders/people';
import { applyPersonInput, offboardPerson } from './person-changes';

const monday = new Date('2026-11-23T09:00:00Z');
const tuesday = new Date('2026-11-24T09:00:00Z');

describe('applyPersonInput', () => {
  it('registers a new person at version 1 with a Person.Registered event', () => {
    const change = applyPersonInput(undefined, 'ada', personInput(), monday);
    expect(change.kind).toBe('registered');
    if (change.kind !== 'registered') return;
    expect(change.person).toMatchObject({
      personId: 'ada',
      status: 'active',
      version: 1,
      createdAt: monday.toISOString(),
    });
    expect(change.expectedVersion).toBeNull();
    expect(change.events.map((event) => event.contract.detailType)).toEqual(['Person.Registered']);
  });

  it('is unchanged for identical input, and an update names exactly the changed fields', () => {
    const created = applyPersonInput(undefined, 'ada', personInput(), monday);
    if (created.kind !== 'registered') throw new Error('expected registration');
    expect(applyPersonInput(created.person, 'ada', personInput(), tuesday).kind).toBe('unchanged');

    const updated = applyPersonInput(created.person, 'ada', personInput({ skills: ['go'], level: 6 }), tuesday);
    expect(updated.kind).toBe('updated');
    if (updated.kind !== 'updated') return;
    expect(updated.changedFields).toEqual(['level', 'skills']);
    expect(updated.person).toMatchObject({
      version: 2,
      createdAt: monday.toISOString(),
      updatedAt: tuesday.toISOString(),
    });
    expect(updated.expectedVersion).toBe(1);
  });

  it('registers an offboarded person again when they come back, keeping the version history', () => {
    const created = applyPersonInput(undefined, 'ada', personInput(), monday);
    if (created.kind !== 'registered') throw new Error('expected registration');
    const gone = offboardPerson(created.person, 'left-company', monday);
    if (gone.kind !== 'offboarded') throw new Error('expected offboarding');
    const back = applyPersonInput(gone.person, 'ada', personInput(), tuesday);
    expect(back.kind).toBe('registered');
    if (back.kind !== 'registered') return;
    expect(back.person).toMatchObject({ status: 'active', version: 3 });
    expect(back.expectedVersion).toBe(2);
  });
});

describe('offboardPerson', () => {
  it('marks the person offboarded once, with the reason in the event', () => {
    const created = applyPersonInput(undefined, 'ada', personInput(), monday);
    if (created.kind !== 'registered') throw new Error('expected registration');
    const result = offboardPerson(created.person, 'left-company', tuesday);
    expect(result.kind).toBe('offboarded');
    if (result.kind !== 'offboarded') return;
    expect(result.events[0]?.data).toEqual({ personId: 'ada', reason: 'left-company' });
    expect(offboardPerson(result.person, 'left-company', tuesday).kind).toBe('unchanged');
  });
});
