import { Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodemailerTransport } from './nodemailer.transport';
import type { OutgoingMail } from './mail-transport';

/** The dev mailbox (nodemailer's stream transport, no network): each mail lands as an .eml. */
describe('NodemailerTransport', () => {
  let dir: string;
  let sut: NodemailerTransport;
  const mail = (to: string): OutgoingMail => ({
    from: 'Console <no-reply@example.test>',
    to,
    subject: 'Verify your email address',
    text: 'Your code is 123456.\n',
    htmlTemplate: 'code.html',
    context: { code: '123456' },
    messageId: `<${to.length}-test@example.test>`,
    template: 'code',
  });
  const sentEml = async () => {
    const [file] = readdirSync(join(dir, 'mail')).filter((f) => f.endsWith('.eml'));
    const raw = readFileSync(join(dir, 'mail', file!), 'utf8');
    return { raw, parsed: await simpleParser(raw) };
  };

  // The dev mailbox logs where each mail went: not wanted in test output.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nodemailer-transport-'));
    writeFileSync(join(dir, 'code.html.hbs'), '<p>Your code is <b>{{code}}</b>.</p>');
    sut = new NodemailerTransport({ templateDirs: [dir], devMailboxDir: join(dir, 'mail') });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a mail between plain addresses itself', async () => {
    await sut.send(mail('ada@example.test'));
    const { raw, parsed } = await sentEml();
    expect(raw).toContain('boundary="----=_console-users_');
    expect(parsed.text).toBe('Your code is 123456.\n');
    expect(parsed.html).toBe('<p>Your code is <b>123456</b>.</p>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it("leaves any other address to nodemailer's composer, with the same content", async () => {
    await sut.send(mail('josé@example.test'));
    const { raw, parsed } = await sentEml();
    expect(raw).not.toContain('----=_console-users_');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe('josé@example.test');
    expect(parsed.text).toBe('Your code is 123456.\n');
    expect(parsed.html).toBe('<p>Your code is <b>123456</b>.</p>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it("gives nodemailer's JSON transport the structured fields it exists for", async () => {
    const json = new NodemailerTransport({ transport: { jsonTransport: true }, templateDirs: [dir], devMailboxDir: join(dir, 'mail') });
    // What nodemailer's JSON transport made of the mail (the transporter is the sut's own, made on first use).
    const transporter = (json as unknown as { mailer(): { sendMail(mail: unknown): Promise<{ message: string }> } }).mailer();
    const sent: { message: string }[] = [];
    const sendMail = transporter.sendMail.bind(transporter);
    transporter.sendMail = async (mail: unknown) => {
      const info = await sendMail(mail);
      sent.push(info);
      return info;
    };
    await json.send(mail('ada@example.test'));
    const fields = JSON.parse(sent[0]!.message) as { subject?: string; text?: string; raw?: unknown };
    expect(fields).toMatchObject({ subject: 'Verify your email address', text: 'Your code is 123456.\n' });
    expect(fields.raw).toBeUndefined();
  });
});
