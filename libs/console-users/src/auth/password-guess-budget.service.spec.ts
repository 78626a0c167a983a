import { ManualClock } from '../common/clock';
import { resolveOptions } from '../console-users.options';
import { ErrorCode } from '../errors/error-code';
import type { BucketState, RateLimitRepository } from '../throttling/rate-limit.repository';
import { comparedOrReleased, PasswordGuessBudget, unknownClientDelayMs } from './password-guess-budget.service';
import { PasswordHashingBusyError } from '../users/bounded-password-hasher';

/** Fixed-window buckets in memory, with the repository's semantics. */
class MemoryBuckets {
  readonly buckets = new Map<string, { hits: number; expires: number }>();

  async hit(key: string, windowMs: number, now: Date): Promise<BucketState> {
    const live = this.buckets.get(key);
    const next = live && live.expires > now.getTime() ? { hits: live.hits + 1, expires: live.expires } : { hits: 1, expires: now.getTime() + windowMs };
    this.buckets.set(key, next);
    return { hits: next.hits, resetAt: new Date(next.expires) };
  }

  async hitMany(entries: { key: string; windowMs: number }[], now: Date): Promise<BucketState[]> {
    return Promise.all(entries.map((entry) => this.hit(entry.key, entry.windowMs, now)));
  }

  async releaseMany(keys: string[], now: Date): Promise<void> {
    await Promise.all(keys.map((key) => this.release(key, now)));
  }

  async peek(key: string, now: Date): Promise<BucketState> {
    const live = this.buckets.get(key);
    return live && live.expires > now.getTime() ? { hits: live.hits, resetAt: new Date(live.expires) } : { hits: 0, resetAt: now };
  }

  async release(key: string, now: Date): Promise<void> {
    const live = this.buckets.get(key);
    if (live && live.expires > now.getTime() && live.hits > 0) {
      live.hits -= 1;
    }
  }
}

const options = resolveOptions({ publicUrl: 'http://console.test', appSecret: 'k'.repeat(32), dataDir: '/tmp' });

function build() {
  const clock = new ManualClock(new Date('2026-03-01T12:00:00.000Z'));
  const buckets = new MemoryBuckets();
  const sut = new PasswordGuessBudget(buckets as unknown as RateLimitRepository, clock, options);
  return { sut, clock, buckets };
}

const fail = async (sut: PasswordGuessBudget, client: { ip: string; knownClientKey?: string | null }) => sut.reserve('id:1', client);

describe('PasswordGuessBudget', () => {
  it('an unknown client gets 10 failures per address; the 11th is refused before any compare', async () => {
    const { sut } = build();
    for (let i = 0; i < 10; i++) {
      await fail(sut, { ip: '203.0.113.1' });
    }
    await expect(fail(sut, { ip: '203.0.113.1' })).rejects.toMatchObject({ code: ErrorCode.RateLimited });
    await expect(fail(sut, { ip: '203.0.113.2' })).resolves.toBeDefined(); // another address has its own budget
  });

  it('a known client is not locked out by unknown clients that spent the account ceiling', async () => {
    const { sut, clock } = build();
    for (let n = 0; n < 100; n++) {
      clock.advance(unknownClientDelayMs(n, 100));
      await fail(sut, { ip: `198.51.100.${n}` });
    }
    clock.advance(60_000);
    await expect(fail(sut, { ip: '192.0.2.1' })).rejects.toMatchObject({ code: ErrorCode.RateLimited });
    await expect(fail(sut, { ip: '192.0.2.1', knownClientKey: 'device:abc' })).resolves.toBeDefined();
  });

  it('a known client whose own budget is spent is refused, and its failures never touched the account ceiling', async () => {
    const { sut, buckets } = build();
    for (let i = 0; i < 10; i++) {
      await fail(sut, { ip: '203.0.113.9', knownClientKey: 'device:abc' });
    }
    await expect(fail(sut, { ip: '203.0.113.9', knownClientKey: 'device:abc' })).rejects.toMatchObject({ code: ErrorCode.RateLimited });
    expect(buckets.buckets.has('login:fail:acct:id:1')).toBe(false);
    await expect(fail(sut, { ip: '203.0.113.9' })).resolves.toBeDefined(); // another client of that address
  });

  it('growing waits between attempts of unknown clients after a fifth of the ceiling', async () => {
    const { sut, clock } = build();
    for (let n = 0; n < 20; n++) {
      await fail(sut, { ip: `198.51.100.${n}` });
    }
    await fail(sut, { ip: '192.0.2.20' }); // opens a 5 s wait
    await expect(fail(sut, { ip: '192.0.2.21' })).rejects.toMatchObject({ code: ErrorCode.RateLimited, options: { retryAfterSeconds: 5 } });
    clock.advance(5_000);
    await expect(fail(sut, { ip: '192.0.2.21' })).resolves.toBeDefined();
    expect([0, 19, 20, 39, 40, 60, 80, 99].map((n) => unknownClientDelayMs(n, 100))).toEqual([0, 0, 5_000, 5_000, 15_000, 30_000, 60_000, 60_000]);
  });

  it('a released reservation (right password) counts nothing', async () => {
    const { sut } = build();
    for (let i = 0; i < 30; i++) {
      await (await fail(sut, { ip: '203.0.113.3' })).release();
    }
    await expect(fail(sut, { ip: '203.0.113.3' })).resolves.toBeDefined();
  });

  it('a comparison that throws (hashing queue full) gives the reserved failure back; a wrong answer keeps it', async () => {
    const { sut, buckets } = build();
    const client = { ip: '203.0.113.4' };
    const busy = async () => Promise.reject(new PasswordHashingBusyError());
    for (let i = 0; i < 30; i++) {
      await expect(comparedOrReleased(await fail(sut, client), busy)).rejects.toBeInstanceOf(PasswordHashingBusyError);
    }
    expect(buckets.buckets.get('login:fail:acct-ip:id:1:203.0.113.4')?.hits).toBe(0);
    await expect(comparedOrReleased(await fail(sut, client), async () => false)).resolves.toBe(false);
    expect(buckets.buckets.get('login:fail:acct-ip:id:1:203.0.113.4')?.hits).toBe(1);
  });

  it('a guess never judged also gives back the wait it opened; a judged one keeps it', async () => {
    const { sut } = build();
    for (let n = 0; n < 20; n++) {
      await fail(sut, { ip: `198.51.100.${n}` });
    }
    const busy = async () => Promise.reject(new PasswordHashingBusyError());
    // The attempt that opens a 5 s wait is answered 503: the person may try again at once.
    await expect(comparedOrReleased(await fail(sut, { ip: '192.0.2.30' }), busy)).rejects.toBeInstanceOf(PasswordHashingBusyError);
    const judged = await fail(sut, { ip: '192.0.2.30' });
    await expect(comparedOrReleased(judged, async () => false)).resolves.toBe(false);
    // That one was judged (a wrong password): its wait stands, for everyone.
    await expect(fail(sut, { ip: '192.0.2.31' })).rejects.toMatchObject({ code: ErrorCode.RateLimited, options: { retryAfterSeconds: 5 } });
  });

  it('a right password gives back its failure but not the wait it opened', async () => {
    const { sut } = build();
    for (let n = 0; n < 20; n++) {
      await fail(sut, { ip: `198.51.100.${n}` });
    }
    await (await fail(sut, { ip: '192.0.2.40' })).release();
    await expect(fail(sut, { ip: '192.0.2.41' })).rejects.toMatchObject({ code: ErrorCode.RateLimited, options: { retryAfterSeconds: 5 } });
  });
});
