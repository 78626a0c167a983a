import fastifyMultipart from '@fastify/multipart';
import Fastify, { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error';
import type { ConsoleRequest } from './http-types';
import { parseMultipart, readSingleFile } from './multipart-file';

/** Encodes a FormData the way an HTTP client would, with its Content-Type. */
async function encode(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

/** An Express-like request: a readable body stream and headers. */
function expressRequest(body: Buffer, contentType: string): ConsoleRequest {
  const chunks = [body.subarray(0, 7), body.subarray(7)];
  return {
    method: 'POST',
    url: '/',
    headers: { 'content-type': contentType },
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
  } as unknown as ConsoleRequest;
}

const options = { field: 'file', maxBytes: 16, tooLargeMessage: 'too large' };

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a rejection');
}

describe('multipart reading without @fastify/multipart (Express hosts)', () => {
  it('parses fields and files, binary bytes intact', async () => {
    const form = new FormData();
    form.append('note', 'hello');
    form.append('file', new File([new Uint8Array([0, 13, 10, 45, 45, 255])], 'a b.png', { type: 'image/png' }));
    const { body, contentType } = await encode(form);
    const parts = parseMultipart(body, contentType);
    expect(parts.map((p) => [p.name, p.fileName, p.contentType])).toEqual([
        ['note', undefined, 'text/plain'],
        ['file', 'a b.png', 'image/png'],
      ]);
    expect([...parts[1]!.data]).toEqual([0, 13, 10, 45, 45, 255]);
  });

  it('reads the one file of a request', async () => {
    const form = new FormData();
    form.append('file', new File([Buffer.from('GIF89a')], 'x.gif'));
    const { body, contentType } = await encode(form);
    const file = await readSingleFile(expressRequest(body, contentType), options);
    expect(file.data.toString()).toBe('GIF89a');
    expect(file.fileName).toBe('x.gif');
  });

  it("refuses with Halo's messages: no part, not a file, too large, two files", async () => {
    const cases: [FormData, string][] = [];
    const noPart = new FormData();
    noPart.append('avatar', new File([Buffer.from('x')], 'x.png'));
    cases.push([noPart, 'No file part found in the request']);
    const text = new FormData();
    text.append('file', 'text');
    cases.push([text, 'Invalid part of file']);
    const big = new FormData();
    big.append('file', new File([Buffer.alloc(17)], 'big.png'));
    cases.push([big, 'too large']);
    const two = new FormData();
    two.append('file', new File([Buffer.from('a')], 'a.png'));
    two.append('other', new File([Buffer.from('b')], 'b.png'));
    cases.push([two, 'Only one file may be uploaded.']);
    for (const [form, message] of cases) {
      const { body, contentType } = await encode(form);
      expect((await rejection(readSingleFile(expressRequest(body, contentType), options))).message).toBe(message);
    }
  });

  it('stops reading a body far over the limit', async () => {
    const huge = Buffer.alloc(200 * 1024);
    const error = await rejection(readSingleFile(expressRequest(huge, 'multipart/form-data; boundary=x'), options));
    expect(error.message).toBe('too large');
  });

  it('400 for malformed bodies, 415 for other media types', async () => {
    expect(() => parseMultipart(Buffer.from('no boundary here'), 'multipart/form-data; boundary=abc')).toThrow(/could not be read/);
    expect(() => parseMultipart(Buffer.from('--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'), 'multipart/form-data; boundary=abc')).toThrow(/could not be read/);
    expect(() => parseMultipart(Buffer.from('{}'), 'application/json')).toThrow(/must be multipart\/form-data/);
  });
});

describe('multipart reading on Fastify', () => {
  /** A real Fastify app whose one route reads the upload with the library and answers what it read or refused. */
  async function uploadServer(withPlugin: boolean): Promise<FastifyInstance> {
    const app = Fastify();
    if (withPlugin) {
      await app.register(fastifyMultipart);
    } else {
      app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));
    }
    app.post('/upload', async (request) => {
      try {
        const file = await readSingleFile(request as unknown as ConsoleRequest, options);
        return { name: file.fileName, text: file.data.toString() };
      } catch (error) {
        return { refused: (error as DomainError).message };
      }
    });
    return app;
  }

  async function upload(app: FastifyInstance, form: FormData): Promise<unknown> {
    const { body, contentType } = await encode(form);
    const response = await app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': contentType }, payload: body });
    return response.json();
  }

  for (const [label, withPlugin] of [
    ['through @fastify/multipart, when the host registers it', true],
    ['from the unread request stream, when a parser leaves multipart bodies alone', false],
  ] as const) {
    it(`reads the one file and refuses the rest alike ${label}`, async () => {
      const app = await uploadServer(withPlugin);
      try {
        const one = new FormData();
        one.append('file', new File([Buffer.from('GIF89a')], 'x.gif'));
        expect(await upload(app, one)).toEqual({ name: 'x.gif', text: 'GIF89a' });
        const big = new FormData();
        big.append('file', new File([Buffer.alloc(17)], 'big.png'));
        expect(await upload(app, big)).toEqual({ refused: 'too large' });
        const none = new FormData();
        none.append('avatar', new File([Buffer.from('x')], 'x.png'));
        expect(await upload(app, none)).toEqual({ refused: 'No file part found in the request' });
      } finally {
        await app.close();
      }
    });
  }
});
