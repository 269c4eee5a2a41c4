import type { BENCH_PEOPLE } from './seed.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import type { Operation } from './queries.ts';
import type { BenchSystem } from './system.ts';

/**
 * A scenario is one module in bench/scenarios/ exporting a `Scenario`: it gets the running system
 * and the run's settings and returns its table, its targets met or missed, and notes.
 */
export type Scenario = (context: ScenarioContext) => Promise<ScenarioResult>;

export interface BenchSettings {
  /** Seconds each measured load runs (BENCH_DURATION). */
  seconds: number;
  /** Seconds of the same load first, not measured (BENCH_WARMUP). */
  warmupSeconds: number;
  /** The high concurrency of the dashboard (BENCH_CONNECTIONS). */
  connections: number;
  /** Processes of each gateway, ours (GATEWAY_WORKERS) and Hive's (--fork) alike (BENCH_WORKERS, by default a core each). */
  workers: number;
  /** BENCH_QUICK=1: a smoke run of the harness, figures not to be compared. */
  quick: boolean;
}

export interface ScenarioContext {
  system: BenchSystem;
  settings: BenchSettings;
  /** An access token per benchmark person, signed in through our gateway. */
  tokens: Record<keyof typeof BENCH_PEOPLE, string>;
  /** Tokens of the dashboard's people (bench/seed.ts `dashboardPerson`), the first being `tokens.dashboard`. */
  dashboardTokens: string[];
  log(message: string): void;
}

export interface TargetCheck {
  target: string;
  /** null: not measured in this run (the reason in `detail`). */
  met: boolean | null;
  detail: string;
}

export interface ScenarioResult {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  targets?: TargetCheck[];
  notes?: string[];
}

/**
 * Sends `operation` once and fails unless the answer is data without errors: a load of errors
 * measures nothing. A subgraph reported unavailable is asked once more, with a warning: the first
 * request after an idle spell may meet a keep-alive connection the subgraph has just closed.
 */
export async function checkAnswer(url: string, operation: Operation, token: string | null, retry = true): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: operation.query, variables: operation.variables ?? {} }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
  if (retry && body.errors?.some((error) => error.extensions?.code === 'SUBGRAPH_UNAVAILABLE')) {
    console.warn(`[bench] ${operation.name} at ${url}: a subgraph was unavailable (${JSON.stringify(body.errors).slice(0, 300)}); asking once more`);
    return checkAnswer(url, operation, token, false);
  }
  if (!response.ok || body.errors || !body.data) throw new Error(`${operation.name} at ${url}: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

export const bearer = (token: string) => `Bearer ${token}`;

export const loadOptions = (settings: BenchSettings, connections: number, tokens: string[] = []): LoadOptions => ({
  connections,
  seconds: settings.seconds,
  warmupSeconds: settings.warmupSeconds,
  tokens,
});

/** Milliseconds with two decimals, req/s whole. */
export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '—');
export const perSecond = (value: number) => (Number.isFinite(value) ? Math.round(value).toString() : '—');
export const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—');

/** The usual figures of a load run as table cells: req/s, p50, p99, failures. */
export const loadCells = (result: LoadResult) => [perSecond(result.requestsPerSecond), ms(result.p50), ms(result.p99), result.failures];
