/**
 * The loop under the relay and every bus consumer: runs a step when woken (a notification, a timer),
 * never two at once, again at once when woken while running, and after `pollIntervalMs` anyway so a
 * lost notification only delays work.
 */
import { logger } from '../log.ts';

const log = logger('event-bus');

/** What a step asks of the loop. */
export interface StepResult {
  /** More work is waiting (a full batch was taken): run again at once. */
  again?: boolean;
  /** Run no later than this many milliseconds from now (a retry falls due). */
  nextInMs?: number;
}

export interface WorkerOptions {
  /** Longest wait between two runs when nothing wakes the loop. */
  pollIntervalMs: number;
  /** Called with an error a step threw; the loop backs off and tries again. Default: logged (lib/log.ts). */
  onError?: (error: unknown) => void;
}

export interface Worker {
  /** Asks for a run as soon as possible. */
  wake(): void;
  /**
   * The connection the step needs is back (its LISTEN connected again): past failures are
   * forgotten and the step runs now, and again at once if the run in flight fails.
   */
  resume(): void;
  /** Stops the loop and waits for a running step to end. */
  stop(): Promise<void>;
}

/** Delay before attempt `attempt + 1` after `attempt` failures: doubling from `baseMs`, at most `maxMs`, with ±20 % jitter. */
export function backoffMs(attempt: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }): number {
  const exact = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exact * (0.8 + Math.random() * 0.4));
}

export function startWorker(step: () => Promise<StepResult>, { pollIntervalMs, onError = (error) => log.error({ err: error }, 'event worker step failed') }: WorkerOptions): Worker {
  let stopped = false;
  let rerun = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let resumed = false;

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(wake, Math.max(0, delayMs));
    timer.unref();
  };

  async function loop(): Promise<void> {
    let next = pollIntervalMs;
    try {
      do {
        rerun = false;
        resumed = false;
        const result = await step();
        failures = 0;
        if (result.again) rerun = true;
        if (result.nextInMs !== undefined) next = Math.min(next, result.nextInMs);
      } while (rerun && !stopped);
    } catch (error) {
      if (!stopped) onError(error);
      // A failing step waits for its backoff, however often it is woken, unless its connection came
      // back meanwhile: that wake was dropped here, and the step then waited a whole poll interval
      // after an outage (the backoff has reached it by then).
      rerun = resumed;
      next = Math.min(pollIntervalMs, backoffMs(++failures, { baseMs: 100, maxMs: 30_000 }));
    } finally {
      running = null;
      if (rerun && !stopped) wake();
      else schedule(next);
    }
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      rerun = true;
      return;
    }
    clearTimeout(timer);
    running = loop();
  }

  wake();
  return {
    wake,
    resume() {
      failures = 0;
      resumed = true;
      wake();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
