import autocannon from 'autocannon';
import type { Operation } from './queries.ts';

/** What one load run measured: throughput and latency percentiles (ms, from every response's own time). */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Responses that were not 2xx or carried GraphQL errors, connection errors and timeouts. */
  failures: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Seconds of the same load before measuring, thrown away (JIT, connection pools, caches). */
  warmupSeconds?: number;
  /** Access tokens: connection i sends tokens[i % length] (none: anonymous). */
  tokens?: string[];
}

/** Sends `operation` as a JSON POST to `url` at a fixed concurrency, for a fixed time. */
export async function load(url: string, operation: Pick<Operation, 'query' | 'variables'>, options: LoadOptions): Promise<LoadResult> {
  const body = JSON.stringify({ query: operation.query, variables: operation.variables ?? {} });
  const tokens = options.tokens?.length ? options.tokens : [null];
  const headersOf = (connection: number) => {
    const token = tokens[connection % tokens.length];
    return { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  };
  if (options.warmupSeconds) await run(url, body, headersOf, options.connections, options.warmupSeconds);
  return run(url, body, headersOf, options.connections, options.seconds);
}

/** Whether a response carries no top-level GraphQL errors (the floor answers an array of subgraph responses). */
function withoutErrors(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown } | { errors?: unknown }[];
    return !(Array.isArray(parsed) ? parsed : [parsed]).some((answer) => answer.errors);
  } catch {
    return false;
  }
}

async function run(url: string, body: string, headersOf: (connection: number) => Record<string, string>, connections: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let connection = 0;
  const instance = autocannon({
    url,
    method: 'POST',
    headers: headersOf(0),
    body,
    connections,
    duration: seconds,
    // An answer with GraphQL errors is a failure too, though it comes with 200.
    verifyBody: withoutErrors,
    // Each connection its own person's token.
    setupClient: (client) => client.setHeaders(headersOf(connection++)),
  });
  // autocannon's own percentiles are whole milliseconds; each response's time is not.
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? NaN;
  return {
    requestsPerSecond: result.requests.total / (result.duration || seconds),
    p50: at(0.5),
    p99: at(0.99),
    requests: result.requests.total,
    failures: result.non2xx + result.mismatches + result.errors + result.timeouts,
  };
}
