/**
 * What one instance tells the others after a commit that changes who a credential belongs to or
 * what it may do: a user's credentials (`user`), one ended session (`session`), or the role
 * definitions (`roles`).
 */
export type PrincipalInvalidation = { kind: 'user'; userId: number } | { kind: 'session'; sessionId: number } | { kind: 'roles' };

/**
 * Carries {@link PrincipalInvalidation}s between the instances that share a database. The default
 * reaches no other process; pass a {@link RedisPrincipalInvalidationBus} as
 * `principalCache.invalidationBus` when several instances run.
 */
export interface PrincipalInvalidationBus {
  /** Sends to every instance (this one may hear its own message back: handling is idempotent). */
  publish(message: PrincipalInvalidation): Promise<void>;
  /** Starts delivering messages from other instances to `handler`. */
  subscribe(handler: (message: PrincipalInvalidation) => void): Promise<void>;
  /** Stops delivering. */
  close(): Promise<void>;
}

/** A bus that reaches nobody: one instance, or a host without Redis. */
export class LocalPrincipalInvalidationBus implements PrincipalInvalidationBus {
  async publish(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async close(): Promise<void> {}
}

/** The parts of an `ioredis` client the Redis bus uses, so the library depends on no Redis package. */
export interface RedisPubSubClient {
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  off(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

/** Default channel of {@link RedisPrincipalInvalidationBus}. */
export const PRINCIPAL_INVALIDATION_CHANNEL = 'console-users:principal-invalidation';

/**
 * Redis pub/sub between instances. A subscribed connection can do nothing else, so it needs its own
 * client (`client.duplicate()` of the host's). Pub/sub does not queue for an absent subscriber: a
 * message lost while a connection is down is covered by the cache's short lifetime.
 */
export class RedisPrincipalInvalidationBus implements PrincipalInvalidationBus {
  private listener?: (channel: string, message: string) => void;

  constructor(
    private readonly publisher: Pick<RedisPubSubClient, 'publish'>,
    private readonly subscriber: RedisPubSubClient,
    private readonly channel = PRINCIPAL_INVALIDATION_CHANNEL,
  ) {}

  async publish(message: PrincipalInvalidation): Promise<void> {
    await this.publisher.publish(this.channel, encode(message));
  }

  async subscribe(handler: (message: PrincipalInvalidation) => void): Promise<void> {
    this.listener = (channel, raw) => {
      const message = channel === this.channel ? decode(raw) : undefined;
      if (message) {
        handler(message);
      }
    };
    this.subscriber.on('message', this.listener);
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    if (this.listener) {
      this.subscriber.off('message', this.listener);
      this.listener = undefined;
      await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
    }
  }
}

/** `u:<id>`, `s:<id>`, `r`: short, and nothing in it is a secret. */
export function encode(message: PrincipalInvalidation): string {
  switch (message.kind) {
    case 'user':
      return `u:${message.userId}`;
    case 'session':
      return `s:${message.sessionId}`;
    case 'roles':
      return 'r';
  }
}

/** The message, or undefined for anything this version does not understand. */
export function decode(raw: string): PrincipalInvalidation | undefined {
  if (raw === 'r') {
    return { kind: 'roles' };
  }
  const match = /^([us]):(\d{1,15})$/.exec(raw);
  if (!match) {
    return undefined;
  }
  const id = Number(match[2]);
  return match[1] === 'u' ? { kind: 'user', userId: id } : { kind: 'session', sessionId: id };
}
