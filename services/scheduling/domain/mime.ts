/**
 * MIME messages for SES `SendRawEmail`, written by hand rather than with a library: what we send
 * is small and fixed (text and HTML alternatives, optionally an iCalendar invite), and every byte
 * of it is then checked by an independent parser (mailparser) in the tests. Bodies are base64 (no
 * line-length or 8-bit concerns), boundaries contain `_` (never in base64), non-ASCII header text
 * is RFC 2047 encoded-words, lines end in CRLF. The calendar is both an alternative part (so mail
 * clients show Accept/Decline) and an `.ics` attachment, the layout calendar clients expect.
 */
import { createHash } from 'node:crypto';

export interface Mailbox {
  name: string;
  address: string;
}

export interface MimeMessage {
  from: Mailbox;
  to: Mailbox;
  subject: string;
  date: Date;
  /** Without angle brackets: `notice-123@mentoring.example`. */
  messageId: string;
  /** Extra headers, e.g. `List-Unsubscribe`; values must be ASCII. */
  headers?: Readonly<Record<string, string>>;
  text: string;
  html: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

const CRLF = '\r\n';
const isPrintableAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** UTF-8 chunks of at most `maxBytes`, never splitting a character. */
const utf8Chunks = (text: string, maxBytes: number): string[] => {
  const chunks: string[] = [];
  let current = '';
  for (const character of text) {
    if (Buffer.byteLength(current + character) > maxBytes) {
      chunks.push(current);
      current = '';
    }
    current += character;
  }
  if (current) chunks.push(current);
  return chunks;
};

/** Header text: as it is when plain ASCII, else RFC 2047 `=?UTF-8?B?...?=` words (each at most 75 characters). */
export const encodeHeaderText = (text: string): string =>
  isPrintableAscii(text)
    ? text
    : utf8Chunks(text, 45)
        .map((chunk) => `=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`)
        .join(`${CRLF} `);

/** `"Ada Lovelace" <ada@example.com>`, the name encoded when it is not plain ASCII. */
export const formatMailbox = (mailbox: Mailbox): string => {
  if (!mailbox.name) return `<${mailbox.address}>`;
  const name = isPrintableAscii(mailbox.name)
    ? `"${mailbox.name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    : encodeHeaderText(mailbox.name);
  return `${name} <${mailbox.address}>`;
};

const base64Lines = (content: string): string =>
  (
    Buffer.from(content, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);

const part = (headers: string[], content: string) =>
  [...headers, 'Content-Transfer-Encoding: base64', '', base64Lines(content)].join(CRLF);

const multipart = (boundary: string, parts: string[]) =>
  `${parts.map((body) => `--${boundary}${CRLF}${body}`).join(CRLF)}${CRLF}--${boundary}--`;

export const buildMime = (message: MimeMessage): string => {
  const seed = createHash('sha256').update(message.messageId).digest('hex').slice(0, 16);
  const alternatives = [
    part(['Content-Type: text/plain; charset=UTF-8'], message.text),
    part(['Content-Type: text/html; charset=UTF-8'], message.html),
  ];
  let contentType: string;
  let body: string;
  if (message.calendar) {
    const { method, content } = message.calendar;
    alternatives.push(part([`Content-Type: text/calendar; charset=UTF-8; method=${method}`], content));
    const alternative = `=_alt_${seed}`;
    const mixed = `=_mix_${seed}`;
    const attachment = part(
      ['Content-Type: application/ics; name="invite.ics"', 'Content-Disposition: attachment; filename="invite.ics"'],
      content,
    );
    contentType = `multipart/mixed; boundary="${mixed}"`;
    body = multipart(mixed, [
      `Content-Type: multipart/alternative; boundary="${alternative}"${CRLF}${CRLF}${multipart(alternative, alternatives)}`,
      attachment,
    ]);
  } else {
    const alternative = `=_alt_${seed}`;
    contentType = `multipart/alternative; boundary="${alternative}"`;
    body = multipart(alternative, alternatives);
  }
  const headers = [
    `From: ${formatMailbox(message.from)}`,
    `To: ${formatMailbox(message.to)}`,
    `Subject: ${encodeHeaderText(message.subject)}`,
    `Date: ${message.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${message.messageId}>`,
    'MIME-Version: 1.0',
    ...Object.entries(message.headers ?? {}).map(([name, value]) => {
      if (!isPrintableAscii(value)) throw new Error(`Header ${name} must be ASCII`);
      return `${name}: ${value}`;
    }),
    `Content-Type: ${contentType}`,
  ];
  return `${headers.join(CRLF)}${CRLF}${CRLF}${body}${CRLF}`;
};
