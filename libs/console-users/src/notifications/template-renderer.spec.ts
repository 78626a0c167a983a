import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConsoleUsersOptions } from '../console-users.options';
import { TemplateRenderer } from './template-renderer';

describe('TemplateRenderer', () => {
  let host: string;
  let sut: TemplateRenderer;

  beforeEach(() => {
    host = mkdtempSync(join(tmpdir(), 'renderer-host-'));
    mkdirSync(join(host, 'en'));
    writeFileSync(join(host, 'en', 'email-verify.subject.hbs'), 'Code for {{displayName}}');
    sut = new TemplateRenderer({ mail: { templatesDir: host } } as ResolvedConsoleUsersOptions);
  });

  afterEach(() => {
    rmSync(host, { recursive: true, force: true });
  });

  it("renders the host's template before the library's; the asked locale comes first", () => {
    const variables = { displayName: 'Zoë', code: '123456', username: 'zoe', expiresInMinutes: 10 };
    expect(sut.renderMail('email-verify', 'en', variables).subject).toBe('Code for Zoë'); // the host's
    const chinese = sut.renderMail('email-verify', 'zh-CN', variables);
    expect(chinese.subject).toBe('邮箱验证'); // the library's zh-CN subject beats the host's English one
    expect(chinese.text).toContain('123456');
    expect(chinese.htmlTemplate).toMatch(/zh-CN[/\\]email-verify\.html\.hbs$/);
  });

  it('looks for each template file on disk once, not on every mail: what it found first stays in use', () => {
    const variables = { displayName: 'Zoë', code: '123456', username: 'zoe', expiresInMinutes: 10 };
    expect(sut.renderMail('email-verify', 'en', variables).subject).toBe('Code for Zoë');
    // Were the directories searched again, the library's subject would now be found instead.
    rmSync(join(host, 'en', 'email-verify.subject.hbs'));
    expect(sut.renderMail('email-verify', 'en', variables).subject).toBe('Code for Zoë');
  });

  it('names a template that exists nowhere', () => {
    expect(() => sut.renderMail('no-such-mail', 'en', {})).toThrow('missing template en/no-such-mail.html.hbs');
  });
});
