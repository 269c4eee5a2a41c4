import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * What a server process costs, read from outside it: the heap over the IPC channel of a process
 * started with bench/driver/memory.mjs (after a full GC, so only what is still referenced), and
 * resident memory and CPU time of a process and its children from /proc (Linux; null elsewhere).
 */

/** process.memoryUsage() of `child` after a full garbage collection. */
export function heapOf(child: ChildProcess, timeoutMs = 10_000): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', answer);
      reject(new Error('no memory answer over IPC (was the process started with bench/driver/memory.mjs?)'));
    }, timeoutMs);
    const answer = (message: unknown) => {
      const { memory, collected } = (message ?? {}) as { memory?: NodeJS.MemoryUsage; collected?: boolean };
      if (!memory) return;
      clearTimeout(timer);
      child.off('message', answer);
      if (!collected) return reject(new Error('the process was started without --expose-gc: its heap would include garbage'));
      resolve(memory);
    };
    child.on('message', answer);
    child.send('bench:memory');
  });
}

/** Has `child` (started with bench/driver/memory.mjs) write a V8 heap snapshot; resolves with its file. */
export function heapSnapshotOf(child: ChildProcess, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no heap snapshot over IPC')), timeoutMs);
    const answer = (message: unknown) => {
      const { snapshot } = (message ?? {}) as { snapshot?: string };
      if (!snapshot) return;
      clearTimeout(timer);
      child.off('message', answer);
      resolve(snapshot);
    };
    child.on('message', answer);
    child.send('bench:heap-snapshot');
  });
}

/** `pid` and every process below it. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // Gone, or not Linux.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Resident memory of `pid` and its children, bytes; null where /proc is not readable. */
export function residentBytes(pid: number): number | null {
  try {
    return processTree(pid).reduce((sum, each) => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${each}/status`, 'utf8'));
      return sum + (match ? Number(match[1]) * 1024 : 0);
    }, 0);
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) spent so far by `pid` and its children; null where /proc is not readable. */
export function cpuSeconds(pid: number): number | null {
  try {
    return processTree(pid).reduce((sum, each) => {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${each}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) / 100;
    }, 0);
  } catch {
    return null;
  }
}

/** What a process is, from its command line: a subgraph's name, 'gateway', 'Hive Gateway', 'PostgreSQL', or its executable. */
function processName(pid: number): string {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    const subgraph = /subgraphs\/(\w+)\/index\.ts/.exec(command);
    if (subgraph) return subgraph[1]!;
    if (command.includes('gateway/index.ts')) return `gateway ${pid}`;
    if (command.includes('@graphql-hive/gateway')) return 'Hive Gateway';
    if (/postgres/.test(command.split(' ')[0]!)) return 'PostgreSQL';
    return command.split(' ')[0]!.split('/').at(-1)!;
  } catch {
    return String(pid);
  }
}

/** CPU seconds so far of each process the bench started (each with its own children), by name. */
export function cpuOfChildren(rootPid: number = process.pid): Map<string, number> {
  const totals = new Map<string, number>();
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${rootPid}/task/${rootPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return totals;
  }
  for (const child of children) {
    const name = processName(child);
    totals.set(name, (totals.get(name) ?? 0) + (cpuSeconds(child) ?? 0));
  }
  return totals;
}
