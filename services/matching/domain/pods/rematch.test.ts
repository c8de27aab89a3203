import { describe, expect, it } from 'vitest';
import { storedMentor, storedPerson } from '../../../../test/builders/pods';
import type { PodRecord } from './model';
import { assessMentorsAtOnce, bestMentorAtOnce, lockEndOf } from './rematch';

const podOf = (mentorId: string, load: number): PodRecord => ({
  podId: `pod-${mentorId}`,
  mentorId,
  domain: 'backend',
  capacity: 5,
  load,
  status: 'active',
  formedAt: '2026-08-01T00:00:00.000Z',
  formedByRunId: 'run-1',
});

const runDate = new Date('2026-11-24T10:00:00Z');
const mentee = storedPerson('e1', { growthGoals: ['security'], projectIds: ['apollo'], managerId: 'lead' });

describe('bestMentorAtOnce', () => {
  it('picks the best-scoring mentor among those with room who pass every hard rule', () => {
    const good = storedMentor('good', { skills: ['security'] });
    const fine = storedMentor('fine');
    const choice = bestMentorAtOnce({
      mentee,
      candidates: [
        { mentor: fine, pod: podOf('fine', 3) },
        { mentor: good, pod: podOf('good', 4) },
      ],
      people: [mentee, good, fine],
      pastPairings: [],
      runDate,
    });
    expect(choice?.mentor.personId).toBe('good');
    expect(choice?.score.blockedBy).toBeNull();
    expect(choice?.score.factors.map((factor) => factor.name)).toContain('skills');
  });

  it('skips full pods, pods that one more mentee would leave under the minimum, paused mentors and other domains, saying which and why', () => {
    const candidates = [
      { mentor: storedMentor('full', { mentorCapacity: 4 }), pod: podOf('full', 4) },
      { mentor: storedMentor('small'), pod: podOf('small', 1) },
      { mentor: storedMentor('paused', { acceptingMentees: false }), pod: podOf('paused', 3) },
      { mentor: storedMentor('design', { domain: 'design' }), pod: { ...podOf('design', 3), domain: 'design' } },
    ];
    const { choice, refusals } = assessMentorsAtOnce({
      mentee,
      candidates,
      people: [mentee, ...candidates.map((c) => c.mentor)],
      pastPairings: [],
      runDate,
    });
    expect(choice).toBeNull();
    expect(refusals.map((refusal) => [refusal.mentorId, refusal.rule])).toEqual([
      ['design', 'mentor-not-eligible'],
      ['full', 'no-room'],
      ['paused', 'not-accepting'],
      ['small', 'no-room'],
    ]);
    expect(refusals.find((refusal) => refusal.mentorId === 'full')?.detail).toBe("full's pod holds 4 of 4");
  });

  it('never proposes a mentor in the mentee’s project or reporting chain, the one they are leaving, or one they left by decision', () => {
    const sameProject = storedMentor('same-project', { projectIds: ['apollo'] });
    const manager = storedMentor('lead');
    const previous = storedMentor('previous');
    const earlier = storedMentor('earlier');
    const notSenior = storedMentor('junior', { level: 3 });
    const candidates = [sameProject, manager, previous, earlier, notSenior].map((mentor) => ({
      mentor,
      pod: podOf(mentor.personId, 3),
    }));
    const { choice, refusals } = assessMentorsAtOnce({
      mentee,
      candidates,
      people: [mentee, ...candidates.map((c) => c.mentor)],
      pastPairings: [],
      separations: [
        {
          menteeId: 'e1',
          mentorId: 'earlier',
          reason: 'left-through-decision',
          requestId: 'r',
          decidedBy: 'c',
          at: '',
        },
      ],
      leavingMentorId: 'previous',
      runDate,
    });
    expect(choice).toBeNull();
    expect(Object.fromEntries(refusals.map((refusal) => [refusal.mentorId, refusal.rule]))).toEqual({
      earlier: 'left-through-decision',
      junior: 'not-senior-enough',
      lead: 'reporting-chain',
      previous: 'left-through-decision',
      'same-project': 'same-project',
    });
  });

  it('prefers a mentor the mentee has not had before (the repeat penalty)', () => {
    const before = storedMentor('a-before');
    const fresh = storedMentor('b-fresh');
    const choice = bestMentorAtOnce({
      mentee,
      candidates: [before, fresh].map((mentor) => ({ mentor, pod: podOf(mentor.personId, 3) })),
      people: [mentee, before, fresh],
      pastPairings: [
        { mentorId: 'a-before', menteeId: 'e1', endedAt: '2026-01-01T00:00:00.000Z', reason: 'rematched' },
      ],
      runDate,
    });
    expect(choice?.mentor.personId).toBe('b-fresh');
  });
});

describe('lockEndOf', () => {
  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(lockEndOf(new Date('2026-11-24T10:00:00Z'), 3)).toBe('2027-02-24T10:00:00.000Z');
    expect(lockEndOf(new Date('2026-11-30T10:00:00Z'), 3)).toBe('2027-02-28T10:00:00.000Z');
    expect(lockEndOf(new Date('2027-01-31T00:00:00Z'), 1)).toBe('2027-02-28T00:00:00.000Z');
  });
});
