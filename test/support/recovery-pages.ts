/**
 * A browser without JavaScript for the recovery pages: plain `fetch`, following the mailed link
 * (rewritten from PUBLIC_URL to the test server) and submitting the pages' forms as they are.
 */

/** One fetched page. */
export interface Page {
  status: number;
  headers: Headers;
  html: string;
  /** Where the page came from, for resolving its form action. */
  url: string;
}

/** A link from a mail or from `/recovery/`, which must point at PUBLIC_URL. */
export function serverUrlOf(link: string, publicUrl: string, baseUrl: string): string {
  const url = new URL(link);
  if (url.origin !== new URL(publicUrl).origin) {
    throw new Error(`link does not point at PUBLIC_URL: ${url.origin}`);
  }
  return `${baseUrl}${url.pathname}${url.search}`;
}

/** GET a page. */
export async function open(url: string, headers: Record<string, string> = {}): Promise<Page> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text(), url };
}

/** The hidden fields of the page's form. */
export function hiddenFields(page: Page): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.html.matchAll(/<input type="hidden" name="([\w-]+)" value="([^"]*)">/g)) {
    fields[match[1]!] = decodeEntities(match[2]!);
  }
  return fields;
}

/** Submits the page's (only) form with its hidden fields plus `extra`. */
export async function submit(page: Page, extra: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Page> {
  const action = /<form method="post" action="([^"]*)">/.exec(page.html)?.[1];
  if (action === undefined) {
    throw new Error(`no form on the page (status ${page.status})`);
  }
  return post(new URL(decodeEntities(action), page.url).toString(), { ...hiddenFields(page), ...extra }, headers);
}

/** POSTs a form body. */
export async function post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, html: await res.text(), url };
}

/** The page's `<h1>`. */
export function titleOf(page: Page): string {
  return decodeEntities(/<h1>([^<]*)<\/h1>/.exec(page.html)?.[1] ?? '');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The recovery link in a mail's text. */
export function linkIn(text: string): string {
  const match = /(https?:\/\/\S+\/recovery\?token=[A-Za-z0-9_%-]+)/.exec(text);
  if (!match) {
    throw new Error('no recovery link in the mail');
  }
  return match[1]!;
}

/** The token of a recovery link. */
export function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}
