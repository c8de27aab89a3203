import { describe, expect, it } from 'vitest';
import { MenteeAtRiskV1, PulseScoreDroppedV1 } from '../../../shared/contracts/pulse-events';
import { OneOnOneOverdueV1 } from '../../../shared/contracts/scheduling-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import { busEvent } from '../../../test/builders/bus-event';
import { inMemoryEscalations, routingSettings } from '../../../test/builders/escalations';
import { automaticContracts, automaticEscalationId, automaticSourceOf, raiseAutomaticEscalation } from './automatic';

const atRisk = (id = 'risk-evt-1') =>
  busEvent(
    MenteeAtRiskV1,
    {
      menteeId: 'e1',
      mentorId: 'm1',
      podId: 'p1',
      checkInId: 'ci-9',
      risk: 'high',
      previousRisk: 'low',
      trigger: 'sharp-drop',
      droppedMeasures: ['engagement'],
    },
    { id },
  );
const overdue = busEvent(
  OneOnOneOverdueV1,
  {
    mentorshipId: 'ms-1',
    mentorId: 'm1',
    menteeId: 'e2',
    podId: 'p1',
    lastCompletedAt: null,
    daysWithoutOneOnOne: 91,
  },
  { id: 'overdue-evt-1' },
);
const dropped = busEvent(
  PulseScoreDroppedV1,
  {
    surveyId: 's-1',
    roundId: 'r-4',
    topic: 'tool',
    segment: { kind: 'domain', domain: 'Backend' },
    measure: 'scale-mean',
    score: 2.9,
    trailingAverage: 3.8,
    respondents: 41,
  },
  { id: 'drop-evt-1' },
);

const sourceOf = (event: ReturnType<typeof busEvent>) => automaticSourceOf(parseBusEvent(event, automaticContracts));
const consumed = (eventId: string) => ({ correlationId: 'c', consumedEvent: { consumer: 'automatic', eventId } });

describe('automatic escalations', () => {
  it('sends a mentee at risk to the life coach, high and confidential, about the mentee’s pod', async () => {
    const { deps } = await inMemoryEscalations();
    const source = sourceOf(atRisk());
    expect(await raiseAutomaticEscalation(deps, source, consumed('risk-evt-1'))).toBe('created');
    const escalation = await deps.escalations.get(automaticEscalationId(source));
    expect(escalation).toMatchObject({
      origin: 'mentee-at-risk',
      departmentId: 'life-coach',
      category: 'personal',
      severity: 'high',
      confidential: true,
      reporterId: null,
      podId: 'p1',
      sourceEventId: 'risk-evt-1',
      context: {
        menteeId: 'e1',
        mentorId: 'm1',
        risk: 'high',
        previousRisk: 'low',
        trigger: 'sharp-drop',
        droppedMeasures: 'engagement',
      },
      routing: { ruleId: null, reason: 'a mentee at risk always goes to the life coach' },
    });
  });

  it('sends an overdue 1:1 to the life coach, low and confidential', async () => {
    const { deps } = await inMemoryEscalations();
    const source = sourceOf(overdue);
    await raiseAutomaticEscalation(deps, source, consumed('overdue-evt-1'));
    expect(await deps.escalations.get(automaticEscalationId(source))).toMatchObject({
      origin: 'one-on-one-overdue',
      departmentId: 'life-coach',
      severity: 'low',
      confidential: true,
      summary: 'No 1:1 for 91 days: mentor m1 and mentee e2',
    });
  });

  it('sends a pulse score drop to the department owning the topic, by the routing rules', async () => {
    const { deps, store } = await inMemoryEscalations();
    const source = sourceOf(dropped);
    await raiseAutomaticEscalation(deps, source, consumed('drop-evt-1'));
    expect(await deps.escalations.get(automaticEscalationId(source))).toMatchObject({
      origin: 'pulse-score-dropped',
      departmentId: 'it',
      category: 'tools',
      severity: 'medium',
      confidential: false,
      podId: null,
      tags: ['pulse', 'pulse-topic:tool', 'domain:backend'],
      routing: { ruleId: 'tools-to-it' },
    });
    // A rule on the topic's tag routes it elsewhere.
    await store.configuration.putRoutingSettings(
      routingSettings({
        version: 2,
        rules: [
          { ruleId: 'tools-to-it', category: 'tools', departmentId: 'it' },
          { ruleId: 'tool-pulse-to-pmo', category: 'tools', tags: ['pulse-topic:tool'], departmentId: 'pmo' },
        ],
      }),
    );
    const again = sourceOf(
      busEvent(PulseScoreDroppedV1, (dropped.detail as { data: never }).data, { id: 'drop-evt-2' }),
    );
    await raiseAutomaticEscalation(deps, again, consumed('drop-evt-2'));
    expect((await deps.escalations.get(automaticEscalationId(again)))?.departmentId).toBe('pmo');
  });

  it('makes at most one escalation per source event, however often it comes', async () => {
    const { deps, store } = await inMemoryEscalations();
    expect(await raiseAutomaticEscalation(deps, sourceOf(atRisk()), consumed('risk-evt-1'))).toBe('created');
    expect(await raiseAutomaticEscalation(deps, sourceOf(atRisk()), consumed('risk-evt-1'))).toBe('duplicate');
    // Replayed after its consumed marker expired: the id derived from the event is taken.
    store.consumedMarkers.clear();
    expect(await raiseAutomaticEscalation(deps, sourceOf(atRisk()), consumed('risk-evt-1'))).toBe('exists');
    expect((await deps.escalations.list({ limit: 10 })).items).toHaveLength(1);
    expect(automaticEscalationId(sourceOf(atRisk('risk-evt-2')))).not.toBe(automaticEscalationId(sourceOf(atRisk())));
  });
});
