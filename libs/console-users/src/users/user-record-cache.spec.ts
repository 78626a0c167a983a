import { UserRecordCache } from './user-record-cache';
import type { UserView } from './user-view';

const start = new Date('2026-05-01T10:00:00.000Z').getTime();
const record = { view: { name: 'ann' } as UserView, roleNames: ['editor'] };

describe('UserRecordCache', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps a record for its lifetime on the monotonic clock, even when the system time steps back', () => {
    jest.useFakeTimers({ now: start });
    const sut = new UserRecordCache({ ttlMs: 1_000 });
    sut.store('ann', record, sut.ticket());
    jest.setSystemTime(start - 3_600_000); // NTP or an operator sets the clock an hour back
    jest.advanceTimersByTime(999);
    expect(sut.get('ann')?.roleNames).toEqual(['editor']);
    jest.advanceTimersByTime(1);
    expect(sut.get('ann')).toBeUndefined();
  });

  it('does not drop a record early when the system time steps forward', () => {
    jest.useFakeTimers({ now: start });
    const sut = new UserRecordCache({ ttlMs: 1_000 });
    sut.store('ann', record, sut.ticket());
    jest.setSystemTime(start + 3_600_000);
    expect(sut.get('ann')?.roleNames).toEqual(['editor']);
  });

  it('does not store a fill that began before a drop', () => {
    const sut = new UserRecordCache();
    const ticket = sut.ticket();
    sut.dropAll();
    sut.store('ann', record, ticket);
    expect(sut.get('ann')).toBeUndefined();
  });
});
