import { ConsoleRequest, headerValue } from './http-types';

/**
 * Whether a browser sent this request from a page of another origin than the site's own
 * (`siteOrigin`, from PUBLIC_URL). Both headers are set by browsers and cannot be forged by a
 * page. `Sec-Fetch-Site` decides when it is there: `same-origin` is the browser's own word that
 * the page and the target share an origin (so a console opened under another name than
 * PUBLIC_URL, such as 127.0.0.1 for localhost, still works), `same-site` and `cross-site` are
 * refused (a sibling subdomain is another origin; SameSite=Lax would let its posts carry the
 * cookie). Without it, `Origin` must equal the site's origin. A request with neither (not a
 * browser, or a browser too old to send them) and `Origin: null` (which browsers send for our
 * own pages, as those set `Referrer-Policy: no-referrer`) cannot be told apart and pass.
 */
export function isCrossOrigin(request: ConsoleRequest, siteOrigin: string): boolean {
  const site = headerValue(request, 'sec-fetch-site')?.trim().toLowerCase();
  if (site === 'same-origin' || site === 'none') {
    return false;
  }
  if (site === 'same-site' || site === 'cross-site') {
    return true;
  }
  const origin = headerValue(request, 'origin')?.trim();
  return origin !== undefined && origin !== 'null' && origin.toLowerCase() !== siteOrigin.toLowerCase();
}
