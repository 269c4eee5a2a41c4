import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import type { GraphQLResponse } from './graph.ts';

/**
 * Proxies in front of the subgraphs that record each GraphQL request and can hold requests, so
 * tests of what the gateway shares (test/gateway-fetch-dedup.test.ts,
 * test/gateway-operation-dedup.test.ts) arrange "in flight at the same moment" instead of hoping for it.
 */

export interface Seen {
  query: string;
  variables?: { representations?: unknown[] } & Record<string, unknown>;
  authorization: string | undefined;
}

/** A proxy in front of a subgraph: records each GraphQL request and, while `holding`, keeps it until `release()`. */
export async function recordingProxy(target: string) {
  const seen: Seen[] = [];
  let held: (() => void)[] = [];
  let holding = false;
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await read(req);
    const isGraphQL = req.method === 'POST' && req.url === '/graphql';
    if (isGraphQL) {
      const { query, variables } = JSON.parse(body.toString()) as Seen;
      seen.push({ query, variables, authorization: req.headers.authorization });
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const response = await fetch(new URL(req.url!, target), { method: req.method, headers, ...(req.method === 'POST' ? { body } : {}) });
    res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  // A request the proxy could not pass on fails as a broken connection, which the test then sees.
  const server = createServer((req, res) => {
    forward(req, res).catch((error: Error) => res.destroy(error));
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    held: () => held.length,
    hold: () => void (holding = true),
    /** Lets the held requests go on; with `stopHolding`, the ones to come too. */
    release({ stopHolding = false } = {}) {
      if (stopHolding) holding = false;
      const waiting = held;
      held = [];
      waiting.forEach((resolve) => resolve());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Proxy = Awaited<ReturnType<typeof recordingProxy>>;

/** A recording proxy in front of each subgraph, and the URLs a gateway reaches them by. */
export async function recordingProxies(subgraphUrls: Record<SubgraphName, string>) {
  const proxies = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await recordingProxy(subgraphUrls[name])]))) as Record<SubgraphName, Proxy>;
  const all = Object.values(proxies);
  return {
    proxies,
    urls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].url])) as Record<SubgraphName, string>,
    hold: () => all.forEach((proxy) => proxy.hold()),
    /** Requests held at any of them now. */
    held: () => all.reduce((sum, proxy) => sum + proxy.held(), 0),
    release: (options?: { stopHolding?: boolean }) => all.forEach((proxy) => proxy.release(options)),
    /** What each proxy sees while `run` runs. */
    async seenDuring(run: () => Promise<unknown>): Promise<Record<SubgraphName, Seen[]>> {
      const before = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].seen.length]));
      await run();
      return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].seen.slice(before[name])])) as Record<SubgraphName, Seen[]>;
    },
    async close() {
      all.forEach((proxy) => proxy.release({ stopHolding: true }));
      await Promise.all(all.map((proxy) => proxy.close()));
    },
  };
}

/** Waits for `condition`, polling; fails with `what` if it does not come (a wait, not a timed assertion). */
export async function until(condition: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting: ${typeof what === 'string' ? what : what()}`);
    await sleep(5);
  }
}

/** Sends the requests and holds them at `proxy` until each one has arrived there: all in flight at once. */
export async function allAtOnce(proxy: Proxy, requests: (() => Promise<GraphQLResponse>)[]): Promise<GraphQLResponse[]> {
  proxy.hold();
  try {
    const answers = Promise.all(requests.map((request) => request()));
    await until(() => proxy.held() === requests.length, `${requests.length} requests held at the proxy`);
    proxy.release({ stopHolding: true });
    return await answers;
  } finally {
    proxy.release({ stopHolding: true });
  }
}
