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
});
