import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reading a V8 CPU profile (`node --cpu-prof`): where a process spent its time, per function and
 * per package, and its stacks folded for a flame graph (flamegraph.pl, speedscope, inferno).
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** The largest .cpuprofile in `dir`: the main thread's (tsx's loader thread writes a small one beside it). */
export function largestProfile(dir: string): string {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (!files.length) throw new Error(`no .cpuprofile in ${dir}`);
  return join(dir, files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]!);
}

/** Where a function lives, short: the package of node_modules, a file of ours, or V8's own. */
function placeOf(url: string): string {
  if (!url) return '(V8, native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return url;
  const ours = /\/(lib|gateway|subgraphs)\/(.+)$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url.split('/').at(-1)!;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by function, most first. */
  functions: { name: string; place: string; selfMs: number }[];
  /** Self time by package or our module, most first. */
  places: { place: string; selfMs: number }[];
  /** Stacks folded (`a;b;c <samples>`), one per line, for a flame graph. */
  folded: string;
}

export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${placeOf(node.callFrame.url)}`;

  const functions = new Map<string, { name: string; place: string; selfMs: number }>();
  const places = new Map<string, number>();
  const stacks = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const place = placeOf(node.callFrame.url);
    const key = label(node);
    const entry = functions.get(key) ?? { name: node.callFrame.functionName || '(anonymous)', place, selfMs: 0 };
    entry.selfMs += hits * msPerSample;
    functions.set(key, entry);
    places.set(place, (places.get(place) ?? 0) + hits * msPerSample);
    const frames: string[] = [];
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) frames.unshift(label(byId.get(id)!).replaceAll(';', ','));
    const stack = frames.slice(1).join(';');
    stacks.set(stack, (stacks.get(stack) ?? 0) + hits);
  }
  return {
    totalMs: profile.samples.length * msPerSample,
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs),
    places: [...places].map(([place, selfMs]) => ({ place, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
    folded: [...stacks].map(([stack, hits]) => `${stack} ${hits}`).join('\n'),
  };
}
