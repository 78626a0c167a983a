// `npm run bench:passport-guard`: what identifying the caller costs per request, before and after
// the move to Passport. "before" is PrincipalResolver.resolve() (what ConsoleAuthGuard called until
// then); "after" is Passport running console-pat → console-basic → console-session, as the guard
// does now. Same module, same in-memory SQLite, same request objects, in one process: the
// difference is Passport's own work. Not part of `npm test`; run it under the CPU lock.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  authenticateRequest,
  CONSOLE_REQUEST_STRATEGIES,
  CONSOLE_USERS_AUTHENTICATOR,
  CONSOLE_USERS_ENTITIES,
  CONSOLE_USERS_MIGRATIONS,
  ConsoleAuthenticator,
  ConsoleUsersModule,
  PrincipalResolver,
} from '../libs/console-users/src';
import { LoginService } from '../libs/console-users/src/auth/login.service';
import type { ConsoleRequest } from '../libs/console-users/src/http/http-types';

const ITERATIONS = Number(process.env.ITERATIONS ?? 20_000);
const ROUNDS = 3;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-users-guard-bench-'));
  @Module({
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: join(dataDir, 'bench.sqlite'),
        entities: [...CONSOLE_USERS_ENTITIES],
        migrations: [...CONSOLE_USERS_MIGRATIONS],
        migrationsRun: true,
      }),
      ConsoleUsersModule.forRoot({
        publicUrl: 'http://bench.test',
        appSecret: 'a-benchmark-secret-that-is-long-enough',
        dataDir,
        bootstrapAdmin: { username: 'admin', email: 'admin@bench.test', password: 'admin-password' },
        outbox: { enabled: false },
      }),
    ],
  })
  class BenchModule {}

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const login = app.get(LoginService, { strict: false });
  const session = await login.login('admin', 'admin-password', { ip: '127.0.0.1', userAgent: null });
  const resolver = app.get(PrincipalResolver);
  const authenticator = app.get<ConsoleAuthenticator>(CONSOLE_USERS_AUTHENTICATOR);

  const requests: Record<string, () => ConsoleRequest> = {
    'session cookie': () => ({ method: 'GET', url: '/apis/x', headers: { cookie: `SESSION=${session.sessionToken}` } }),
    anonymous: () => ({ method: 'GET', url: '/apis/x', headers: {} }),
  };
  const ways: Record<string, (request: ConsoleRequest) => Promise<unknown>> = {
    'before: PrincipalResolver.resolve': (request) => resolver.resolve(request),
    'after: Passport (pat → basic → session)': (request) => authenticateRequest(authenticator, CONSOLE_REQUEST_STRATEGIES, request, {}),
  };

  // Rounds alternate between the two ways, so a busy neighbour slows both alike.
  const results: string[] = [];
  for (const [label, make] of Object.entries(requests)) {
    const perWay: Record<string, number[]> = {};
    for (const run of Object.values(ways)) {
      for (let i = 0; i < 2_000; i++) await run(make()); // warm-up
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [way, run] of Object.entries(ways)) {
        const start = performance.now();
        for (let i = 0; i < ITERATIONS; i++) await run(make());
        (perWay[way] ??= []).push(((performance.now() - start) * 1000) / ITERATIONS);
      }
    }
    for (const [way, rounds] of Object.entries(perWay)) {
      const sorted = [...rounds].sort((a, b) => a - b);
      results.push(`| ${label} | ${way} | ${rounds.map((us) => us.toFixed(1)).join(' / ')} | ${sorted[1]!.toFixed(1)} |`);
    }
  }
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(['| request | identification | µs per request (3 rounds) | median |', '|---|---|---|---|', ...results].join('\n') + '\n');
}

void main();
