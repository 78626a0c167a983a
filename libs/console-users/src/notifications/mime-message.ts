import { RandomBytesPool } from '../common/random-pool';

/** What goes into one mail: one sender, one recipient, a text and an HTML version of one content. */
export interface MimeMailContent {
  /** `address` or `Display Name <address>`. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<id@host>`. */
  messageId: string;
  date: Date;
  /** Further headers, ASCII names and values. */
  headers: Readonly<Record<string, string>>;
}

/** A message ready for SMTP: the envelope and the RFC 5322 text, CRLF line ends. */
export interface ComposedMime {
  envelope: { from: string; to: string[] };
  raw: string;
}

/** An address this composer writes as it stands: ASCII, no spaces, quotes, brackets or separators. */
const PLAIN_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$/;
const NAMED_ADDRESS = /^(.*?)\s*<([^<>]*)>$/s;
/** `<…>` around printable ASCII without angle brackets. */
const MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]+>$/;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
/** Characters a display name may carry without quoting (RFC 5322 atext and spaces). */
const ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Control characters (tab aside): nothing a header of ours may hold. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const SEVEN_BIT_TEXT = /^[\x09\x0a\x0d\x20-\x7e]*$/;
/** Longest line SMTP carries (998 characters plus CRLF). */
const MAX_LINE = 998;
const LONGER_THAN_SMTP_LINE = new RegExp(`[^\\r\\n]{${MAX_LINE + 1}}`);
/** Longest encoded word (RFC 2047). */
const MAX_ENCODED_WORD = 75;
const ENCODED_WORD_OVERHEAD = '=?UTF-8?B??='.length;

const boundaries = new RandomBytesPool();

/**
 * Writes a mail as MIME text (multipart/alternative: text, then HTML; UTF-8), or returns undefined
 * for anything outside what it writes safely (an address with non-ASCII or quoted parts, a header
 * with line breaks), which the caller sends through its general composer instead. Composing the
 * common case directly costs a fraction of a general MIME library's tree of nodes and streams:
 * the outbox sends hundreds of these a second.
 *
 * Bodies go as 7bit when they are ASCII with lines SMTP can carry, else base64; a subject or a
 * display name with other characters goes as RFC 2047 encoded words, folded.
 */
export function composeMime(mail: MimeMailContent): ComposedMime | undefined {
  const from = parseFrom(mail.from);
  if (!from || !PLAIN_ADDRESS.test(mail.to) || !MESSAGE_ID.test(mail.messageId) || CONTROL.test(mail.subject)) {
    return undefined;
  }
  for (const [name, value] of Object.entries(mail.headers)) {
    if (!HEADER_NAME.test(name) || !PRINTABLE_ASCII.test(value)) {
      return undefined;
    }
  }
  const boundary = `----=_console-users_${boundaries.take(18).toString('base64url')}`;
  const lines = [
    `From: ${from.header}`,
    `To: ${mail.to}`,
    `Subject: ${headerText(mail.subject, 'Subject: '.length)}`,
    `Message-ID: ${mail.messageId}`,
    `Date: ${rfc5322Date(mail.date)}`,
    'MIME-Version: 1.0',
    ...Object.entries(mail.headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...part('text/plain', mail.text),
    `--${boundary}`,
    ...part('text/html', mail.html),
    `--${boundary}--`,
    '',
  ];
  return { envelope: { from: from.address, to: [mail.to] }, raw: lines.join('\r\n') };
}

/** The sender's address and its header form, or undefined when it is not one plain address. */
function parseFrom(from: string): { address: string; header: string } | undefined {
  const trimmed = from.trim();
  if (PLAIN_ADDRESS.test(trimmed)) {
    return { address: trimmed, header: trimmed };
  }
  const named = NAMED_ADDRESS.exec(trimmed);
  if (!named || !PLAIN_ADDRESS.test(named[2]!) || CONTROL.test(named[1]!)) {
    return undefined;
  }
  const address = named[2]!;
  let name = named[1]!.trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (name === '') {
    return { address, header: address };
  }
  return { address, header: `${displayName(name)} <${address}>` };
}

function displayName(name: string): string {
  if (ATOM_TEXT.test(name)) {
    return name;
  }
  if (PRINTABLE_ASCII.test(name)) {
    return `"${name.replace(/(["\\])/g, '\\$1')}"`;
  }
  return encodedWords(name);
}

/** A header value as it stands when it is short printable ASCII, else as folded encoded words. */
function headerText(value: string, prefixLength: number): string {
  if (PRINTABLE_ASCII.test(value) && prefixLength + value.length <= MAX_LINE) {
    return value;
  }
  return encodedWords(value);
}

/**
 * `=?UTF-8?B?…?=` words, each at most 75 characters and each holding whole characters, joined by
 * folding whitespace (a decoder drops it between encoded words).
 */
function encodedWords(value: string): string {
  // 3 bytes become 4 base64 characters: the most bytes whose encoding fits one word.
  const maxBytes = Math.floor((MAX_ENCODED_WORD - ENCODED_WORD_OVERHEAD) / 4) * 3;
  const words: string[] = [];
  let chunk = '';
  let chunkBytes = 0;
  for (const character of value) {
    const bytes = Buffer.byteLength(character, 'utf8');
    if (chunkBytes + bytes > maxBytes && chunk !== '') {
      words.push(chunk);
      chunk = '';
      chunkBytes = 0;
    }
    chunk += character;
    chunkBytes += bytes;
  }
  if (chunk !== '' || words.length === 0) {
    words.push(chunk);
  }
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** One body part's headers, blank line and content. */
function part(type: 'text/plain' | 'text/html', content: string): string[] {
  const crlf = content.replace(/\r?\n|\r/g, '\r\n');
  if (SEVEN_BIT_TEXT.test(crlf) && !LONGER_THAN_SMTP_LINE.test(crlf)) {
    return [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: 7bit', '', crlf];
  }
  return [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', wrapBase64(Buffer.from(crlf, 'utf8').toString('base64'))];
}

/** Base64 in lines of 76 characters (RFC 2045). */
function wrapBase64(encoded: string): string {
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += 76) {
    lines.push(encoded.slice(at, at + 76));
  }
  return lines.join('\r\n');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon, 07 Dec 2026 14:16:29 +0000`. */
export function rfc5322Date(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
