import { userPrincipal } from './principal';
import { PrincipalCache } from './principal-cache';
import { decode, encode } from './principal-invalidation-bus';

const ann = userPrincipal({ id: 7, name: 'ann' }, ['editor'], ['editor'], 'session', { sessionId: 70 });
const bob = userPrincipal({ id: 8, name: 'bob' }, [], [], 'pat', { patName: 'pat-b' });
const now = new Date('2026-05-01T10:00:00.000Z');

describe('PrincipalCache', () => {
  it('gives back what was stored under the key', () => {
    const sut = new PrincipalCache();
    sut.store('s:a', ann, sut.ticket(), null);
    expect(sut.get('s:a', now)).toBe(ann);
    expect(sut.get('s:b', now)).toBeUndefined();
  });

  it('does not store a fill that began before an invalidation (a request racing a revocation)', () => {
    const sut = new PrincipalCache();
    const ticket = sut.ticket();
    sut.dropUser(7);
    sut.store('s:a', ann, ticket, null);
    expect(sut.get('s:a', now)).toBeUndefined();
  });

  it('drops by user, by session, and everything', () => {
    const sut = new PrincipalCache();
    sut.store('s:a', ann, sut.ticket(), null);
    sut.store('p:b', bob, sut.ticket(), null);
    sut.dropUser(8);
    expect(sut.keys()).toEqual(['s:a']);
    sut.dropSession(70);
    expect(sut.keys()).toEqual([]);
    sut.store('s:a', ann, sut.ticket(), null);
    sut.dropAll();
    expect(sut.keys()).toEqual([]);
  });

  it('misses once the credential itself has expired on the module clock', () => {
    const sut = new PrincipalCache();
    sut.store('s:a', ann, sut.ticket(), now.getTime() + 1_000);
    expect(sut.get('s:a', new Date(now.getTime() + 999))).toBe(ann);
    expect(sut.get('s:a', new Date(now.getTime() + 1_000))).toBeUndefined();
  });

  it('keeps nothing with a zero lifetime, and at most maxEntries, oldest out first', () => {
    const off = new PrincipalCache({ ttlMs: 0 });
    off.store('s:a', ann, off.ticket(), null);
    expect(off.keys()).toEqual([]);
    const small = new PrincipalCache({ maxEntries: 2 });
    for (const key of ['s:1', 's:2', 's:3']) {
      small.store(key, ann, small.ticket(), null);
    }
    expect(small.keys()).toEqual(['s:2', 's:3']);
  });
});

describe('PrincipalCache freshness', () => {
  afterEach(() => jest.useRealTimers());

  it('ends after its lifetime on the monotonic clock, even when the system time steps back', () => {
    jest.useFakeTimers({ now: now.getTime() });
    const sut = new PrincipalCache({ ttlMs: 1_000 });
    sut.store('s:a', ann, sut.ticket(), null);
    jest.setSystemTime(now.getTime() - 3_600_000); // NTP or an operator sets the clock an hour back
    jest.advanceTimersByTime(999);
    expect(sut.get('s:a', now)).toBe(ann);
    jest.advanceTimersByTime(1);
    expect(sut.get('s:a', now)).toBeUndefined();
  });

  it('is not cut short when the system time steps forward', () => {
    jest.useFakeTimers({ now: now.getTime() });
    const sut = new PrincipalCache({ ttlMs: 1_000 });
    sut.store('s:a', ann, sut.ticket(), null);
    jest.setSystemTime(now.getTime() + 3_600_000);
    expect(sut.get('s:a', now)).toBe(ann);
  });
});

describe('invalidation messages', () => {
  it('round-trip and refuse anything else', () => {
    for (const message of [{ kind: 'user', userId: 12 }, { kind: 'session', sessionId: 5 }, { kind: 'roles' }] as const) {
      expect(decode(encode(message))).toEqual(message);
    }
    for (const raw of ['', 'u:', 'u:x', 'x:1', 'u:1:2', 'roles']) {
      expect(decode(raw)).toBeUndefined();
    }
  });
});
