/**
 * A plain email as MIME (RFC 5322 / 2045-2047): multipart/alternative with a text and an HTML
 * part, both UTF-8 in base64; non-ASCII header words encoded (RFC 2047). What SES SendRawEmail
 * takes. Generic: it can move to shared/ once a second service sends email this way.
 */
import { randomUUID } from 'node:crypto';

export interface MimeEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** For Message-ID; the sender's domain is used when absent. */
  messageIdDomain?: string;
  date?: Date;
}

/** RFC 2047 encoded-word for a header value that is not plain ASCII. */
export const encodeHeaderValue = (value: string): string =>
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;

/** Base64 in lines of 76 characters, as MIME requires. */
const base64Lines = (text: string): string =>
  (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

export const buildMimeEmail = (email: MimeEmail): string => {
  const boundary = `=_pulse_${randomUUID()}`;
  const domain = email.messageIdDomain ?? email.from.split('@')[1] ?? 'localhost';
  const headers = [
    `From: ${email.from}`,
    `To: ${email.to}`,
    `Subject: ${encodeHeaderValue(email.subject)}`,
    `Date: ${(email.date ?? new Date()).toUTCString()}`,
    `Message-ID: <${randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(body),
    ].join('\r\n');
  return [...headers, '', part('text/plain', email.text), part('text/html', email.html), `--${boundary}--`, ''].join(
    '\r\n',
  );
};
