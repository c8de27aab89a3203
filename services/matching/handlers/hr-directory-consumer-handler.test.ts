import { describe, expect, it } from 'vitest';
import { EmployeeJoinedV1, EmployeeLeftV1, EmployeeUpdatedV1 } from '../../../shared/contracts/hr-directory-events';
import { UnacceptableEventError } from '../../../shared/events/consumer';
import { fixedClock } from '../../../shared/ports';
import { busEvent } from '../../../test/builders/bus-event';
import { testDomains } from '../../../test/builders/people';
import { createInMemoryPeopleRepository } from '../adapters/in-memory-people-repository';
import { createInMemoryProgrammeSettings } from '../adapters/programme-settings-repository';
import { createHrDirectoryConsumer } from './hr-directory-consumer-handler';

const employee = {
  employeeId: 'e-100',
  name: 'Dee Okafor',
  email: 'dee@example.com',
  timezone: 'Africa/Lagos',
  domain: 'data',
  level: 4,
};

const setup = () => {
  const store = createInMemoryPeopleRepository();
  const consume = createHrDirectoryConsumer({
    people: store.repository,
    programme: createInMemoryProgrammeSettings({ domains: testDomains }),
    clock: fixedClock('2026-11-24T10:00:00Z'),
  });
  const detailTypes = () => store.published.map((recorded) => recorded.event.contract.detailType);
  return { store, consume, detailTypes };
};

describe('HR directory consumer', () => {
  it('registers a joiner, updates a mover and offboards a leaver, keeping correlation ids', async () => {
    const { store, consume, detailTypes } = setup();
    await consume(busEvent(EmployeeJoinedV1, { employee }, { correlationId: 'hr-1' }));
    await consume(busEvent(EmployeeUpdatedV1, { employee: { ...employee, level: 5, projectIds: ['atlas'] } }));
    await consume(busEvent(EmployeeLeftV1, { employeeId: 'e-100' }));
    expect(detailTypes()).toEqual(['Person.Registered', 'Person.Updated', 'Person.Offboarded']);
    expect(store.people.get('e-100')).toMatchObject({ status: 'offboarded', level: 5, projectIds: ['atlas'] });
    expect(store.published[0]?.correlationId).toBe('hr-1');
    expect(store.published[2]?.event.data).toEqual({ personId: 'e-100', reason: 'left-company' });
  });

  it('applies a redelivered event once, even when the person changed in between', async () => {
    const { store, consume, detailTypes } = setup();
    const joined = busEvent(EmployeeJoinedV1, { employee }, { id: 'hr-evt-1' });
    await consume(joined);
    await consume(busEvent(EmployeeUpdatedV1, { employee: { ...employee, level: 6 } }));
    await consume(joined);
    expect(detailTypes()).toEqual(['Person.Registered', 'Person.Updated']);
    expect(store.people.get('e-100')?.level).toBe(6);
  });

  it('treats a leaver it never knew as handled', async () => {
    const { consume, detailTypes } = setup();
    await expect(consume(busEvent(EmployeeLeftV1, { employeeId: 'ghost' }))).resolves.toBeUndefined();
    expect(detailTypes()).toEqual([]);
  });

  it('rejects (so the bus retries and dead-letters) an event that breaks its contract or the directory rules', async () => {
    const { consume, store } = setup();
    const broken = busEvent(EmployeeJoinedV1, { employee });
    (broken.detail as { data: unknown }).data = { employee: { employeeId: 'x' } };
    await expect(consume(broken)).rejects.toBeInstanceOf(UnacceptableEventError);
    await expect(
      consume(busEvent(EmployeeJoinedV1, { employee: { ...employee, timezone: 'Moon/Base', level: 42 } })),
    ).rejects.toThrow(/timezone.*level|level.*timezone/s);
    expect(store.people.size).toBe(0);
  });
});
