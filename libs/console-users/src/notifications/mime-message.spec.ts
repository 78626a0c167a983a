import { simpleParser } from 'mailparser';
import { composeMime, MimeMailContent, rfc5322Date } from './mime-message';

const base: MimeMailContent = {
  from: 'Console <no-reply@example.test>',
  to: 'ada@example.test',
  subject: 'Verify your email address',
  text: 'Your code is 123456.\nIt expires in 10 minutes.\n',
  html: '<p>Your code is <b>123456</b>.</p>\n',
  messageId: '<0b7d2a4e-1c7f-4a51-9b1e-5f0f3d2a9c11@example.test>',
  date: new Date('2026-12-07T14:16:29.000Z'),
  headers: { 'Auto-Submitted': 'auto-generated' },
};

async function parsed(mail: MimeMailContent) {
  const composed = composeMime(mail);
  expect(composed).toBeDefined();
  return { composed: composed!, mail: await simpleParser(composed!.raw) };
}

describe('composeMime', () => {
  it('writes a multipart/alternative message a mail parser reads back field for field', async () => {
    const { composed, mail } = await parsed(base);
    expect(composed.envelope).toEqual({ from: 'no-reply@example.test', to: ['ada@example.test'] });
    expect(mail.from?.value).toEqual([{ name: 'Console', address: 'no-reply@example.test' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ name: '', address: 'ada@example.test' }]);
    expect(mail.subject).toBe(base.subject);
    expect(mail.messageId).toBe(base.messageId);
    expect(mail.date?.toISOString()).toBe('2026-12-07T14:16:29.000Z');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('mime-version')).toBe('1.0');
    expect(mail.text).toBe('Your code is 123456.\nIt expires in 10 minutes.\n');
    expect(mail.html).toBe('<p>Your code is <b>123456</b>.</p>\n');
  });

  it('uses CRLF line ends only, and no line SMTP could not carry', () => {
    const long = `${'x'.repeat(2_000)}\n`;
    const raw = composeMime({ ...base, text: long, html: `<p>${'é'.repeat(1_500)}</p>` })!.raw;
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(Math.max(...raw.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(998);
  });

  it('carries non-ASCII subjects, names and bodies, and long lines, intact', async () => {
    const subject = '验证您的电子邮件地址 — 请在十分钟内输入验证码，过期后需要重新发送一次新的验证码到您的邮箱';
    const text = `您的验证码是 123456。\n${'a'.repeat(1_200)}\n`;
    const { mail } = await parsed({ ...base, from: '控制台 Console <no-reply@example.test>', subject, text, html: '<p>验证码 <b>123456</b></p>' });
    expect(mail.subject).toBe(subject);
    expect(mail.from?.value).toEqual([{ name: '控制台 Console', address: 'no-reply@example.test' }]);
    expect(mail.text).toBe(text);
    expect(mail.html).toBe('<p>验证码 <b>123456</b></p>');
  });

  it('quotes a display name with special characters, and takes a quoted one as given', async () => {
    expect((await parsed({ ...base, from: 'Ops, Console (EU) <ops@example.test>' })).mail.from?.value).toEqual([{ name: 'Ops, Console (EU)', address: 'ops@example.test' }]);
    expect((await parsed({ ...base, from: '"Ops \\"Console\\"" <ops@example.test>' })).mail.from?.value).toEqual([{ name: 'Ops "Console"', address: 'ops@example.test' }]);
    expect((await parsed({ ...base, from: 'ops@example.test' })).mail.from?.value).toEqual([{ name: '', address: 'ops@example.test' }]);
  });

  it('leaves to the general composer what it does not write itself', () => {
    expect(composeMime({ ...base, to: 'josé@example.test' })).toBeUndefined();
    expect(composeMime({ ...base, to: '"a b"@example.test' })).toBeUndefined();
    expect(composeMime({ ...base, from: 'Console <no-reply@exämple.test>' })).toBeUndefined();
    expect(composeMime({ ...base, from: 'not an address' })).toBeUndefined();
    expect(composeMime({ ...base, subject: 'Line\r\nBcc: x@example.test' })).toBeUndefined();
    expect(composeMime({ ...base, headers: { 'X-Note': 'a\r\nBcc: x@example.test' } })).toBeUndefined();
  });

  it('gives every message its own boundary', () => {
    const boundary = (raw: string) => /boundary="([^"]+)"/.exec(raw)?.[1];
    expect(boundary(composeMime(base)!.raw)).not.toBe(boundary(composeMime(base)!.raw));
  });

  it('writes dates as RFC 5322 does', () => {
    expect(rfc5322Date(new Date('2026-01-05T03:04:05.999Z'))).toBe('Mon, 05 Jan 2026 03:04:05 +0000');
  });
});
