import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';

/** One RFC 6902 operation as Halo's `JsonPatchInner` types it. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
/** More operations than any real edit of one user needs. */
const MAX_OPERATIONS = 100;

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.BadRequest, `Invalid JSON patch: ${message}`);
}

/** The checked list of operations of a `application/json-patch+json` body. */
export function parseJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) {
    throw invalid('the body must be an array of operations.');
  }
  if (body.length > MAX_OPERATIONS) {
    throw invalid(`at most ${MAX_OPERATIONS} operations.`);
  }
  return body.map((raw: unknown, i) => {
    const op = raw as Partial<JsonPatchOperation> | null;
    if (typeof op !== 'object' || op === null || typeof op.op !== 'string' || !OPS.has(op.op) || typeof op.path !== 'string') {
      throw invalid(`operation ${i} needs an op (add, remove, replace, move, copy, test) and a path.`);
    }
    if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string') {
      throw invalid(`operation ${i} (${op.op}) needs from.`);
    }
    if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !('value' in op)) {
      throw invalid(`operation ${i} (${op.op}) needs a value.`);
    }
    return op as JsonPatchOperation;
  });
}

/** RFC 6901 pointer → reference tokens. */
function tokens(pointer: string): string[] {
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/')) {
    throw invalid(`"${pointer.slice(0, 100)}" is not a JSON pointer.`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** The parent container of a pointer and the last token; refuses paths through missing members. */
function locate(doc: unknown, pointer: string): { parent: Container; key: string } {
  const path = tokens(pointer);
  if (path.length === 0) {
    throw invalid('the whole document cannot be replaced.');
  }
  let node: unknown = doc;
  for (const token of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, token)) {
      throw invalid(`path "${pointer.slice(0, 200)}" does not exist.`);
    }
    node = (node as Record<string, unknown>)[token];
  }
  if (typeof node !== 'object' || node === null) {
    throw invalid(`path "${pointer.slice(0, 200)}" does not exist.`);
  }
  return { parent: node as Container, key: path[path.length - 1]! };
}

function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

function read(doc: unknown, pointer: string): unknown {
  const { parent, key } = locate(doc, pointer);
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    throw invalid(`path "${pointer.slice(0, 200)}" does not exist.`);
  }
  return (parent as Record<string, unknown>)[key];
}

function add(doc: unknown, pointer: string, value: unknown): void {
  const { parent, key } = locate(doc, pointer);
  if (isUnsafeKey(key)) {
    throw invalid(`"${key}" cannot be written.`);
  }
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!/^(0|[1-9]\d*)$/.test(key) && key !== '-') {
      throw invalid(`"${key}" is not an array index.`);
    }
    if (index > parent.length) {
      throw invalid(`index ${index} is out of range.`);
    }
    parent.splice(index, 0, structuredClone(value));
  } else {
    parent[key] = structuredClone(value);
  }
}

function remove(doc: unknown, pointer: string): void {
  const { parent, key } = locate(doc, pointer);
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    throw invalid(`path "${pointer.slice(0, 200)}" does not exist.`);
  }
  if (Array.isArray(parent)) {
    parent.splice(Number(key), 1);
  } else {
    delete parent[key];
  }
}

/**
 * Applies RFC 6902 operations to a copy of `doc`, all or nothing: a failed `test` or a missing path
 * refuses the whole patch.
 */
export function applyJsonPatch<T>(doc: T, operations: JsonPatchOperation[]): T {
  const copy = structuredClone(doc) as unknown;
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        add(copy, op.path, op.value);
        break;
      case 'remove':
        remove(copy, op.path);
        break;
      case 'replace':
        remove(copy, op.path);
        add(copy, op.path, op.value);
        break;
      case 'move': {
        const value = read(copy, op.from!);
        remove(copy, op.from!);
        add(copy, op.path, value);
        break;
      }
      case 'copy':
        add(copy, op.path, read(copy, op.from!));
        break;
      case 'test':
        if (JSON.stringify(read(copy, op.path)) !== JSON.stringify(op.value)) {
          throw invalid(`test failed at "${op.path.slice(0, 200)}".`);
        }
        break;
    }
  }
  return copy as T;
}
