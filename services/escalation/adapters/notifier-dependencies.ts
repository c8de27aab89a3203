/** Production wiring of `notifier`: the table (people, escalations, markers) and SES. */
import { SESClient } from '@aws-sdk/client-ses';
import { readConfig } from '../../../shared/config';
import { createSesMailer, EmailConfigSchema } from '../../../shared/email/ses-mailer';
import type { ConsumedEvents, EscalationDependencies, Mailer } from '../domain/ports';
import { createDynamoConsumedEvents } from './consumed-events';
import { type Env, escalationDependenciesOf, repositoryOptionsOf } from './escalation-dependencies';

export const loadNotifierDependencies = (
  env: Env = process.env,
): EscalationDependencies & { mailer: Mailer; consumedEvents: ConsumedEvents } => {
  const options = repositoryOptionsOf(env);
  const email = readConfig(EmailConfigSchema, env);
  const ses = createSesMailer({
    client: new SESClient({}),
    senderEmail: email.SENDER_EMAIL,
    configurationSet: email.SES_CONFIGURATION_SET,
  });
  return {
    ...escalationDependenciesOf(options),
    mailer: { send: async (message) => void (await ses.send(message)) },
    consumedEvents: createDynamoConsumedEvents(options),
  };
};
