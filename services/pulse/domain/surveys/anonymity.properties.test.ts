/**
 * The anonymity property, attacked. An attacker may create surveys with any audience (everyone,
 * any domains, any pods, at any moment while people join, leave and move) and holds every figure
 * the API returns. They should never be able to compute an answer or an average of fewer people
 * than the threshold. The adversary (test-support/adversary.ts) is exact: it finds any linear
 * combination of shown figures (totals minus segments, overlapping segments, successive surveys)
 * that describes fewer than `threshold` people.
 *
 * 1. Everyone answers, and answers the same every time (the attacker's best case: then every
 *    difference between surveys is exact). The service runs for real on the in-memory store:
 *    surveys created, opened by the sweep, answered, closed, released, read back as the life coach
 *    reads them; the test reconstructs each shown group from its own model of the organisation.
 * 2. Only some answer, and answers are fresh each survey: each round's figures, over the real
 *    respondents, must not isolate a small group either (the total minus the shown domains).
 * 3. The attacks are real: the same adversary breaks the naive rules (threshold only; and the
 *    threshold with complementary suppression but without remembering earlier releases).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smallestIsolatableGroup } from '../../test-support/adversary';
import { coach, createHarness, dayAfter, type Harness } from '../../test-support/harness';
import {
  answers,
  modelAudience,
  modelOf,
  type OrganisationModel,
  type Scenario,
  scenarioArbitrary,
  serviceAudience,
} from '../../test-support/organisation-model';
import { UnprocessableError } from '../errors';
import { decideRelease, domainSegment, EVERYONE } from './anonymity';
import { advanceRounds, closeSurvey, createSurvey } from './lifecycle';
import { resultsView } from './reading';
import { releaseRound } from './release';
import { submitResponse } from './responses';

const RUNS = Number(process.env.PULSE_PROPERTY_RUNS ?? 400);
const context = { correlationId: 'property' };

/** What one run saw, for the failure message and the statistics. */
interface RunRecord {
  groups: Set<string>[];
  perRound: Set<string>[][];
  surveys: number;
  refused: number;
  shownSegments: number;
  withheldSegments: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

const endPodMembership = async (harness: Harness, model: OrganisationModel, personId: string) => {
  for (const pod of model.pods.values()) {
    if (!pod.active) continue;
    if (pod.mentorId === personId) {
      pod.active = false;
      await harness.store.directory.putPod(
        {
          podId: pod.podId,
          mentorId: pod.mentorId,
          domain: pod.domain,
          active: false,
          asOf: harness.clock().toISOString(),
        },
        harness.eventContext(),
      );
    } else if (pod.menteeIds.delete(personId)) {
      await harness.store.directory.endMentorship(
        { mentorshipId: `ms-${pod.podId}-${personId}`, podId: pod.podId, menteeId: personId },
        harness.eventContext(),
      );
    }
  }
};

/** Plays the scenario against the service; `fullResponse`: everyone in the audience answers. */
const play = async (scenario: Scenario, fullResponse: boolean): Promise<RunRecord> => {
  const harness = createHarness({ threshold: scenario.threshold });
  const model = modelOf(scenario);
  for (const person of model.people.values()) await harness.addPerson(person.personId, person.domain);
  for (const pod of model.pods.values()) await harness.addPod(pod.podId, pod.mentorId, pod.domain, [...pod.menteeIds]);
  const record: RunRecord = { groups: [], perRound: [], surveys: 0, refused: 0, shownSegments: 0, withheldSegments: 0 };
  let joined = 0;

  for (const step of scenario.steps) {
    harness.clock.advance(24 * 3600_000);
    const active = [...model.people.values()].filter((person) => person.active);
    if (step.kind === 'join') {
      const personId = `j${joined++}`;
      const domain = model.domainName(step.domain);
      model.people.set(personId, { personId, domain, answer: step.answer, active: true });
      await harness.addPerson(personId, domain);
      continue;
    }
    if (step.kind === 'leave' || step.kind === 'move') {
      const person = active[step.index % Math.max(1, active.length)];
      if (!person) continue;
      await endPodMembership(harness, model, person.personId);
      if (step.kind === 'leave') {
        person.active = false;
        await harness.removePerson(person.personId);
      } else {
        person.domain = model.domainName(step.domain);
        await harness.addPerson(person.personId, person.domain);
      }
      continue;
    }

    const audience = serviceAudience(model, step.audience);
    const expected = modelAudience(model, step.audience);
    if (!audience) continue;
    const today = dayAfter(harness.clock);
    let surveyId: string;
    try {
      const created = await createSurvey(
        harness.deps,
        {
          title: 'Pulse',
          topic: 'engagement',
          questions: [{ type: 'scale', text: 'How are things going?' }],
          audience,
          schedule: { kind: 'once', opensOn: today, closesOn: dayAfter(harness.clock, 6) },
        },
        coach.personId,
        context,
      );
      surveyId = created.survey.surveyId;
    } catch (error) {
      // A survey of fewer people than the threshold is refused: the model must agree it is that small.
      expect(error).toBeInstanceOf(UnprocessableError);
      expect(expected.length).toBeLessThan(scenario.threshold);
      record.refused++;
      continue;
    }
    record.surveys++;
    await advanceRounds(harness.deps, context);
    const respondents = expected.filter(
      (person) => fullResponse || answers(step.seed, person.personId, step.participation),
    );
    for (const person of respondents) {
      await submitResponse(harness.deps, surveyId, person.personId, {
        answers: [{ questionId: 'q1', value: person.answer }],
      });
    }
    await closeSurvey(harness.deps, surveyId, context);
    const round = `${surveyId}-r1`;
    expect(await releaseRound(harness.deps, round, context)).toBe('released');
    const view = await resultsView(harness.deps, surveyId, undefined, coach);

    const roundGroups: Set<string>[] = [];
    for (const segment of view.segments) {
      if (!segment.shown) {
        record.withheldSegments++;
        continue;
      }
      record.shownSegments++;
      const key = segment.segment.kind === 'everyone' ? EVERYONE : domainSegment(segment.segment.domain ?? '');
      const members = respondents.filter((person) => key === EVERYONE || key === domainSegment(person.domain));
      // The test's own reconstruction of the group must give exactly the figures shown.
      expect(segment.respondents).toBe(members.length);
      const mean = members.reduce((sum, person) => sum + person.answer, 0) / members.length;
      expect(segment.questions[0]?.mean).toBe(round2(mean));
      roundGroups.push(new Set(members.map((person) => person.personId)));
    }
    record.groups.push(...roundGroups);
    record.perRound.push(roundGroups);
  }
  return record;
};

const totals = { runs: 0, surveys: 0, refused: 0, shown: 0, withheld: 0 };
const tally = (record: RunRecord) => {
  totals.runs++;
  totals.surveys += record.surveys;
  totals.refused += record.refused;
  totals.shown += record.shownSegments;
  totals.withheld += record.withheldSegments;
};

describe('the anonymity threshold holds against an attacker who creates surveys and combines every figure', () => {
  it('when everyone answers, the same every time: no combination of shown figures isolates fewer than the threshold', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(), async (scenario) => {
        const record = await play(scenario, true);
        tally(record);
        const isolated = smallestIsolatableGroup(record.groups, scenario.threshold);
        expect(isolated, `the figures shown isolate ${isolated?.join(', ')}`).toBeNull();
      }),
      { numRuns: RUNS },
    );
    // Not vacuous: most surveys show something.
    expect(totals.shown).toBeGreaterThan(totals.surveys / 2);
    if (process.env.PULSE_PROPERTY_STATS) console.info('property statistics', JSON.stringify(totals));
  }, 240_000);

  it('when only some answer: no round’s figures isolate fewer than the threshold of its respondents', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(), async (scenario) => {
        const record = await play(scenario, false);
        tally(record);
        for (const groups of record.perRound) {
          const isolated = smallestIsolatableGroup(groups, scenario.threshold);
          expect(isolated, `one round's figures isolate ${isolated?.join(', ')}`).toBeNull();
        }
      }),
      { numRuns: RUNS },
    );
  }, 240_000);
});

