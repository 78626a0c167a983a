import { ConsoleResponse, setHeader, setStatus } from '../http/http-types';

/** Writes a complete answer from a filter or a page handler (Express `send` or Fastify `send`). */
export function sendRaw(response: ConsoleResponse, status: number, contentType: string, body: string): void {
  setHeader(response, 'Content-Type', contentType);
  setStatus(response, status);
  const r = response as unknown as { send?: (b: string) => unknown; end?: (b: string) => unknown };
  if (typeof r.send === 'function') {
    r.send(body);
  } else {
    r.end?.(body);
  }
}
