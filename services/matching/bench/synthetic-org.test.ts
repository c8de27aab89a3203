import { describe, expect, it } from 'vitest';
import { PersonSchema } from '../domain/people/person';
import { syntheticDomain, syntheticOrg } from './synthetic-org';

describe('syntheticOrg', () => {
  it('produces valid directory people and pairings, the same for the same seed', () => {
    const org = syntheticOrg({ seed: 7, people: 600, domainCount: 3 });
    expect(syntheticOrg({ seed: 7, people: 600, domainCount: 3 })).toEqual(org);
    for (const person of org.people) expect(() => PersonSchema().parse(person)).not.toThrow();
    const ids = new Set(org.people.map((person) => person.personId));
    expect(ids.size).toBe(600);
    for (const pairing of org.existingPairings) {
      expect(ids.has(pairing.mentorId) && ids.has(pairing.menteeId)).toBe(true);
    }
    const mentors = org.people.filter((person) => person.roles.includes('mentor'));
    expect(mentors.length).toBe(120);
    expect(new Set(org.people.map((person) => person.domain)).size).toBe(3);
    expect(new Set(org.people.map((person) => person.timezone)).size).toBeGreaterThan(8);
    expect(org.existingPairings.some((p) => Date.parse(p.lockedUntil) > org.runDate.getTime())).toBe(true);
    expect(org.existingPairings.some((p) => Date.parse(p.lockedUntil) <= org.runDate.getTime())).toBe(true);
    expect(org.pastPairings.length).toBeGreaterThan(0);
  });

  it('builds a single domain with exactly the requested mentors and mentees', () => {
    const org = syntheticDomain({ seed: 1, mentors: 50, mentees: 200 });
    expect(org.people.filter((p) => p.roles.includes('mentor'))).toHaveLength(50);
    expect(org.people.filter((p) => !p.roles.includes('mentor') && p.status === 'active')).toHaveLength(200);
    expect(new Set(org.people.map((p) => p.domain))).toEqual(new Set(['backend']));
  });
});
