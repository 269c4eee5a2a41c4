import { describe, expect, it } from 'vitest';
import { followLog } from './log-stream.ts';
import { EventQueue } from './live/stream.ts';

/** followLog over an in-memory log whose reads the test holds open, to add entries while one runs. */
function heldLog() {
  const log: number[] = [];
  const reads: { after: number; release: () => void }[] = [];
  let concurrent = 0;
  let most = 0;
  const read = async (after: number, limit: number) => {
    concurrent++;
    most = Math.max(most, concurrent);
    // What the read sees is fixed when it starts, as a statement's snapshot is.
    const seen = log.filter((position) => position > after).slice(0, limit);
    await new Promise<void>((release) => reads.push({ after, release }));
    concurrent--;
    return seen;
  };
  return { log, reads, read, most: () => most };
}

const drain = async (queue: EventQueue<number>, count: number) => {
  const got: number[] = [];
  while (got.length < count) got.push((await queue.next()).value as number);
  return got;
};

describe('followLog', () => {
  it('replays after the cursor, then reads again for a wake-up that came during a read: nothing missed, nothing twice, one read at a time', async () => {
    const { log, reads, read, most } = heldLog();
    log.push(1, 2, 3);
    const queue = new EventQueue<number>({ limit: 100, onOverflow: () => {} });
    const wake = followLog(queue, { after: 1, head: async () => 0, read, position: (entry) => entry, batch: 10 });
    await expect.poll(() => reads.length).toBe(1);
    // Committed while the replay reads (after its snapshot): its wake-up must bring a second read.
    log.push(4);
    wake();
    wake();
    reads[0]!.release();
    await expect.poll(() => reads.length).toBe(2);
    expect(reads[1]!.after).toBe(3);
    reads[1]!.release();
    // Guards lib/log-stream.ts wake's `if (again) wake()`: without it, 4 never comes.
    expect(await drain(queue, 3)).toEqual([2, 3, 4]);
    expect(most()).toBe(1);
    await queue.return();
  });

  it('without a cursor starts at the head: only what comes after', async () => {
    const { log, reads, read } = heldLog();
    log.push(1, 2);
    const queue = new EventQueue<number>({ limit: 100, onOverflow: () => {} });
    const wake = followLog(queue, { after: null, head: async () => 2, read, position: (entry) => entry, batch: 10 });
    await expect.poll(() => reads.length).toBe(1);
    reads[0]!.release();
    log.push(3);
    await new Promise((resolve) => setTimeout(resolve, 10));
    wake();
    await expect.poll(() => reads.length).toBe(2);
    reads[1]!.release();
    expect(await drain(queue, 1)).toEqual([3]);
    await queue.return();
  });
});
