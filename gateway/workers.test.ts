import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { restartPolicy, superviseWorkers, workerCount, type WorkerProcess } from './workers.ts';

describe('workerCount', () => {
  it('runs one worker per core in production and a single process elsewhere, unless GATEWAY_WORKERS says', () => {
    expect(workerCount({ NODE_ENV: 'production' }, 8)).toBe(8);
    expect(workerCount({}, 8)).toBe(1);
    expect(workerCount({ NODE_ENV: 'development' }, 8)).toBe(1);
    expect(workerCount({ GATEWAY_WORKERS: '3' }, 8)).toBe(3);
    expect(workerCount({ GATEWAY_WORKERS: 'auto' }, 2)).toBe(2);
    expect(workerCount({ NODE_ENV: 'production', GATEWAY_WORKERS: '1' }, 8)).toBe(1);
  });

  it('refuses a count that is not a whole number from 1', () => {
    for (const value of ['0', '-2', '1.5', 'many']) expect(() => workerCount({ GATEWAY_WORKERS: value }, 2)).toThrow(/GATEWAY_WORKERS/);
  });
});

describe('restartPolicy', () => {
  it('restarts soon after a lone death, later as deaths pile up, and gives up on a crash loop', () => {
    const delay = restartPolicy({ maxRestarts: 3, windowMs: 60_000, firstDelayMs: 250 });
    expect([delay(0), delay(1_000), delay(2_000), delay(3_000)]).toEqual([250, 500, 1_000, null]);
  });

  it('forgets deaths older than its window', () => {
    const delay = restartPolicy({ maxRestarts: 2, windowMs: 60_000, firstDelayMs: 250 });
    expect([delay(0), delay(1_000), delay(60_500), delay(62_000)]).toEqual([250, 500, 500, 500]);
  });
});

/** Workers that exit when the test says, timers the test fires, and what the primary logged and exited with. */
function fakeCluster() {
  let pid = 100;
  const workers: (WorkerProcess & { signals: string[]; die(code: number, signal?: string): void; alive: boolean })[] = [];
  const timers: { run(): void; ms: number; cancelled: boolean }[] = [];
  const exits: number[] = [];
  const lines: string[] = [];
  const fork = () => {
    const events = new EventEmitter();
    const worker = {
      process: {
        pid: ++pid,
        kill: (signal?: NodeJS.Signals) => {
          worker.signals.push(signal ?? 'SIGTERM');
          return true;
        },
      },
      once: (event: 'exit', listener: (code: number, signal: string) => void) => events.once(event, listener),
      signals: [] as string[],
      alive: true,
      die(code: number, signal = '') {
        worker.alive = false;
        events.emit('exit', code, signal);
      },
    };
    workers.push(worker);
    return worker;
  };
  const setTimer = (run: () => void, ms: number) => {
    const timer = { run, ms, cancelled: false };
    timers.push(timer);
    return () => void (timer.cancelled = true);
  };
  return {
    workers,
    alive: () => workers.filter((worker) => worker.alive),
    /** Fires the timers that are due (not cancelled), once each. */
    fire: () =>
      timers
        .splice(0)
        .filter((timer) => !timer.cancelled)
        .forEach((timer) => timer.run()),
    timers,
    exits,
    lines,
    options: { fork, setTimer, exit: (code: number) => void exits.push(code), log: (line: string) => void lines.push(line), now: () => 0 },
  };
}

describe('superviseWorkers', () => {
  it('starts the workers and replaces one that dies, after the policy’s delay', () => {
    const cluster = fakeCluster();
    const supervisor = superviseWorkers({ ...cluster.options, count: 2, restartDelay: () => 250 });
    expect(cluster.workers).toHaveLength(2);

    cluster.workers[0]!.die(1);
    expect(supervisor.workers()).toBe(1);
    expect(cluster.timers.map(({ ms }) => ms)).toEqual([250]);
    cluster.fire();
    expect(cluster.alive().map((worker) => worker.process.pid)).toEqual([102, 103]);
    expect(cluster.lines).toEqual(['worker 101 exited (code 1); starting another in 250 ms']);
    expect(cluster.exits).toEqual([]);
  });

  it('stops every worker with SIGTERM and exits 0 once all have exited', async () => {
    const cluster = fakeCluster();
    const supervisor = superviseWorkers({ ...cluster.options, count: 3 });
    const stopped = supervisor.stop();
    expect(cluster.workers.map((worker) => worker.signals)).toEqual([['SIGTERM'], ['SIGTERM'], ['SIGTERM']]);
    for (const worker of cluster.workers) worker.die(0);
    await stopped;
    expect(cluster.exits).toEqual([0]);
    // Workers that exit while stopping are not replaced.
    expect(cluster.workers).toHaveLength(3);
  });

  it('kills a worker that does not stop in time', async () => {
    const cluster = fakeCluster();
    const supervisor = superviseWorkers({ ...cluster.options, count: 2, stopTimeoutMs: 20_000 });
    const stopped = supervisor.stop();
    cluster.workers[0]!.die(0);
    expect(cluster.timers.map(({ ms }) => ms)).toEqual([20_000]);
    cluster.fire();
    expect(cluster.workers.map((worker) => worker.signals)).toEqual([['SIGTERM'], ['SIGTERM', 'SIGKILL']]);
    cluster.workers[1]!.die(0, 'SIGKILL');
    await stopped;
    expect(cluster.exits).toEqual([0]);
  });

  it('does not start a replacement that was pending when the stop came', async () => {
    const cluster = fakeCluster();
    const supervisor = superviseWorkers({ ...cluster.options, count: 2, restartDelay: () => 250 });
    cluster.workers[0]!.die(1);
    const stopped = supervisor.stop();
    cluster.workers[1]!.die(0);
    await stopped;
    cluster.fire();
    expect(cluster.workers).toHaveLength(2);
    expect(cluster.exits).toEqual([0]);
  });

  it('gives up on a crash loop: stops the other workers and exits 1', async () => {
    const cluster = fakeCluster();
    superviseWorkers({ ...cluster.options, count: 2, restartDelay: restartPolicy({ maxRestarts: 2 }) });
    cluster.workers[0]!.die(1);
    cluster.fire();
    cluster.workers[2]!.die(1);
    cluster.fire();
    cluster.workers[3]!.die(1);
    expect(cluster.lines.at(-1)).toBe('worker 104 exited (code 1); workers keep dying, stopping the gateway');
    expect(cluster.alive().map((worker) => [worker.process.pid, worker.signals])).toEqual([[102, ['SIGTERM']]]);
    cluster.workers[1]!.die(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cluster.exits).toEqual([1]);
  });
});
