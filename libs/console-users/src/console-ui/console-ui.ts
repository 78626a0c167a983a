import { resolve } from 'node:path';

/**
 * The built admin console (index.html and hashed `assets/`), next to the compiled library:
 * `dist/libs/console-users/console-ui/` in this repository. Empty or missing until the UI is built.
 *
 * A host serves it under {@link CONSOLE_UI_PATH} with an SPA fallback (any path that is not a
 * file gets `index.html`), hashed assets with {@link CONSOLE_UI_ASSET_CACHE_CONTROL}, `index.html`
 * with `no-cache`, and {@link CONSOLE_UI_SECURITY_HEADERS} on every answer. See the README
 * ("Serving the console UI") for Fastify and Express.
 */
export const CONSOLE_UI_DIR: string = resolve(__dirname, '..', '..', 'console-ui');

/** The URL path the console is built for (Vite `base: '/console/'`); links to "the console" point here. */
export const CONSOLE_UI_PATH = '/console/';

/** Cache-Control of content-hashed files under `assets/`: they never change under one name. */
export const CONSOLE_UI_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Cache-Control of `index.html` (and the SPA fallback): always revalidated, so a deploy is picked up at once. */
export const CONSOLE_UI_INDEX_CACHE_CONTROL = 'no-cache';

/**
 * Content-Security-Policy of the console: scripts only from our origin (no inline script), inline
 * styles allowed (the component library sets style attributes), images from us or `data:`/`blob:`
 * (avatar previews), calls only to our own API.
 */
export const CONSOLE_UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers for every answer under the console path. `no-referrer` because some console URLs carry a
 * secret in the query (the password-reset link), which must not leak to other sites.
 */
export const CONSOLE_UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_UI_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/**
 * The absolute URL of the console (or of a page in it) for links the server builds: mails,
 * recovery pages. `page` is relative to the console, e.g. `password-reset`.
 */
export function consoleUiUrl(publicUrl: string, page = ''): string {
  return `${publicUrl.replace(/\/+$/, '')}${CONSOLE_UI_PATH}${page.replace(/^\/+/, '')}`;
}

/**
 * Whether a request path inside the console must be a file: everything under `assets/` is, so a
 * missing asset is a 404 and never `index.html` (which a browser would then run as a script).
 * Other paths are files when one exists, else client-side routes (`users/alice.smith` included).
 */
export function isConsoleUiAssetPath(relativePath: string): boolean {
  return relativePath.startsWith('assets/');
}
