import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlTemplates } from './html-templates';

describe('HtmlTemplates', () => {
  let host: string;
  let library: string;

  beforeEach(() => {
    host = mkdtempSync(join(tmpdir(), 'html-host-'));
    library = mkdtempSync(join(tmpdir(), 'html-lib-'));
    mkdirSync(join(host, 'en'));
    mkdirSync(join(library, 'en'));
    writeFileSync(join(library, 'en', 'greet.html.hbs'), '<p>Hello {{displayName}}</p><a href="{{link}}">go</a>');
    writeFileSync(join(library, 'en', 'bye.html.hbs'), '<p>Bye {{displayName}}{{#if missing}}!{{/if}}</p>');
    writeFileSync(join(host, 'en', 'greet.html.hbs'), '<h1>Welcome {{displayName}}</h1>');
  });

  afterEach(() => {
    rmSync(host, { recursive: true, force: true });
    rmSync(library, { recursive: true, force: true });
  });

  it('escapes what it is given, so a name or a link cannot add markup', () => {
    const sut = new HtmlTemplates([library]);
    const html = sut.render(join(library, 'en', 'greet.html.hbs'), { displayName: '<b>Zoë</b>', link: 'https://x.test/?a=1&b="2"' });
    expect(html).toBe('<p>Hello &lt;b&gt;Zoë&lt;/b&gt;</p><a href="https://x.test/?a&#x3D;1&amp;b&#x3D;&quot;2&quot;">go</a>');
  });

  it('looks a relative name up in the host directory first, then the library', () => {
    const sut = new HtmlTemplates([host, library]);
    expect(sut.render('en/greet.html', { displayName: 'Ann' })).toBe('<h1>Welcome Ann</h1>');
    expect(sut.render('en/bye.html.hbs', { displayName: 'Ann' })).toBe('<p>Bye Ann</p>'); // not strict: a missing value is empty
  });

  it('names the template it cannot find', () => {
    expect(() => new HtmlTemplates([host, library]).render('en/nope.html', {})).toThrow('missing HTML template en/nope.html.hbs');
  });
});
