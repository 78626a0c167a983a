/**
 * ZITADEL's `urlTemplate`: Go `text/template` syntax executed on a struct whose only fields are
 * `UserID`, `Code` and `OrgID`. We accept exactly the part of that language an integrator needs
 * — text and `{{.Field}}` actions (with Go's whitespace and `{{-`/`-}}` trim markers) — and
 * nothing that can compute (functions, pipelines, conditionals, other fields). It is a scanner,
 * not a template engine: nothing in a template is ever evaluated.
 */

/** The values a template may place; rendered URL-encoded. */
export interface UrlTemplateValues {
  UserID: string;
  Code: string;
  OrgID: string;
}

/** The template is not one we render; `reason` is safe to show to the caller. */
export class InvalidUrlTemplateError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidUrlTemplateError';
  }
}

/** ZITADEL's bounds on `urlTemplate` (in characters). */
export const URL_TEMPLATE_MAX_LENGTH = 200;

type Segment = { text: string } | { field: keyof UrlTemplateValues };

const FIELDS: readonly (keyof UrlTemplateValues)[] = ['UserID', 'Code', 'OrgID'];
/** Go's space characters (and only those) may surround an action's body. */
const LEADING_SPACE = /^[ \t\r\n]+/;
const TRAILING_SPACE = /[ \t\r\n]+$/;
/** A URL has no spaces or control characters; they would only hide what the link really is. */
const FORBIDDEN_IN_TEXT = /[\s\u0000-\u001f\u007f]/;

/** Splits a template into text and field segments, or throws {@link InvalidUrlTemplateError}. */
export function parseUrlTemplate(template: string): Segment[] {
  const length = [...template].length;
  if (length === 0 || length > URL_TEMPLATE_MAX_LENGTH) {
    throw new InvalidUrlTemplateError(`must be 1 to ${URL_TEMPLATE_MAX_LENGTH} characters`);
  }
  const segments: Segment[] = [];
  let rest = template;
  let trimNextText = false;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    let text = open === -1 ? rest : rest.slice(0, open);
    if (trimNextText) {
      text = text.replace(LEADING_SPACE, '');
      trimNextText = false;
    }
    if (open === -1) {
      pushText(segments, text);
      break;
    }
    const close = rest.indexOf('}}', open + 2);
    if (close === -1) {
      throw new InvalidUrlTemplateError('an action "{{" is not closed by "}}"');
    }
    let inner = rest.slice(open + 2, close);
    // Go's trim markers are "{{- " and " -}}": the dash must be separated by a space from the action.
    if (/^-[ \t\r\n]/.test(inner)) {
      text = text.replace(TRAILING_SPACE, '');
      inner = inner.slice(1);
    }
    if (/[ \t\r\n]-$/.test(inner)) {
      trimNextText = true;
      inner = inner.slice(0, -1);
    }
    pushText(segments, text);
    segments.push({ field: fieldOf(inner) });
    rest = rest.slice(close + 2);
  }
  return segments;
}

/**
 * Renders a template with URL-encoded values and checks that the result is an absolute http(s)
 * URL. Throws {@link InvalidUrlTemplateError} otherwise.
 */
export function renderUrlTemplate(template: string, values: UrlTemplateValues): string {
  const rendered = parseUrlTemplate(template)
    .map((segment) => ('text' in segment ? segment.text : encodeURIComponent(values[segment.field])))
    .join('');
  let url: URL;
  try {
    url = new URL(rendered);
  } catch {
    throw new InvalidUrlTemplateError('does not render to an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidUrlTemplateError('must render to an http or https URL');
  }
  if (url.hostname === '') {
    throw new InvalidUrlTemplateError('must render to a URL with a host');
  }
  return rendered;
}

/**
 * Validates a template when the request arrives, as ZITADEL does, by a dry render with the
 * request's user and organisation and a stand-in code.
 */
export function assertRenderableUrlTemplate(template: string, values: Omit<UrlTemplateValues, 'Code'>): void {
  renderUrlTemplate(template, { ...values, Code: '000000' });
}

function pushText(segments: Segment[], text: string): void {
  if (text.includes('}}')) {
    throw new InvalidUrlTemplateError('"}}" without a matching "{{"');
  }
  if (FORBIDDEN_IN_TEXT.test(text)) {
    throw new InvalidUrlTemplateError('spaces and control characters are not allowed outside actions');
  }
  if (text !== '') {
    segments.push({ text });
  }
}

function fieldOf(inner: string): keyof UrlTemplateValues {
  const body = inner.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
  const field = body.startsWith('.') ? body.slice(1) : '';
  if (!FIELDS.includes(field as keyof UrlTemplateValues)) {
    throw new InvalidUrlTemplateError(
      `only {{.UserID}}, {{.Code}} and {{.OrgID}} may appear in an action, not "{{${inner.slice(0, 40)}}}"`,
    );
  }
  return field as keyof UrlTemplateValues;
}
