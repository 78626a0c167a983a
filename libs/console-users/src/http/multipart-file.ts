import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ConsoleRequest, headerValue } from './http-types';

/** A file part read completely into memory. */
export interface UploadedFile {
  data: Buffer;
  /** As the client named it; informative only, never trusted. */
  fileName: string;
  /** As the client declared it; informative only, never trusted. */
  mimeType: string;
}

/** What {@link readSingleFile} accepts and how it words its refusals. */
export interface SingleFileOptions {
  /** The form field holding the file. */
  field: string;
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Detail when the file is larger than `maxBytes`. */
  tooLargeMessage: string;
}

/** Room for the multipart framing and a few small fields around the file. */
const FRAMING_ALLOWANCE = 64 * 1024;

/** The subset of `@fastify/multipart`'s request API this reader uses. */
interface FastifyMultipartPart {
  type: 'file' | 'field';
  fieldname: string;
  filename?: string;
  mimetype: string;
  file?: NodeJS.ReadableStream & { resume(): unknown; truncated?: boolean };
  toBuffer?: () => Promise<Buffer>;
}
interface FastifyMultipartRequest {
  parts(options: { limits: Record<string, number> }): AsyncIterableIterator<FastifyMultipartPart>;
}

/**
 * Reads the one file of a `multipart/form-data` request, refusing with 400 problems: no such
 * part, a part that is not a file, more than one file, a file over the limit, a malformed body.
 *
 * On Fastify with `@fastify/multipart` registered it reads through the plugin. Otherwise, where
 * the body stream is still unread (Express; Fastify with a content-type parser that leaves
 * multipart bodies alone, as the console server has), it buffers the body (bounded) and parses
 * it itself.
 */
export async function readSingleFile(request: ConsoleRequest, options: SingleFileOptions): Promise<UploadedFile> {
  const candidate = request as unknown as Partial<FastifyMultipartRequest>;
  if (typeof candidate.parts === 'function') {
    return readWithFastify(candidate as FastifyMultipartRequest, options);
  }
  const stream = unreadBody(request);
  if (stream) {
    const body = await readBounded(stream, options.maxBytes + FRAMING_ALLOWANCE, options);
    return pickFile(parseMultipart(body, headerValue(request, 'content-type') ?? ''), options);
  }
  throw new DomainError(ErrorCode.UnsupportedMediaType, 'This server does not accept multipart uploads.');
}

/** The body stream nobody read yet: Express's request itself, or the raw request under Fastify. */
function unreadBody(request: ConsoleRequest): AsyncIterable<Buffer> | undefined {
  for (const candidate of [request, (request as { raw?: unknown }).raw]) {
    if (candidate && typeof (candidate as Partial<AsyncIterable<Buffer>>)[Symbol.asyncIterator] === 'function') {
      return candidate as AsyncIterable<Buffer>;
    }
  }
  return undefined;
}

async function readWithFastify(request: FastifyMultipartRequest, options: SingleFileOptions): Promise<UploadedFile> {
  let found: UploadedFile | undefined;
  try {
    const parts = request.parts({ limits: { files: 1, fileSize: options.maxBytes, fields: 10, parts: 20, fieldSize: 4096 } });
    for await (const part of parts) {
      if (part.fieldname !== options.field) {
        part.file?.resume();
        continue;
      }
      if (part.type !== 'file' || !part.toBuffer) {
        throw invalidPart();
      }
      const data = await part.toBuffer();
      if (part.file?.truncated) {
        throw new DomainError(ErrorCode.BadRequest, options.tooLargeMessage);
      }
      found = { data, fileName: part.filename ?? '', mimeType: part.mimetype };
    }
  } catch (error) {
    throw toUploadError(error, options);
  }
  if (!found) {
    throw noFilePart();
  }
  return found;
}

function toUploadError(error: unknown, options: SingleFileOptions): unknown {
  if (error instanceof DomainError) {
    return error;
  }
  switch ((error as { code?: unknown } | null)?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new DomainError(ErrorCode.BadRequest, options.tooLargeMessage);
    case 'FST_FILES_LIMIT':
      return new DomainError(ErrorCode.BadRequest, 'Only one file may be uploaded.');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new DomainError(ErrorCode.BadRequest, 'The multipart body has too many parts.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new DomainError(ErrorCode.UnsupportedMediaType, 'The request body must be multipart/form-data.');
    default:
      return new DomainError(ErrorCode.BadRequest, 'The multipart body could not be read.');
  }
}

function noFilePart(): DomainError {
  return new DomainError(ErrorCode.BadRequest, 'No file part found in the request');
}

function invalidPart(): DomainError {
  return new DomainError(ErrorCode.BadRequest, 'Invalid part of file');
}

async function readBounded(stream: AsyncIterable<Buffer>, limit: number, options: SingleFileOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length > limit) {
      throw new DomainError(ErrorCode.BadRequest, options.tooLargeMessage);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

/** One part of a parsed multipart body. */
export interface MultipartPart {
  name: string;
  fileName?: string;
  contentType: string;
  data: Buffer;
}

/**
 * Parses a buffered `multipart/form-data` body (RFC 7578). Small on purpose: it only needs to
 * find named parts and their bytes; anything malformed is a 400.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType.trim()) || !boundary) {
    throw new DomainError(ErrorCode.UnsupportedMediaType, 'The request body must be multipart/form-data.');
  }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`, 'latin1');
  const malformed = () => new DomainError(ErrorCode.BadRequest, 'The multipart body could not be read.');
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position === -1) {
    throw malformed();
  }
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') {
      return parts;
    }
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') {
      throw malformed();
    }
    const headerEnd = body.indexOf('\r\n\r\n', position + 2, 'latin1');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), delimiter]), position);
    if (headerEnd === -1 || next === -1 || headerEnd > next) {
      throw malformed();
    }
    const headers = parseHeaders(body.subarray(position + 2, headerEnd).toString('utf8'));
    const disposition = headers.get('content-disposition') ?? '';
    const name = dispositionParameter(disposition, 'name');
    if (!/^form-data/i.test(disposition) || name === undefined) {
      throw malformed();
    }
    parts.push({
      name,
      fileName: dispositionParameter(disposition, 'filename'),
      contentType: headers.get('content-type') ?? 'text/plain',
      data: body.subarray(headerEnd + 4, next),
    });
    if (parts.length > 20) {
      throw new DomainError(ErrorCode.BadRequest, 'The multipart body has too many parts.');
    }
    position = next + 2;
  }
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return headers;
}

function dispositionParameter(disposition: string, parameter: string): string | undefined {
  const match = new RegExp(`;\\s*${parameter}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${parameter}=([^;\\s]+)`, 'i').exec(disposition);
  if (!match) {
    return undefined;
  }
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

function pickFile(parts: MultipartPart[], options: SingleFileOptions): UploadedFile {
  const matching = parts.filter((p) => p.name === options.field);
  if (matching.length === 0) {
    throw noFilePart();
  }
  if (parts.filter((p) => p.fileName !== undefined).length > 1) {
    throw new DomainError(ErrorCode.BadRequest, 'Only one file may be uploaded.');
  }
  const part = matching[0]!;
  if (part.fileName === undefined) {
    throw invalidPart();
  }
  if (part.data.length > options.maxBytes) {
    throw new DomainError(ErrorCode.BadRequest, options.tooLargeMessage);
  }
  return { data: Buffer.from(part.data), fileName: part.fileName, mimeType: part.contentType };
}
