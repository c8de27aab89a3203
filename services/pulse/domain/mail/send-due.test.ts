import { describe, expect, it } from 'vitest';
import { coach, createHarness, dayAfter } from '../../test-support/harness';
import type { Mailer, OutgoingEmail } from '../ports';
import { advanceRounds, createSurvey } from '../surveys/lifecycle';
import { submitResponse } from '../surveys/responses';
import { sendDueMail } from './send-due';

const context = { correlationId: 'corr-test' };

const recordingMailer = (failing = 0) => {
  const sent: OutgoingEmail[] = [];
  let failures = failing;
  const mailer: Mailer = {
    send: async (email) => {
      if (failures-- > 0) throw new Error('SES is throttling');
      sent.push(email);
    },
  };
  return { mailer, sent };
};

const setup = async () => {
  const harness = createHarness({ threshold: 3 });
  for (const id of ['a0', 'a1', 'a2', 'a3']) await harness.addPerson(id, 'a');
  await harness.addPerson('t0', 'a', { timezone: 'Asia/Tokyo', name: 'Aiko Tanaka' });
  const { survey } = await createSurvey(
    harness.deps,
    {
      title: 'Tool survey',
      topic: 'tool',
      questionSet: 'tool-satisfaction',
      questions: [],
      audience: { kind: 'everyone' },
      schedule: { kind: 'once', opensOn: dayAfter(harness.clock), closesOn: dayAfter(harness.clock, 6) },
    },
    coach.personId,
    context,
  );
  await advanceRounds(harness.deps, context);
  return { harness, surveyId: survey.surveyId };
};

describe('sending due emails', () => {
  it('sends each invitation once, when it is due in the recipient’s working hours', async () => {
    const { harness } = await setup();
    const { mailer, sent } = recordingMailer();
    expect((await sendDueMail(harness.deps, mailer)).sent).toBe(4);
    expect(sent.map((email) => email.to).sort()).toEqual([
      'a0@example.com',
      'a1@example.com',
      'a2@example.com',
      'a3@example.com',
    ]);
    expect(sent[0]?.subject).toBe('Pulse survey: Tool survey');
    expect(sent[0]?.text).toContain('anonymous');
    expect(sent[0]?.text).toContain('Answer before Tuesday, 1 December 2026 at 00:00 (your time)');
    expect((await sendDueMail(harness.deps, mailer)).sent).toBe(0);
    // Tokyo's working day begins at 00:00 UTC on Wednesday.
    harness.clock.set('2026-11-25T00:00:00Z');
    await sendDueMail(harness.deps, mailer);
    expect(sent.at(-1)).toMatchObject({ to: 't0@example.com' });
    expect(sent.at(-1)?.html).toContain('<p>Hello Aiko Tanaka,</p>');
  });

  it('reminds only those who have not answered, and respects turned-off emails and suppressed addresses', async () => {
    const { harness, surveyId } = await setup();
    const { mailer, sent } = recordingMailer();
    harness.clock.set('2026-11-26T00:00:00Z');
    await sendDueMail(harness.deps, mailer);
    sent.length = 0;
    await submitResponse(harness.deps, surveyId, 'a0', {
      answers: [
        { questionId: 'q1', value: 4 },
        { questionId: 'q2', value: 4 },
        { questionId: 'q3', value: 4 },
      ],
    });
    await harness.store.directory.putPreferences(
      { personId: 'a1', optedOut: ['pulse-reminders'], asOf: '2026-11-25T00:00:00Z' },
      harness.eventContext(),
    );
    await harness.store.directory.suppressEmail('A2@example.com', harness.eventContext());
    harness.clock.set('2026-11-30T23:00:00Z');
    const counts = await sendDueMail(harness.deps, mailer);
    expect(sent.map((email) => email.to).sort()).toEqual(['a3@example.com', 't0@example.com']);
    expect(sent[0]?.subject).toMatch(/^Reminder: pulse survey "Tool survey" closes soon$/);
    expect(counts).toMatchObject({ sent: 2, skipped: 3 });
  });

  it('retries a failed send later with backoff, and gives up after five attempts', async () => {
    const { harness } = await setup();
    const { mailer } = recordingMailer(100);
    expect((await sendDueMail(harness.deps, mailer)).retry).toBe(4);
    const retried = [...harness.store.inspect.mail.values()].find(
      (mail) => mail.personId === 'a0' && mail.kind === 'survey-invitation',
    );
    expect(retried).toMatchObject({ attempts: 1, dueAt: '2026-11-24T10:05:00.000Z' });
    for (let attempt = 0; attempt < 4; attempt++) {
      harness.clock.advance(3 * 3600_000);
      await sendDueMail(harness.deps, mailer);
    }
    expect(
      [...harness.store.inspect.mail.values()].some(
        (mail) => mail.personId === 'a0' && mail.kind === 'survey-invitation',
      ),
    ).toBe(false);
  });
});
