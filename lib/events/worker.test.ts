import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { backoffMs, startWorker } from './worker.ts';

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

describe('A worker whose connection comes back', () => {
  // Guards lib/events/worker.ts, startWorker's catch (`rerun = resumed`) and `resume`: the relay's and
  // the bus's LISTEN reconnecting call `resume`; a wake dropped while a failing step ran left the
  // step to its backoff, by then a whole poll interval (the fault suite's live feed took 5.1–5.7 s).
  it('runs again at once when resumed while a failing step runs, past failures forgotten', async () => {
    let down = true;
    const runs: number[] = [];
    const worker = startWorker(
      async () => {
        runs.push(Date.now());
        const refused = down;
        await sleep(20);
        if (refused) throw new Error('connection refused');
        return {};
      },
      { pollIntervalMs: 1_000, onError: () => {} },
    );
    // Enough failures for the backoff to reach the poll interval (100 ms doubling: at least 1.28 s at the 5th).
    await expect.poll(() => runs.length, { timeout: 5_000, interval: 5 }).toBeGreaterThanOrEqual(6);
    await expect.poll(() => Date.now() - runs.at(-1)! > 40, { interval: 5 }).toBe(true); // waiting for its backoff now
    const before = runs.length;
    worker.wake();
    // That step is running (20 ms): it fails too, and the database comes back meanwhile.
    await expect.poll(() => runs.length, { interval: 1 }).toBe(before + 1);
    down = false;
    const resumedAt = Date.now();
    worker.resume();
    await expect.poll(() => runs.filter((run) => run >= resumedAt).length, { timeout: 300, interval: 5 }).toBe(1);
    await worker.stop();
  });
});
