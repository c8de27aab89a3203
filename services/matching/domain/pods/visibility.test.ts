import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../../../shared/auth/principal';
import type { Mentorship, PodWithMembers } from './model';
import { podView, relationTo } from './visibility';

const member = (menteeId: string, lockedUntil: string): Mentorship => ({
  mentorshipId: `ms-${menteeId}`,
  podId: 'pod-1',
  mentorId: 'mentor',
  menteeId,
  domain: 'backend',
  startedAt: '2026-11-24T10:00:00.000Z',
  lockedUntil,
  cause: 'matching-run',
  runId: 'run-1',
  explanation: { points: 42.5, topFactors: [{ name: 'skills', points: 30, detail: 'covers 1 of 1 growth goals' }] },
});

const found: PodWithMembers = {
  pod: {
    podId: 'pod-1',
    mentorId: 'mentor',
    domain: 'backend',
    capacity: 4,
    load: 3,
    status: 'active',
    formedAt: '2026-11-24T10:00:00.000Z',
    formedByRunId: 'run-1',
  },
  members: [
    member('ana', '2027-02-24T10:00:00.000Z'),
    member('bo', '2027-03-01T10:00:00.000Z'),
    member('cy', '2027-04-01T10:00:00.000Z'),
  ],
};
const names = new Map(
  ['mentor', 'ana', 'bo', 'cy'].map((id) => [
    id,
    { name: `Name of ${id}`, email: `${id}@example.com`, timezone: 'Europe/Lisbon', skills: ['secret-skill'] },
  ]),
);
const caller = (sub: string, groups: string) => {
  const principal = principalFromClaims({ sub, 'cognito:groups': `[${groups}]` });
  if (!principal) throw new Error('principal expected');
  return principal;
};

describe('pod visibility', () => {
  it('relates programme staff, the mentor and members to the pod, and nobody else', () => {
    expect(relationTo(caller('coach', 'life-coach employee'), found)).toBe('staff');
    expect(relationTo(caller('mentor', 'mentor employee'), found)).toBe('mentor');
    expect(relationTo(caller('bo', 'employee'), found)).toBe('mentee');
    expect(relationTo(caller('zed', 'employee mentor'), found)).toBeNull();
  });

  it('shows programme staff why each pairing was made', () => {
    const view = podView(found, names, 'staff', 'coach');
    expect(view.view).toBe('programme');
    expect(view).toMatchObject({ capacity: 4, load: 3, formedByRunId: 'run-1' });
    expect(view.view === 'programme' && view.mentees[0]?.match?.topFactors[0]?.name).toBe('skills');
  });

  it('shows the mentor their mentees’ names, contacts and dates, without scores or factors', () => {
    const view = podView(found, names, 'mentor', 'mentor');
    expect(view).toMatchObject({ view: 'mentor', capacity: 4, mentor: { personId: 'mentor', name: 'Name of mentor' } });
    expect(view.view === 'mentor' && view.mentees[0]).toMatchObject({
      personId: 'ana',
      contact: { email: 'ana@example.com', timezone: 'Europe/Lisbon' },
    });
    const text = JSON.stringify(view);
    for (const hidden of ['points', 'topFactors', 'match', 'secret-skill', 'explanation', 'mentor@example.com']) {
      expect(text).not.toContain(hidden);
    }
  });

  it('shows a mentee the mentor, fellow mentees’ names and their own dates only', () => {
    const view = podView(found, names, 'mentee', 'bo');
    expect(view).toEqual({
      view: 'mentee',
      podId: 'pod-1',
      domain: 'backend',
      status: 'active',
      mentor: {
        personId: 'mentor',
        name: 'Name of mentor',
        contact: { email: 'mentor@example.com', timezone: 'Europe/Lisbon' },
      },
      mentees: [
        { personId: 'ana', name: 'Name of ana' },
        { personId: 'bo', name: 'Name of bo' },
        { personId: 'cy', name: 'Name of cy' },
      ],
      myMentorship: { startedAt: '2026-11-24T10:00:00.000Z', lockedUntil: '2027-03-01T10:00:00.000Z' },
    });
    const text = JSON.stringify(view);
    for (const hidden of [
      'points',
      'skills',
      'capacity',
      'load',
      '2027-02-24',
      '2027-04-01',
      'ms-',
      'run-1',
      'ana@example.com',
      'cy@example.com',
    ]) {
      expect(text).not.toContain(hidden);
    }
  });
});
