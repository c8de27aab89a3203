/**
 * A plain-text email as RFC 5322 / MIME text, for SES SendRawEmail: UTF-8 everywhere (subjects
 * and names as RFC 2047 encoded words, the body base64), so any language and any line length
 * arrive intact, and no header can be injected through a subject or a name. With `html`, the
 * text and an HTML version go as multipart/alternative (mail clients show the one they prefer).
 */
export interface OutgoingEmail {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  /** An HTML version of the same message (escaped by the caller). */
  html?: string;
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

export const composeRawEmail = (email: OutgoingEmail, options: RawEmailOptions): string => {
  if (email.to.length === 0) throw new Error('An email needs at least one recipient');
  const headers = [
    `From: ${assertAddress(email.from)}`,
    `To: ${email.to.map(assertAddress).join(', ')}`,
    `Subject: ${encodeHeaderText(email.subject)}`,
    `Date: ${options.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${options.messageId}`,
    'MIME-Version: 1.0',
  ];
  if (email.html === undefined) return [...headers, ...part('text/plain', email.text), ''].join('\r\n');
  // Derived from the Message-ID, which is unique per email; base64 bodies never contain "=_".
  const boundary = `=_alt_${options.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...part('text/plain', email.text),
    `--${boundary}`,
    ...part('text/html', email.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
};