/** The groups naive rules would show, under full response, from the model alone. */
const naiveGroups = (scenario: Scenario, rules: 'threshold-only' | 'no-memory'): Set<string>[] => {
  const model = modelOf(scenario);
  const groups: Set<string>[] = [];
  let joined = 0;
  let round = 0;
  for (const step of scenario.steps) {
    const active = [...model.people.values()].filter((person) => person.active);
    if (step.kind === 'join') {
      const personId = `j${joined++}`;
      model.people.set(personId, {
        personId,
        domain: model.domainName(step.domain),
        answer: step.answer,
        active: true,
      });
    } else if (step.kind === 'leave' || step.kind === 'move') {
      const person = active[step.index % Math.max(1, active.length)];
      if (!person) continue;
      for (const pod of model.pods.values()) {
        if (pod.mentorId === person.personId) pod.active = false;
        pod.menteeIds.delete(person.personId);
      }
      if (step.kind === 'leave') person.active = false;
      else person.domain = model.domainName(step.domain);
    } else {
      const audience = modelAudience(model, step.audience);
      if (audience.length < scenario.threshold) continue;
      const byDomain = new Map<string, number>();
      for (const person of audience) byDomain.set(person.domain, (byDomain.get(person.domain) ?? 0) + 1);
      const shown =
        rules === 'threshold-only'
          ? [
              EVERYONE,
              ...[...byDomain].filter(([, count]) => count >= scenario.threshold).map(([d]) => domainSegment(d)),
            ]
          : decideRelease(
              scenario.threshold,
              { roundId: `r${round++}`, audience, respondentsByDomain: byDomain },
              new Map(),
            ).shown;
      for (const key of shown) {
        groups.push(
          new Set(
            audience
              .filter((person) => key === EVERYONE || key === domainSegment(person.domain))
              .map((person) => person.personId),
          ),
        );
      }
    }
  }
  return groups;
};

describe('the attacks are real', () => {
  it('the threshold alone is broken (total minus the shown domains), and so is forgetting earlier surveys', () => {
    for (const rules of ['threshold-only', 'no-memory'] as const) {
      const result = fc.check(
        fc.property(scenarioArbitrary(), (scenario) => {
          expect(smallestIsolatableGroup(naiveGroups(scenario, rules), scenario.threshold)).toBeNull();
        }),
        { numRuns: 2_000 },
      );
      expect(result.failed, `${rules} should be broken`).toBe(true);
    }
  });
});
