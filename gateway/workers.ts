import { availableParallelism } from 'node:os';
import { logger } from '../lib/log.ts';

/**
 * The gateway on every core (docs/gateway.md, "Workers"): @apollo/gateway executes a request on one
 * thread, so one process uses one core. `gateway/index.ts` runs a primary process that forks
 * `GATEWAY_WORKERS` workers with node:cluster; they share the port (each accepts from the shared
 * socket: gateway/index.ts says why not the primary), each runs the whole gateway, and nothing one needs lives in another: rate
 * limits are counted in the shared store, subscriptions belong to their connection. The primary
 * only supervises: it restarts a worker that dies, gives up on a crash loop, and passes a stop on.
 */

/**
 * How many worker processes: `GATEWAY_WORKERS`, a whole number or `auto` (one per core the process
 * may use). Without it, one per core in production and a single process elsewhere (`npm start` runs
 * four subgraphs and PostgreSQL on the same cores, and one process is easier to follow). In a
 * container with a CPU limit set it to that limit: Node 20 counts the host's cores.
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env, cores: number = availableParallelism()): number {
  const value = env.GATEWAY_WORKERS?.trim();
  if (!value) return env.NODE_ENV === 'production' ? cores : 1;
  if (value === 'auto') return cores;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new Error(`GATEWAY_WORKERS must be a whole number from 1, or auto (got "${value}")`);
  return count;
}

export interface RestartPolicyOptions {
  /** Deaths within `windowMs` that are still restarted; one more is a crash loop. Default 5. */
  maxRestarts?: number;
  /** Default one minute. */
  windowMs?: number;
  /** Delay before the first restart, doubled for each recent death. Default 250 ms. */
  firstDelayMs?: number;
}

/**
 * When to replace a worker that died: soon after a lone death, later as deaths pile up, and never
 * once more than `maxRestarts` died within `windowMs` (a worker that cannot start, or a request that
 * kills every worker: restarting for ever only hides it). Returns the delay, or null to give up.
 */
export function restartPolicy({ maxRestarts = 5, windowMs = 60_000, firstDelayMs = 250 }: RestartPolicyOptions = {}) {
  const deaths: number[] = [];
  return (now: number): number | null => {
    deaths.push(now);
    while (deaths[0]! <= now - windowMs) deaths.shift();
    if (deaths.length > maxRestarts) return null;
    return firstDelayMs * 2 ** (deaths.length - 1);
  };
}

/** What the supervisor needs of a forked worker (node:cluster's `Worker`). */
export interface WorkerProcess {
  readonly process: { readonly pid?: number | undefined; kill(signal?: NodeJS.Signals): boolean };
  once(event: 'exit', listener: (code: number, signal: string) => void): unknown;
}

export interface SupervisorOptions {
  count: number;
  /** `cluster.fork`. */
  fork(): WorkerProcess;
  /** Given the time of a death, the delay before a replacement, or null for a crash loop (`restartPolicy()`). */
  restartDelay?: (now: number) => number | null;
  /** How long workers may take to stop before they are killed. Default 20 s. */
  stopTimeoutMs?: number;
  /** Ends the primary: 0 after a stop, 1 after a crash loop. */
  exit(code: number): void;
  log?: (line: string) => void;
  /** Timers and clock (tests drive them by hand). */
  setTimer?: (run: () => void, ms: number) => () => void;
  now?: () => number;
}

/**
 * Starts `count` workers and keeps them running; `stop()` (on SIGTERM or SIGINT) sends each
 * SIGTERM, so each stops as a single gateway does (finishes its requests, tells its subscribers to
 * reconnect, then closes its store: lib/service.ts, `stopOnSignal`), waits for all, kills the ones
 * still running after `stopTimeoutMs`, and exits 0.
 */
export function superviseWorkers(options: SupervisorOptions): { stop(): Promise<void>; workers(): number } {
  const log = options.log ?? ((line: string) => logger('gateway').warn(line));
  const setTimer =
    options.setTimer ??
    ((run, ms) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    });
  const now = options.now ?? Date.now;
  const restartDelay = options.restartDelay ?? restartPolicy();
  const running = new Map<WorkerProcess, Promise<void>>();
  const pendingRestarts = new Set<() => void>();
  let stopping: Promise<void> | null = null;

  const start = () => {
    const worker = options.fork();
    running.set(
      worker,
      new Promise((resolve) => {
        worker.once('exit', (code, signal) => {
          running.delete(worker);
          resolve();
          if (!stopping) replace(worker, code, signal);
        });
      }),
    );
  };

  const replace = (worker: WorkerProcess, code: number, signal: string) => {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const delay = restartDelay(now());
    if (delay === null) {
      log(`worker ${worker.process.pid} exited (${how}); workers keep dying, stopping the gateway`);
      void stop(1);
      return;
    }
    log(`worker ${worker.process.pid} exited (${how}); starting another in ${delay} ms`);
    const cancel = setTimer(() => {
      pendingRestarts.delete(cancel);
      if (!stopping) start();
    }, delay);
    pendingRestarts.add(cancel);
  };

  const stop = (code: number) =>
    (stopping ??= (async () => {
      for (const cancel of pendingRestarts) cancel();
      const workers = [...running.keys()];
      for (const worker of workers) worker.process.kill('SIGTERM');
      const cancelKill = setTimer(() => {
        for (const worker of running.keys()) {
          log(`worker ${worker.process.pid} did not stop in time; killing it`);
          worker.process.kill('SIGKILL');
        }
      }, options.stopTimeoutMs ?? 20_000);
      await Promise.all(running.values());
      cancelKill();
      options.exit(code);
    })());

  for (let n = 0; n < options.count; n++) start();
  return { stop: () => stop(0), workers: () => running.size };
}
