import { DynamicModule, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** Injection token of the server's {@link RedisConnection}. */
export const REDIS_CONNECTION = Symbol('console-server:redis');

/**
 * The server's one Redis client (REDIS_URL), or none. Opened at boot so a wrong URL stops the
 * server with a readable message instead of failing the first throttled request; closed on shutdown.
 */
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client?: Redis;
  /** A second connection for pub/sub (a subscribed connection can run no other command). */
  readonly subscriber?: Redis;
  private readonly logger = new Logger('Redis');
  private down = false;
  private closing = false;

  constructor(private readonly url?: string) {
    if (url) {
      // Fail a command at once while Redis is away (no offline queue), and within a second when it
      // is frozen (commandTimeout): a throttled route then answers 503 with Retry-After (fail
      // closed) instead of hanging, and recovers by itself once the connection is back. Reconnects
      // back off to at most 2 s, so recovery is noticed within 2 s.
      // Loaded only when Redis is configured: ioredis costs a few MB of memory in every process.
      const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
      this.client = new RedisClient(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        commandTimeout: 1_000,
        connectTimeout: 2_000,
        retryStrategy: (times: number) => Math.min(times * 200, 2_000),
      });
      // ioredis reports every failed reconnect; log the outage once and the recovery once. A lost
      // connection counts at once ('close'), not only when a reconnect fails ('error').
      this.client.on('error', (error: Error) => this.markDown(error.message));
      this.client.on('close', () => this.markDown('connection closed'));
      this.client.on('ready', () => {
        if (this.down) {
          this.down = false;
          this.logger.log('Redis reachable again');
        }
      });
      this.subscriber = this.client.duplicate();
      // The outage is already logged once through the main client.
      this.subscriber.on('error', () => undefined);
    }
  }

  private markDown(reason: string): void {
    if (!this.down && !this.closing) {
      this.down = true;
      this.logger.warn(`Redis unreachable (${reason}): throttled routes answer 503 until it is back`);
    }
  }

  async onModuleInit(): Promise<void> {
    if (!this.client) {
      return;
    }
    try {
      await this.client.connect();
      await this.client.ping();
      await this.subscriber!.connect();
    } catch (error) {
      this.closing = true; // the boot fails with the line below; no outage warning besides
      this.client.disconnect();
      this.subscriber?.disconnect();
      const where = new URL(this.url!);
      throw new Error(`REDIS_URL: cannot reach Redis at ${where.hostname}:${where.port || 6379} (${(error as Error).message})`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.subscriber && this.subscriber.status !== 'end') {
      await this.subscriber.quit().catch(() => this.subscriber?.disconnect());
    }
    if (this.client && this.client.status !== 'end') {
      await this.client.quit().catch(() => this.client?.disconnect());
    }
  }
}

/** Provides {@link REDIS_CONNECTION} for a URL (or none). */
@Module({})
export class RedisConnectionModule {
  static register(url: string | undefined): DynamicModule {
    return {
      module: RedisConnectionModule,
      providers: [{ provide: REDIS_CONNECTION, useFactory: () => new RedisConnection(url) }],
      exports: [REDIS_CONNECTION],
    };
  }
}
