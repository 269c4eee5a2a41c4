import { vi } from 'vitest';

/**
 * Time as the code under test sees it (Date, setTimeout, setInterval), moved only by
 * `vi.advanceTimersByTimeAsync`: a test of deadlines, ages and re-checks waits no real time and
 * asserts "nothing happened in that time" exactly. setImmediate and process.nextTick stay real, so
 * I/O and promises go on; restore with `vi.useRealTimers()`.
 */
export const useFakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });

/** Whether a promise resolves before any time passes on the fake clock (the microtasks it needs run); a rejection fails the test. */
export async function resolvesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  let resolved = false;
  const settled = promise.then(() => (resolved = true));
  for (let turn = 0; turn < 20 && !resolved; turn++) await Promise.resolve();
  if (resolved) await settled;
  else settled.catch(() => {});
  return resolved;
}
