import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { DEADLINE_HEADER } from '../lib/deadline.ts';

/** What `RemoteGraphQLDataSource` calls to send a request (@apollo/utils.fetcher's types). */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

/**
 * How the gateway sends its subgraph requests: one POST over a kept-alive connection, the answer
 * read whole. `RemoteGraphQLDataSource`'s default fetcher is make-fetch-happen, an npm client with
 * retries, a cache layer and a proxy-aware agent that builds an `Error` (a stack trace) for every
 * request to learn whether it is HTTPS: a large share of the gateway's CPU per request went there
 * (docs/gateway.md, "Performance"). Nothing of that is needed between the gateway and its subgraphs.
 */
export interface SubgraphFetchOptions {
  /** How long one request may take, connection and answer included; then it fails with a `SubgraphTimeoutError`. */
  timeoutMs: number;
  /**
   * How long a kept-alive connection may stay idle before the gateway closes it. Shorter than the
   * subgraphs' own 65 s (lib/service.ts), so the gateway never reuses a connection the subgraph is
   * closing at that moment (ECONNRESET). Default 30 s.
   */
  idleMs?: number;
}

/** A subgraph that did not answer in time (the data source turns it into SUBGRAPH_UNAVAILABLE). */
export class SubgraphTimeoutError extends Error {
  override name = 'SubgraphTimeoutError';
}

/** Response headers as `FetcherHeaders` over Node's own (lower-case names, read-only in practice). */
class ResponseHeaders implements FetcherHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  append(name: string, value: string): void {
    const old = this.get(name);
    this.raw[name.toLowerCase()] = old === null ? value : `${old}, ${value}`;
  }
  set(name: string, value: string): void {
    this.raw[name.toLowerCase()] = value;
  }
  delete(name: string): void {
    delete this.raw[name.toLowerCase()];
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }
  *keys(): IterableIterator<string> {
    yield* Object.keys(this.raw);
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

function responseOf(url: string, status: number, statusText: string, headers: FetcherHeaders, body: Buffer): FetcherResponse {
  let used = false;
  const take = () => {
    if (used) throw new TypeError('body used already');
    used = true;
    return body;
  };
  return {
    url,
    status,
    statusText,
    headers,
    ok: status >= 200 && status < 300,
    redirected: false,
    get bodyUsed() {
      return used;
    },
    text: async () => take().toString('utf8'),
    json: async (): Promise<unknown> => JSON.parse(take().toString('utf8')),
    arrayBuffer: async () => {
      const bytes = take();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
    clone: () => responseOf(url, status, statusText, headers, body),
  };
}

/** A `Fetcher` for `RemoteGraphQLDataSource`: keep-alive connections per subgraph, a timeout per request. */
export function subgraphFetcher({ timeoutMs, idleMs = 30_000 }: SubgraphFetchOptions): Fetcher {
  // An agent's `timeout` is its sockets' idle timeout: a free socket that reaches it is destroyed.
  const agents = { http: new http.Agent({ keepAlive: true, timeout: idleMs }), https: new https.Agent({ keepAlive: true, timeout: idleMs }) };
  return (url: string, init: FetcherRequestInit = {}) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') return reject(new TypeError(`unsupported subgraph URL ${url}`));
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outcome();
      };
      const fail = (error: Error) => settle(() => reject(error));
      const body = init.body ?? '';
      const request = (secure ? https : http).request(
        target,
        // The subgraph learns how long we wait (lib/deadline.ts): it rolls back what would end later.
        { method: init.method ?? 'GET', headers: { ...init.headers, 'content-length': Buffer.byteLength(body), [DEADLINE_HEADER]: String(timeoutMs) }, agent: secure ? agents.https : agents.http },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            settle(() => resolve(responseOf(url, response.statusCode ?? 0, response.statusMessage ?? '', new ResponseHeaders(response.headers), bytes)));
          });
          // A connection lost in the middle of the answer.
          response.on('close', () => fail(new Error(`the answer of ${target.host} was cut off`)));
        },
      );
      // The whole request, connecting and the answer included, within timeoutMs.
      const deadline = setTimeout(() => {
        fail(new SubgraphTimeoutError(`no answer from ${target.host} within ${timeoutMs} ms`));
        request.destroy();
      }, timeoutMs);
      request.on('error', fail);
      request.end(body);
    });
}
