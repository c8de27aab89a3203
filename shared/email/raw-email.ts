/**
 * A plain-text email as RFC 5322 / MIME text, for SES SendRawEmail: UTF-8 everywhere (subjects
 * and names as RFC 2047 encoded words, the body base64), so any language and any line length
 * arrive intact, and no header can be injected through a subject or a name. With `html`, the
 * text and an HTML version go as multipart/alternative (mail clients show the one they prefer).
 * With `calendar`, an iCalendar invite goes both as a third alternative (`text/calendar;
 * method=...`, so mail clients show Accept and Decline) and as an `invite.ics` attachment, the
 * layout calendar clients expect.
 */
import { createHash } from 'node:crypto';

export interface Mailbox {
  name: string;
  address: string;
}

export interface OutgoingEmail {
  /** An address, or a name and an address (`"Mentoring programme" <mentoring@example.com>`). */
  from: string | Mailbox;
  to: readonly (string | Mailbox)[];
  subject: string;
  text: string;
  /** An HTML version of the same message (escaped by the caller). */
  html?: string;
  /** Further headers (`List-Unsubscribe`...): printable ASCII names and values only. */
  headers?: Readonly<Record<string, string>>;
  /** An iCalendar object (RFC 5545) and its iTIP method; needs `html`. */
  calendar?: { method: 'REQUEST' | 'CANCEL' | 'PUBLISH'; content: string };
}

export interface RawEmailOptions {
  /** `<id@domain>`. */
  messageId: string;
  date: Date;
}

/** An address, as far as a header is concerned: no spaces, no line breaks, no angle brackets, one `@`. */
const ADDRESS = /^[^\s<>@,;:"]+@[^\s<>@,;:"]+$/;

const assertAddress = (address: string): string => {
  if (!ADDRESS.test(address)) throw new Error(`Not an email address for a header: ${JSON.stringify(address)}`);
  return address;
};

/** `address`, or `"Name" <address>` with the name quoted (or encoded when it is not plain ASCII). */
const formatMailbox = (mailbox: string | Mailbox): string => {
  if (typeof mailbox === 'string') return assertAddress(mailbox);
  const address = assertAddress(mailbox.address);
  if (!mailbox.name) return address;
  const name = /^[\x20-\x7e]*$/.test(mailbox.name)
    ? `"${mailbox.name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    : encodeHeaderText(mailbox.name);
  return `${name} <${address}>`;
};

const HEADER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,75}$/;
const HEADER_VALUE = /^[\x20-\x7e]{0,900}$/;
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
]);

const extraHeader = ([name, value]: [string, string]): string => {
  if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase()) || !HEADER_VALUE.test(value)) {
    throw new Error(`Not a header this composer sends: ${JSON.stringify(name)}`);
  }
  return `${name}: ${value}`;
};

/** RFC 2047 `B` encoded words, split so each stays within 75 characters and no UTF-8 character is cut. */
export const encodeHeaderText = (text: string): string => {
  if (/^[\x20-\x7e]*$/.test(text) && !text.includes('=?')) return text;
  const words: string[] = [];
  let chunk = '';
  for (const character of text) {
    // 45 bytes of UTF-8 become 60 base64 characters: with `=?UTF-8?B?` and `?=`, 72.
    if (Buffer.byteLength(chunk + character) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ');
};

const base64Lines = (text: string): string =>
  (
    Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

/** A part: its type, base64 UTF-8, so no line of it can be read as a boundary or a header. */
const part = (type: string, body: string) => [
  `Content-Type: ${type}; charset=utf-8`,
  'Content-Transfer-Encoding: base64',
  '',
  base64Lines(body),
];

/** An iCalendar part keeps its own CRLF line ends (folded lines must stay as they are). */
const calendarPart = (type: string, body: string, extra: readonly string[] = []) => [
  `Content-Type: ${type}`,
  ...extra,
  'Content-Transfer-Encoding: base64',
  '',
  (
    Buffer.from(body, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n'),
];

export const composeRawEmail = (email: OutgoingEmail, options: RawEmailOptions): string => {
  if (email.to.length === 0) throw new Error('An email needs at least one recipient');
  if (email.calendar && email.html === undefined) throw new Error('A calendar invite goes with an HTML version');
  const headers = [
    `From: ${formatMailbox(email.from)}`,
    `To: ${email.to.map(formatMailbox).join(', ')}`,
    `Subject: ${encodeHeaderText(email.subject)}`,
    `Date: ${options.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${options.messageId}`,
    'MIME-Version: 1.0',
    ...Object.entries(email.headers ?? {}).map(extraHeader),
  ];
  if (email.html === undefined) return [...headers, ...part('text/plain', email.text), ''].join('\r\n');
  // Derived from the Message-ID, which is unique per email (hashed: a boundary is at most 70
  // characters); base64 bodies never contain "=_".
  const id = createHash('sha256').update(options.messageId).digest('hex').slice(0, 32);
  const boundary = `=_alt_${id}`;
  const alternatives = [
    `--${boundary}`,
    ...part('text/plain', email.text),
    `--${boundary}`,
    ...part('text/html', email.html),
    ...(email.calendar
      ? [
          `--${boundary}`,
          ...calendarPart(`text/calendar; charset=utf-8; method=${email.calendar.method}`, email.calendar.content),
        ]
      : []),
    `--${boundary}--`,
  ];
  if (!email.calendar) {
    return [...headers, `Content-Type: multipart/alternative; boundary="${boundary}"`, '', ...alternatives, ''].join(
      '\r\n',
    );
  }
  const mixed = `=_mix_${id}`;
  return [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    ...alternatives,
    `--${mixed}`,
    ...calendarPart('application/ics; name="invite.ics"', email.calendar.content, [
      'Content-Disposition: attachment; filename="invite.ics"',
    ]),
    `--${mixed}--`,
    '',
  ].join('\r\n');
};
