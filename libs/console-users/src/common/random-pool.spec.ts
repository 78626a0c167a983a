import { RandomBytesPool } from './random-pool';

describe('RandomBytesPool', () => {
  it('hands out each byte of a block once, in buffers of their own, and refills when it runs out', () => {
    const sut = new RandomBytesPool(64);
    const taken = Array.from({ length: 40 }, () => sut.take(12));
    expect(taken.every((b) => b.length === 12)).toBe(true);
    // 40 × 12 bytes from 64-byte blocks: several refills, and no two IV-sized values alike.
    expect(new Set(taken.map((b) => b.toString('hex'))).size).toBe(40);
    const first = Buffer.from(taken[0]!);
    sut.take(60); // a refill overwrites the block; what was handed out stays
    expect(taken[0]).toEqual(first);
  });

  it('serves a request larger than its block straight from the generator', () => {
    const sut = new RandomBytesPool(16);
    const big = sut.take(100);
    expect(big.length).toBe(100);
    expect(big.equals(Buffer.alloc(100))).toBe(false);
  });
});
