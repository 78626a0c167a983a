import type { FastifyInstance } from 'fastify';

/** The JSON of answers the library handed out frozen, kept as long as the answer itself lives. */
const serialized = new WeakMap<object, string>();

/**
 * JSON text of an answer, as Fastify's default serializer makes it, except that an answer the
 * library hands out frozen is serialized once. The library freezes an answer through and through
 * only when it shares one object between requests while nothing changes (the caller's own detail,
 * which the console asks for on every page), so the text kept for it stays true; a changed user
 * comes as a new object. Serializing that answer was the largest single cost of an authenticated
 * read after the request log.
 */
export function serializeReply(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null || !Object.isFrozen(payload)) {
    return JSON.stringify(payload);
  }
  let text = serialized.get(payload);
  if (text === undefined) {
    text = JSON.stringify(payload);
    serialized.set(payload, text);
  }
  return text;
}

/** Makes {@link serializeReply} the serializer of every route without a response schema (all of ours). */
export function useReplySerializer(fastify: FastifyInstance): void {
  fastify.setReplySerializer(serializeReply);
}
