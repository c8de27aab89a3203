/** An SES emulator on a free port, with a typed view of its store and of the raw messages it received. */
import { SESClient } from '@aws-sdk/client-ses';
import { type ParsedMail, simpleParser } from 'mailparser';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/environment';
import { type RawEmail, type SesEmulator, startSesEmulator } from '../../local/ses';

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

/** A raw message as the emulator received it, parsed by an independent MIME parser (mailparser). */
export interface ReceivedEmail {
  messageId: string;
  raw: string;
  parsed: ParsedMail;
}

/** Every SendRawEmail the emulator accepted (its `GET /raw-store`), parsed with mailparser. */
export const receivedEmails = async (ses: { rawStoreUrl: string } | string): Promise<ReceivedEmail[]> => {
  const response = await fetch(typeof ses === 'string' ? ses : ses.rawStoreUrl);
  const { emails } = (await response.json()) as { emails: RawEmail[] };
  return Promise.all(
    emails.map(async (email) => {
      const raw = Buffer.from(email.raw, 'base64').toString('utf8');
      return { messageId: email.messageId, raw, parsed: await simpleParser(raw) };
    }),
  );
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

/** A header exactly as it was written (unfolded), by case-insensitive name: what a receiver reads. */
export const rawHeader = (mail: ParsedMail, name: string): string | undefined => {
  const line = mail.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]/g, ' ')
    .trim();
};
