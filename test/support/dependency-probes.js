// Run by dependencies.int-spec.ts with plain `node` (Jest's module loader cannot run the dynamic
// `import()` these packages use): calls the overridden packages through the packages that depend
// on them and prints what came back as one JSON line.
'use strict';
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const Fastify = require('fastify');

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

async function cookies() {
  const app = Fastify();
  await app.register(require('@fastify/cookie'));
  app.get('/', (request, reply) => {
    reply.setCookie('answer', `you sent ${request.cookies.greeting}`, { httpOnly: true, path: '/', maxAge: 60 });
    return 'ok';
  });
  const res = await app.inject({ method: 'GET', url: '/', cookies: { greeting: 'hello world' } });
  await app.close();
  return { setCookie: res.headers['set-cookie'], parsed: res.cookies.map(({ name, value, maxAge, httpOnly }) => ({ name, value, maxAge, httpOnly })) };
}

async function staticFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'probe-static-'));
  try {
    writeFileSync(join(dir, 'report.txt'), 'quarterly numbers\n');
    const app = Fastify();
    await app.register(require('@fastify/static'), { root: dir });
    app.get('/download', (_request, reply) => reply.download('report.txt', 'résumé 2026.txt'));
    const served = await app.inject({ method: 'GET', url: '/report.txt' });
    const download = await app.inject({ method: 'GET', url: '/download' });
    await app.close();
    return { served: [served.statusCode, served.body], disposition: download.headers['content-disposition'] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fileTypes() {
  const { FileTypeValidator } = await import('@nestjs/common');
  const validator = new FileTypeValidator({ fileType: 'image/png' });
  const file = (buffer) => ({ buffer, mimetype: 'image/png', size: buffer.length });
  return { png: await validator.isValid(file(PNG_1X1)), textClaimingPng: await validator.isValid(file(Buffer.from('just some text, no image'))) };
}

(async () => {
  const result = { cookies: await cookies(), staticFiles: await staticFiles(), fileTypes: await fileTypes() };
  process.stdout.write(`${JSON.stringify(result)}\n`);
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
