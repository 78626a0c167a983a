import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CONSOLE_UI_ASSET_CACHE_CONTROL,
  CONSOLE_UI_INDEX_CACHE_CONTROL,
  CONSOLE_UI_PATH,
  CONSOLE_UI_SECURITY_HEADERS,
  isConsoleUiAssetPath,
} from '../console-users';

/** Logs the one warning of a missing build. */
export interface ConsoleUiLogger {
  warn(message: string): void;
}

const PREFIX = CONSOLE_UI_PATH.replace(/\/$/, '');

/**
 * Serves the built console under `/console/` with an SPA fallback, and redirects `/` there.
 * Without a build (no `index.html` in `dir`) the server still starts: one warning, and every
 * console path answers a 404 page that says how to build it.
 */
export async function serveConsoleUi(app: NestFastifyApplication, dir: string, logger: ConsoleUiLogger): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const root = resolve(dir);
  const built = existsSync(join(root, 'index.html'));

  fastify.get('/', (_request, reply) => {
    void reply.redirect(CONSOLE_UI_PATH, 302);
  });
  fastify.get(PREFIX, (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    void reply.redirect(`${CONSOLE_UI_PATH}${query}`, 301);
  });

  if (!built) {
    logger.warn(`Console UI not built: ${join(root, 'index.html')} is missing, so ${CONSOLE_UI_PATH} answers 404. Run "npm run build".`);
    fastify.get(`${PREFIX}/*`, (_request, reply) => {
      secure(reply);
      void reply.code(404).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(NOT_BUILT_PAGE);
    });
    return;
  }

  // Only `reply.sendFile`: routing (and the SPA fallback) is ours.
  await app.register(fastifyStatic as never, { root, serve: false });
  fastify.get(`${PREFIX}/*`, (request, reply) => {
    secure(reply);
    const path = relativePathOf(request);
    const file = path === null ? null : existingFile(root, path);
    if (path !== null && isConsoleUiAssetPath(path)) {
      if (file === null) {
        return notFound(reply);
      }
      reply.header('Cache-Control', CONSOLE_UI_ASSET_CACHE_CONTROL);
      return reply.sendFile(file, root, { cacheControl: false });
    }
    if (file !== null && file !== 'index.html') {
      reply.header('Cache-Control', 'public, max-age=3600');
      return reply.sendFile(file, root, { cacheControl: false });
    }
    reply.header('Cache-Control', CONSOLE_UI_INDEX_CACHE_CONTROL);
    return reply.sendFile('index.html', root, { cacheControl: false });
  });
}

function secure(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(CONSOLE_UI_SECURITY_HEADERS)) {
    reply.header(name, value);
  }
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send('Not Found');
}

/** The decoded path below `/console/`, or null when it cannot name a file (bad escapes, dot segments, NUL). */
function relativePathOf(request: FastifyRequest): string | null {
  const pathname = request.url.split('?')[0]!.slice(PREFIX.length + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').some((segment) => segment === '..' || segment === '.')) {
    return null;
  }
  return decoded;
}

/** `path` relative to `root` when it is a regular file inside it, else null. */
function existingFile(root: string, path: string): string | null {
  if (path === '' || path.endsWith('/')) {
    return null;
  }
  const absolute = resolve(root, path);
  const inside = relative(root, absolute);
  if (inside.startsWith('..') || inside.startsWith(sep) || inside === '') {
    return null;
  }
  try {
    return statSync(absolute).isFile() ? inside.split(sep).join('/') : null;
  } catch {
    return null;
  }
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Console not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222">
<h1>The console UI is not built</h1>
<p>This server has no build of the admin console. Build it with <code>npm run build</code> and restart the server.</p>
<p>The API works without it: see <a href="/swagger-ui">/swagger-ui</a>.</p>
</body></html>
`;
