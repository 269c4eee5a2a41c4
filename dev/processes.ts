import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * The services of a launcher (`npm start`, `npm run bench`), each its own Node process under tsx
 * with the project root as its working folder. A service that exits while the group is not stopping
 * calls `onUnexpectedExit`; `stop` sends SIGTERM to every one and waits for them (10 s at most).
 */
export interface ProcessGroup {
  /** Starts `entry` (a path from the project root) with the launcher's environment plus `env`; `node` adds Node flags. */
  start(name: string, entry: string, env: Record<string, string>, options?: {
    node?: string[];
    args?: string[];
    stdio?: StdioOptions;
    /** A service with processes of its own (workers): it gets its own process group, and stopping signals the whole group. */
    ownProcessGroup?: boolean;
  }): ChildProcess;
  /** Stops one service started by the group, without calling `onUnexpectedExit`. */
  stopOne(child: ChildProcess): Promise<void>;
  stop(): Promise<void>;
}

export const projectRoot = new URL('..', import.meta.url);

export function processGroup({ env = {}, stdio = 'inherit', onUnexpectedExit }: {
  /** Given to every service (the gateway's secret). */
  env?: Record<string, string>;
  stdio?: StdioOptions;
  onUnexpectedExit: (name: string, code: number | null) => void;
}): ProcessGroup {
  const children: ChildProcess[] = [];
  const stoppedOnPurpose = new Set<ChildProcess>();
  let stopping = false;
  const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
  const groups = new Set<ChildProcess>();
  const terminate = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') => {
    if (!groups.has(child) || child.pid === undefined) return void child.kill(signal);
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    start(name, entry, serviceEnv, options = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', ...(options.node ?? []), entry, ...(options.args ?? [])], {
        cwd: projectRoot, env: { ...process.env, ...env, ...serviceEnv }, stdio: options.stdio ?? stdio, detached: options.ownProcessGroup ?? false,
      });
      if (options.ownProcessGroup) groups.add(child);
      child.once('exit', (code) => {
        if (!stopping && !stoppedOnPurpose.has(child)) onUnexpectedExit(name, code);
      });
      children.push(child);
      return child;
    },
    async stopOne(child) {
      stoppedOnPurpose.add(child);
      if (exited(child)) return;
      const exit = new Promise((resolve) => child.once('exit', resolve));
      terminate(child);
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (!exited(child) || groups.has(child)) terminate(child, 'SIGKILL');
    },
    async stop() {
      stopping = true;
      const exits = children.filter((child) => !exited(child)).map((child) => new Promise((resolve) => child.once('exit', resolve)));
      for (const child of children) terminate(child);
      await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      // Whatever did not stop in time (a group's workers outliving their primary too) is killed, never left behind.
      for (const child of children) if (!exited(child) || groups.has(child)) terminate(child, 'SIGKILL');
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
