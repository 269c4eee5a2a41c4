import { describe, expect, it } from 'vitest';
import { backoffMs } from './worker.ts';

describe('Retry delays', () => {
  it('doubles the delay after each failure up to the cap, within 20 % either way', () => {
    const limits = { baseMs: 1_000, maxMs: 60_000 };
    const exact = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
    for (let round = 0; round < 50; round++) {
      const delays = exact.map((_, n) => backoffMs(n + 1, limits));
      expect(delays.map((delay, n) => delay >= exact[n]! * 0.8 && delay <= exact[n]! * 1.2)).toEqual(exact.map(() => true));
    }
  });
});
