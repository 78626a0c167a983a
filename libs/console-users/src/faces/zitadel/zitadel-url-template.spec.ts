import {
  assertRenderableUrlTemplate,
  InvalidUrlTemplateError,
  parseUrlTemplate,
  renderUrlTemplate,
  UrlTemplateValues,
} from './zitadel-url-template';

const values: UrlTemplateValues = { UserID: '42', Code: '123456', OrgID: 'console' };

function rejects(template: string, reason?: RegExp): void {
  const render = () => renderUrlTemplate(template, values);
  expect(render).toThrow(InvalidUrlTemplateError);
  if (reason) {
    expect(render).toThrow(expect.objectContaining({ reason: expect.stringMatching(reason) }));
  }
}

describe('ZITADEL URL templates', () => {
  describe('rendering', () => {
    it('places the three fields', () => {
      const sut = renderUrlTemplate('https://app.example/verify?u={{.UserID}}&c={{.Code}}&o={{.OrgID}}', values);
      expect(sut).toBe('https://app.example/verify?u=42&c=123456&o=console');
    });

    it('URL-encodes every value', () => {
      const sut = renderUrlTemplate('https://app.example/{{.OrgID}}/x?c={{.Code}}', { UserID: '1', Code: 'a&b=c/d?e#f g', OrgID: 'ü/..' });
      expect(sut).toBe('https://app.example/%C3%BC%2F../x?c=a%26b%3Dc%2Fd%3Fe%23f%20g');
    });

    it("allows Go's whitespace inside the braces", () => {
      expect(renderUrlTemplate('https://a.example/?c={{ .Code }}', values)).toBe('https://a.example/?c=123456');
      expect(renderUrlTemplate('https://a.example/?c={{\t.Code\n}}', values)).toBe('https://a.example/?c=123456');
    });

    it("honours Go's trim markers", () => {
      expect(renderUrlTemplate('https://a.example/?c={{- .Code -}}', values)).toBe('https://a.example/?c=123456');
    });

    it('accepts a template without any action, and one field used twice', () => {
      expect(renderUrlTemplate('https://a.example/done', values)).toBe('https://a.example/done');
      expect(renderUrlTemplate('http://a.example/{{.Code}}/{{.Code}}', values)).toBe('http://a.example/123456/123456');
    });

    it('keeps single braces in text', () => {
      expect(renderUrlTemplate('https://a.example/{x}?c={{.Code}}', values)).toBe('https://a.example/{x}?c=123456');
    });

    it('splits into text and field segments', () => {
      const sut = parseUrlTemplate('https://a.example/?c={{.Code}}&u={{.UserID}}');
      expect(sut).toEqual([{ text: 'https://a.example/?c=' }, { field: 'Code' }, { text: '&u=' }, { field: 'UserID' }]);
    });
  });

  describe('rejection', () => {
    it('other fields, lower-case names and fields without the dot', () => {
      rejects('https://a.example/?c={{.Token}}', /only/);
      rejects('https://a.example/?c={{.code}}', /only/);
      rejects('https://a.example/?c={{Code}}', /only/);
      rejects('https://a.example/?c={{.}}', /only/);
      rejects('https://a.example/?c={{.Code.X}}', /only/);
      rejects('https://a.example/?c={{$.Code}}', /only/);
    });

    it('functions, pipelines, conditionals, variables and comments', () => {
      rejects('https://a.example/?c={{.Code | urlquery}}');
      rejects('https://a.example/?c={{printf "%s" .Code}}');
      rejects('https://a.example/{{if .Code}}x{{end}}');
      rejects('https://a.example/{{$x := .Code}}');
      rejects('https://a.example/{{/* comment */}}');
      rejects('https://a.example/{{call .Code}}');
      rejects('https://a.example/{{template "x"}}');
    });

    it('unbalanced braces', () => {
      rejects('https://a.example/?c={{.Code', /not closed/);
      rejects('https://a.example/?c=.Code}}', /without a matching/);
      rejects('https://a.example/?c={{{{.Code}}}}');
      rejects('https://a.example/?c={{.Code}}}}', /without a matching/);
    });

    it('empty templates and templates over 200 characters', () => {
      rejects('', /1 to 200/);
      rejects(`https://a.example/${'x'.repeat(183)}`, /1 to 200/);
      expect(() => renderUrlTemplate(`https://a.example/${'x'.repeat(182)}`, values)).not.toThrow();
    });

    it('results that are not absolute http(s) URLs', () => {
      rejects('javascript:alert({{.Code}})', /http or https/);
      rejects('ftp://a.example/{{.Code}}', /http or https/);
      rejects('/relative/{{.Code}}', /absolute/);
      rejects('{{.Code}}', /absolute/);
      rejects('h{{.Code}}ttps://a.example/', /http or https/);
      rejects('data:text/html,{{.Code}}', /http or https/);
    });

    it('spaces and control characters outside actions', () => {
      rejects('https://a.example/ ?c={{.Code}}', /spaces/);
      rejects('https://a.example/\n?c={{.Code}}', /spaces/);
      rejects(' https://a.example/?c={{.Code}}', /spaces/);
    });

    it('Go look-alikes that are not trim markers', () => {
      rejects('https://a.example/?c={{-.Code}}', /only/);
      rejects('https://a.example/?c={{.Code-}}', /only/);
    });
  });

  describe('dry render at request time', () => {
    it('accepts a good template and rejects a bad one', () => {
      expect(() => assertRenderableUrlTemplate('https://a.example/?c={{.Code}}', { UserID: '7', OrgID: 'console' })).not.toThrow();
      expect(() => assertRenderableUrlTemplate('https://a.example/?c={{.Nope}}', { UserID: '7', OrgID: 'console' })).toThrow(InvalidUrlTemplateError);
    });
  });
});
