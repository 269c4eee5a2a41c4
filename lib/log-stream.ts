import type { EventQueue } from './live/stream.ts';

/**
 * A live stream over an ordered log read by position (a table whose positions commit in order,
 * such as appeals' timeline): first every entry after `after` (or, without it, after the log's
 * head at the start), then, at each `wake()`, whatever was added since. Reads never overlap and
 * the position only grows, so no entry goes out twice; a wake-up during a read brings another
 * read after it, so an entry committed before its wake-up is never missed. The caller wakes the
 * stream on each event that may concern it (its bus event, sent after the commit), and starts
 * listening for those before calling this: an entry is in the first read or its event comes after.
 */
export function followLog<T>(
  queue: EventQueue<T>,
  options: {
    after: number | null;
    /** The log's last position now. */
    head: () => Promise<number>;
    /** The stream's entries after `position`, oldest first, at most `limit`. */
    read: (position: number, limit: number) => Promise<T[]>;
    position: (entry: T) => number;
    /** Entries one read takes; the next read waits until they fit in the queue. */
    batch: number;
  },
): () => void {
  let last = options.after;
  let reading: Promise<void> | null = null;
  let again = false;

  async function readAll(): Promise<void> {
    last ??= await options.head();
    for (;;) {
      await queue.roomFor(options.batch);
      if (queue.done) return;
      const entries = await options.read(last, options.batch);
      for (const entry of entries) {
        queue.push(entry);
        last = options.position(entry);
      }
      if (entries.length < options.batch) return;
    }
  }

  function wake(): void {
    if (queue.done) return;
    if (reading) {
      again = true;
      return;
    }
    again = false;
    reading = readAll()
      .catch((error: unknown) => queue.fail(error))
      .finally(() => {
        reading = null;
        if (again) wake();
      });
  }

  wake();
  return wake;
}
