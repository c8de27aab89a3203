import { describe, expect, it } from 'vitest';
import { PulseSurveyClosedV1 } from '../../../shared/contracts/pulse-events';
import { busEvent } from '../../../test/builders/bus-event';
import type { OutgoingEmail } from '../domain/ports';
import { createSurvey } from '../domain/surveys/lifecycle';
import { submitResponse } from '../domain/surveys/responses';
import { coach, createHarness, dayAfter } from '../test-support/harness';
import { createMailSender } from './mail-sender-handler';
import { createPulseSweeper } from './pulse-sweeper-handler';
import { createResultsReleaser } from './results-releaser-handler';
import { CHECK_IN_REMINDERS_SCHEDULE, SURVEY_ROUNDS_SCHEDULE } from './schedule-names';

const firing = (schedule: string, scheduledTime: string) => ({ schedule, scheduledTime });

const setup = async () => {
  const harness = createHarness({ threshold: 3 });
  for (const id of ['a0', 'a1', 'a2']) await harness.addPerson(id, 'a');
  const { survey } = await createSurvey(
    harness.deps,
    {
      title: 'Process check',
      topic: 'process',
      questionSet: 'role-clarity',
      questions: [],
      audience: { kind: 'everyone' },
      schedule: { kind: 'once', opensOn: dayAfter(harness.clock, 1), closesOn: dayAfter(harness.clock, 3) },
    },
    coach.personId,
    { correlationId: 'create' },
  );
  return { harness, surveyId: survey.surveyId };
};

describe('the pulse sweeper', () => {
  it('takes the firing’s instant as now: opens a round on its day and closes it after its last', async () => {
    const { harness, surveyId } = await setup();
    const sweep = createPulseSweeper(harness.deps);
    expect(await sweep(firing(SURVEY_ROUNDS_SCHEDULE, '2026-11-24T23:45:00Z'))).toMatchObject({
      opened: [],
      closed: [],
    });
    expect(await sweep(firing(SURVEY_ROUNDS_SCHEDULE, '2026-11-25T00:00:00Z'))).toMatchObject({
      opened: [`${surveyId}-r1`],
    });
    const opened = harness.store.published.at(-1);
    expect(opened?.correlationId).toBe('survey-rounds@2026-11-25T00:00:00Z');
    expect(await sweep(firing(SURVEY_ROUNDS_SCHEDULE, '2026-11-28T00:00:00Z'))).toMatchObject({
      closed: [`${surveyId}-r1`],
    });
    expect((await harness.deps.surveys.survey(surveyId))?.status).toBe('closed');
  });

  it('queues check-in reminders on its other schedule, and refuses a firing it does not know', async () => {
    const { harness } = await setup();
    await harness.addPod('pod-1', 'a0', 'a', ['a1', 'a2']);
    const sweep = createPulseSweeper(harness.deps);
    expect(await sweep(firing(CHECK_IN_REMINDERS_SCHEDULE, '2026-12-01T05:00:00Z'))).toMatchObject({
      month: '2026-11',
      queued: ['a0'],
    });
    await expect(sweep(firing('nightly', '2026-12-01T05:00:00Z'))).rejects.toThrow(/Unknown schedule/);
    await expect(sweep({ schedule: 'survey-rounds' })).rejects.toThrow();
  });
});

describe('the mail sender', () => {
  it('sends what is due at the firing’s instant, with a link to the survey', async () => {
    const { harness, surveyId } = await setup();
    await createPulseSweeper(harness.deps)(firing(SURVEY_ROUNDS_SCHEDULE, '2026-11-25T00:00:00Z'));
    const sent: OutgoingEmail[] = [];
    const send = createMailSender(harness.deps, {
      mailer: { send: async (email) => void sent.push(email) },
      publicApiUrl: 'https://api.example.com/',
    });
    expect(await send(firing('mail', '2026-11-25T08:00:00Z'))).toMatchObject({ sent: 0 });
    expect(await send(firing('mail', '2026-11-25T09:00:00Z'))).toMatchObject({ sent: 3 });
    expect(sent.map((email) => email.subject)).toEqual(Array(3).fill('Pulse survey: Process check'));
    expect(sent[0]?.text).toContain(`at https://api.example.com/pulse/surveys/${surveyId}.`);
  });
});

describe('the results releaser', () => {
  it('releases the round a PulseSurvey.Closed names, once however often it is delivered', async () => {
    const { harness, surveyId } = await setup();
    await createPulseSweeper(harness.deps)(firing(SURVEY_ROUNDS_SCHEDULE, '2026-11-25T00:00:00Z'));
    for (const id of ['a0', 'a1', 'a2']) {
      await submitResponse(harness.deps, surveyId, id, {
        answers: [
          { questionId: 'q1', value: 4 },
          { questionId: 'q2', value: 4 },
          { questionId: 'q3', value: 5 },
          { questionId: 'q4', text: '' },
        ],
      });
    }
    await createPulseSweeper(harness.deps)(firing(SURVEY_ROUNDS_SCHEDULE, '2026-11-28T00:00:00Z'));
    const closed = harness.store.published.find((published) => published.event.contract === PulseSurveyClosedV1);
    const event = busEvent(PulseSurveyClosedV1, closed?.event.data as never);
    const release = createResultsReleaser(harness.deps);
    await release(event);
    await release(event);
    const results = await harness.deps.surveys.results(`${surveyId}-r1`);
    expect(results?.shown.map((entry) => [entry.segment, entry.figures.respondents])).toEqual([
      ['everyone', 3],
      ['domain:a', 3],
    ]);
    expect(await harness.deps.surveys.pendingRelease()).toBeNull();
  });
});
