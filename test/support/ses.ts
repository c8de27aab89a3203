/** An SES emulator on a free port, with a typed view of its store. */
import { SESClient } from '@aws-sdk/client-ses';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/environment';
import { type SesEmulator, startSesEmulator } from '../../local/ses';

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: { filename?: string; contentType: string; content: string }[];
  at: number;
}

/** The emails the emulator holds (its `GET /store`). */
export const storedEmails = async (ses: Pick<SesEmulator, 'storeUrl'>): Promise<StoredEmail[]> => {
  const response = await fetch(ses.storeUrl);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
};

export const startTestSes = async (): Promise<SesEmulator & { client: SESClient }> => {
  const ses = await startSesEmulator({ port: 0 });
  const client = new SESClient({ endpoint: ses.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    ...ses,
    client,
    stop: async () => {
      client.destroy();
      await ses.stop();
    },
  };
};
