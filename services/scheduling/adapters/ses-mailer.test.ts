/** The SES mailer: against the SES emulator with the real client, and its error mapping with a stubbed one. */
import { type SESClient, SESServiceException } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeRawEmail } from '../../../shared/email/raw-email';
import { receivedEmails, startTestSes } from '../../../test/support/ses';
import { PermanentSendError } from '../domain/sweep';
import { createSesMailer } from './ses-mailer';

const raw = Buffer.from(
  composeRawEmail(
    { from: 'mentoring@example.com', to: ['ada@example.com'], subject: 'Hello', text: 'Hello Ada' },
    { messageId: '<m-1@example.com>', date: new Date('2027-03-01T08:00:00Z') },
  ),
);

describe('the SES mailer', () => {
  let ses: Awaited<ReturnType<typeof startTestSes>>;
  beforeAll(async () => {
    ses = await startTestSes();
  });
  afterAll(() => ses.stop());

  it('sends the raw message as it is, through the configuration set, and answers SES’s message id', async () => {
    const mailer = createSesMailer(ses.client, {
      senderEmail: 'mentoring@example.com',
      configurationSet: 'mentoring-local',
    });
    const messageId = await mailer.send({ to: 'ada@example.com', raw });
    const [received] = await receivedEmails(ses);
    expect(received?.messageId).toBe(messageId);
    expect(received?.raw).toBe(raw.toString('utf8'));
  });

  it('gives up at once on a message SES refuses for good, and lets a throttle be retried', async () => {
    const failing = (name: string) =>
      ({
        send: async () => {
          throw new SESServiceException({ name, $fault: 'client', $metadata: {}, message: `${name} from SES` });
        },
      }) as unknown as SESClient;
    const settings = { senderEmail: 'mentoring@example.com', configurationSet: 'mentoring-local' };
    await expect(
      createSesMailer(failing('MessageRejected'), settings).send({ to: 'ada@example.com', raw }),
    ).rejects.toBeInstanceOf(PermanentSendError);
    const throttled = await createSesMailer(failing('Throttling'), settings)
      .send({ to: 'ada@example.com', raw })
      .catch((error: Error) => error);
    expect(throttled).not.toBeInstanceOf(PermanentSendError);
    expect(throttled).toMatchObject({ name: 'Throttling' });
  });
});
