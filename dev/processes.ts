import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { shutdownGraceMs, stopDeadlineMs } from '../lib/config.ts';

/**
 * The services of a launcher (`npm start`, `npm run bench`), each its own Node process under tsx
 * with the project root as its working folder, and in a process group of its own: a Ctrl-C at the
 * terminal reaches the launcher alone, which stops them in order (docs/reliability.md, "Stopping").
 * A service that exits while the group is not stopping calls `onUnexpectedExit`.
 */
export interface ProcessGroup {
  /** Starts `entry` (a path from the project root) with the launcher's environment plus `env`; `node` adds Node flags. */
  start(
    name: string,
    entry: string,
    env: Record<string, string>,
    options?: {
      node?: string[];
      args?: string[];
      stdio?: StdioOptions;
    },
  ): ChildProcess;
  /** Stops one service started by the group, without calling `onUnexpectedExit`. */
  stopOne(child: ChildProcess): Promise<void>;
  /**
   * Stops every service, one after another, the last started first: the gateway before the
   * subgraphs it calls, so none of its requests meets a subgraph already gone.
   */
  stop(): Promise<void>;
}

export const projectRoot = new URL('..', import.meta.url);

export function processGroup({
  env = {},
  stdio = 'inherit',
  onUnexpectedExit,
}: {
  /** Given to every service (the gateway's secret). */
  env?: Record<string, string>;
  stdio?: StdioOptions;
  onUnexpectedExit: (name: string, code: number | null) => void;
}): ProcessGroup {
  const children: ChildProcess[] = [];
  const stoppedOnPurpose = new Set<ChildProcess>();
  let stopping = false;
  // A service drains its requests and exits by itself (lib/service.ts, stopOnSignal); one still running after that is killed.
  const stopTimeoutMs = stopDeadlineMs(shutdownGraceMs({ ...process.env, ...env })) + 1_000;
  const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
  // The whole group: a gateway's workers with their primary.
  const signal = (child: ChildProcess, name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  const stopChild = async (child: ChildProcess) => {
    stoppedOnPurpose.add(child);
    if (!exited(child)) {
      const exit = new Promise((resolve) => child.once('exit', resolve));
      signal(child, 'SIGTERM');
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, stopTimeoutMs))]);
    }
    // Whatever did not stop in time (workers outliving their primary too) is killed, never left behind.
    signal(child, 'SIGKILL');
  };
  // Nor when the launcher itself ends some other way (a crash): its services are not in its process group.
  process.once('exit', () => children.forEach((child) => signal(child, 'SIGKILL')));
  return {
    start(name, entry, serviceEnv, options = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', ...(options.node ?? []), entry, ...(options.args ?? [])], {
        cwd: projectRoot,
        env: { ...process.env, ...env, ...serviceEnv },
        stdio: options.stdio ?? stdio,
        detached: true,
      });
      child.once('exit', (code) => {
        if (!stopping && !stoppedOnPurpose.has(child)) onUnexpectedExit(name, code);
      });
      children.push(child);
      return child;
    },
    stopOne: stopChild,
    async stop() {
      stopping = true;
      for (const child of [...children].reverse()) await stopChild(child);
    },
  };
}

/** Resolves once `url` (a health route) answers 2xx; gives up after a minute. */
export async function waitUntilReady(name: string, url: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const response = await fetch(url).catch(() => null);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

/**
 * A service's log lines (lib/log.ts: one JSON object each) as a person reads them in `npm start`'s
 * terminal: `12:00:01 identity   ready  url=http://localhost:4001/graphql`, an error's class, code
 * and call frames below it. Other lines (the dev outbox's codes, Node's warnings) pass as they are.
 */
export function printReadably(from: Readable, to: Writable): void {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${readable(line)}\n`));
}

const LEVEL_MARKS: Record<string, string> = { warn: 'WARN ', error: 'ERROR ', fatal: 'FATAL ' };

function readable(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.msg !== 'string') return line;
  const { level, time, pid: _pid, service, msg, err, ...fields } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const details = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const text = `${clock} ${String(service ?? '').padEnd(13)} ${LEVEL_MARKS[String(level)] ?? ''}${msg}${details.length ? `  ${details.join(' ')}` : ''}`;
  return err ? `${text}\n${describeError(err as Record<string, unknown>, '    ')}` : text;
}

/** An error as lib/log.ts's `errorFields` wrote it: class, code, message or SQL, frames, then its cause. */
function describeError(err: Record<string, unknown>, indent: string): string {
  const { class: kind, message, sql, stack, cause, errors: _errors, ...codes } = err;
  const head = [kind, ...Object.values(codes).filter((value) => value !== undefined), message ?? sql].filter(Boolean).join(' ');
  const frames = typeof stack === 'string' ? stack.split('\n').map((frame) => `${indent}${frame.trim()}`) : [];
  const below = cause && typeof cause === 'object' ? [`${indent}caused by ${describeError(cause as Record<string, unknown>, indent).trimStart()}`] : [];
  return [`${indent}${head}`, ...frames, ...below].join('\n');
}
