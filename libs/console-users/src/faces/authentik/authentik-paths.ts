/**
 * authentik's API paths end in `/` (`/api/v3/core/users/42/recovery/`), Nest's routes do not,
 * and Fastify matches slashes strictly. A Fastify host passes this as `rewriteUrl` so both
 * spellings reach the authentik face; other paths are left alone. (Express matches either
 * spelling by default and needs nothing.)
 */
export function authentikPathRewrite(url: string): string {
  if (!url.startsWith('/api/v3/')) {
    return url;
  }
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.length <= 1 || !path.endsWith('/')) {
    return url;
  }
  return path.replace(/\/+$/, '') + (q === -1 ? '' : url.slice(q));
}
