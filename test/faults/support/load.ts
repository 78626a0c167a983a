import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../../libs/console-users/src/common/clock';
import type { AppOverrides } from '../../../apps/console-server/src/app.module';
import type { TestDatabase } from '../../support/databases';
import { startTestServer, TestServer } from '../../support/test-server';

/** One HTTP answer as the fault scenarios record it. */
export interface Answer {
  status: number;
  retryAfter: string | null;
  contentType: string;
  body: string;
  startedAt: number;
  ms: number;
}

/** Calls the server and records status, Retry-After, body and time taken; never throws on status. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const startedAt = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const body = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    contentType: response.headers.get('content-type') ?? '',
    body,
    startedAt,
    ms: Date.now() - startedAt,
  };
}

/** The Fresns public send every scenario loads the server with: a register code to a new address. */
export const SEND_PATH = '/api/v2/common/send-verify-code';

export function sendCode(baseUrl: string, email: string, forwardedFor?: string): Promise<Answer> {
  return call(`${baseUrl}${SEND_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ type: 'email', useType: 1, templateId: 2, account: email }),
  });
}

/** True for Fresns' success envelope. */
export function accepted(answer: Answer): boolean {
  return answer.status === 200 && JSON.parse(answer.body).code === 0;
}

/**
 * Runs `sender(i)` from `concurrency` loops until `stop()` is called; returns every answer with
 * the address it was for.
 */
export function loadLoop(concurrency: number, sender: (i: number) => Promise<Answer>): { stop(): Promise<Array<Answer & { i: number }>> } {
  let next = 0;
  let running = true;
  const answers: Array<Answer & { i: number }> = [];
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      const i = next++;
      answers.push({ ...(await sender(i)), i });
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

/**
 * The real server (Fastify, migrations, outbox worker) on a PostgreSQL and SMTP server of the
 * scenario's own, with the system clock (the outbox retries on real time, backoff shortened) and
 * per-IP limits raised out of the way of the load.
 */
export async function startFaultServer(
  databaseUrl: string,
  env: Record<string, string>,
  logName: string,
  overrides: Partial<AppOverrides> = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-users-fault-'));
  const db: TestDatabase = { kind: 'postgres', config: { type: 'postgres', url: databaseUrl }, dataDir, drop: async () => undefined };
  return startTestServer(db, {
    // The production timeouts: they are what these scenarios observe.
    env: { DATABASE_CONNECT_TIMEOUT_MS: '1500', DATABASE_STATEMENT_TIMEOUT_MS: '1500', ...env },
    logFile: join(dataDir, logName),
    overrides: {
      clock: new SystemClock(),
      outbox: { pollIntervalMs: 100, backoffBaseMs: 300, maxAttempts: 30, summaryIntervalMs: 2_000 },
      throttling: { send: { perMinute: 1_000_000, perHour: 1_000_000 }, verify: { perMinute: 1_000_000 }, login: { perMinute: 1_000_000 } },
      ...overrides,
    },
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
