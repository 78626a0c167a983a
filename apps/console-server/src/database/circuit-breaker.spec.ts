import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const events: string[] = [];
  const sut = () =>
    new CircuitBreaker('database', 2_000, 5_000, { opened: (reason) => events.push(`opened: ${reason}`), closed: (ms) => events.push(`closed after ${ms}`) }, () => now);

  beforeEach(() => {
    now = 1_000_000;
    events.length = 0;
  });

  it('lets everything through while closed', () => {
    const breaker = sut();
    expect(breaker.refusal()).toBeUndefined();
    breaker.succeeded();
    expect(breaker.isOpen).toBe(false);
    expect(events).toEqual([]);
  });

  it('refuses at once after a failure, with the seconds left as Retry-After, and logs the change once', () => {
    const breaker = sut();
    breaker.failed('ECONNREFUSED');
    breaker.failed('ECONNREFUSED');
    now += 500;
    const refusal = breaker.refusal();
    expect(refusal?.retryAfterSeconds).toBe(2); // 1.5 s left, rounded up
    expect(refusal?.dependency).toBe('database');
    expect(events).toEqual(['opened: ECONNREFUSED']);
  });

  it('after the open period lets exactly one probe through; its success closes the circuit', () => {
    const breaker = sut();
    breaker.failed('down');
    now += 2_000;
    expect(breaker.refusal()).toBeUndefined(); // the probe
    expect(breaker.refusal()?.retryAfterSeconds).toBe(1); // everyone else waits for its answer
    now += 300;
    breaker.succeeded();
    expect(breaker.refusal()).toBeUndefined();
    expect(breaker.isOpen).toBe(false);
    expect(events).toEqual(['opened: down', 'closed after 2300']);
  });

  it('a failed probe opens it again for a full period', () => {
    const breaker = sut();
    breaker.failed('down');
    now += 2_000;
    expect(breaker.refusal()).toBeUndefined();
    breaker.failed('still down');
    expect(breaker.refusal()?.retryAfterSeconds).toBe(2);
    expect(events).toEqual(['opened: down']); // still the same outage
  });

  it('a probe that never reports does not block the next one forever', () => {
    const breaker = sut();
    breaker.failed('down');
    now += 2_000;
    expect(breaker.refusal()).toBeUndefined();
    now += 5_000;
    expect(breaker.refusal()).toBeUndefined();
  });

  it('a query that was already running when the database went away does not close the circuit by finishing', () => {
    const breaker = sut();
    const running = breaker.callStarts();
    now += 100;
    breaker.failed('ECONNRESET');
    now += 50;
    breaker.succeeded(running);
    expect(breaker.isOpen).toBe(true);
    expect(events).toEqual(['opened: ECONNRESET']);
  });

  it('a call sent during the outage that fails after the recovery does not open it again', () => {
    const breaker = sut();
    breaker.failed('down');
    now += 1_000;
    const late = breaker.callStarts(); // e.g. a connection attempt that only times out later
    now += 1_000;
    expect(breaker.refusal()).toBeUndefined();
    const probe = breaker.callStarts();
    now += 10;
    breaker.succeeded(probe);
    now += 500;
    breaker.failed('timeout', late);
    expect(breaker.isOpen).toBe(false);
    breaker.failed('down again', breaker.callStarts());
    expect(breaker.isOpen).toBe(true);
    expect(events).toEqual(['opened: down', 'closed after 2010', 'opened: down again']);
  });

  it('times its open period on the monotonic clock: a step of the system time back does not hold it open', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const breaker = new CircuitBreaker('database', 2_000, 5_000, { opened: () => undefined, closed: () => undefined });
      breaker.failed('ECONNREFUSED');
      jest.setSystemTime(1_000_000 - 3_600_000); // NTP or an operator sets the clock an hour back
      jest.advanceTimersByTime(1_999);
      expect(breaker.refusal()).toBeDefined();
      jest.advanceTimersByTime(1);
      expect(breaker.refusal()).toBeUndefined(); // the open period is over: one probe goes through
    } finally {
      jest.useRealTimers();
    }
  });
});
