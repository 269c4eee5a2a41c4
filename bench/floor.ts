import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import type { BenchSystem } from './system.ts';
import type { Operation } from './queries.ts';

/**
 * The floor: what an operation costs without a gateway's own work. The subgraph requests our
 * gateway's query plan makes for it are recorded once (a gateway process pointed at recording
 * proxies), then a bare server (bench/floor-server.ts) sends exactly those requests straight to the
 * subgraphs for each request it gets — stage by stage as the plan ordered them, the fetches of one
 * stage at once — signing each as the gateway does. It answers with the subgraphs' bodies, unmerged.
 */

export interface SubgraphRequest {
  subgraph: SubgraphName;
  authorization: string | null;
  /** The JSON body exactly as the gateway sent it. */
  body: string;
}

interface Recorded extends SubgraphRequest {
  started: number;
  ended: number;
}

/**
 * The plan's stages: a request that starts after one of the current stage's requests has answered
 * waited for it, so it begins the next stage; requests in flight together share a stage.
 */
export function stagesOf(recorded: Recorded[]): SubgraphRequest[][] {
  const stages: Recorded[][] = [];
  for (const entry of [...recorded].sort((a, b) => a.started - b.started)) {
    const current = stages.at(-1);
    if (current && entry.started < Math.min(...current.map((other) => other.ended))) current.push(entry);
    else stages.push([entry]);
  }
  return stages.map((stage) => stage.map(({ subgraph, authorization, body }) => ({ subgraph, authorization, body })));
}

/** Proxies that pass every request on to the real subgraph and record the GraphQL ones. */
async function recordingProxies(targets: Record<SubgraphName, string>) {
  const recorded: Recorded[] = [];
  const servers = await Promise.all(SUBGRAPH_NAMES.map(async (subgraph) => {
    const target = new URL(targets[subgraph]);
    const server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks);
        const started = performance.now();
        const headers: IncomingHttpHeaders = { ...incoming.headers, host: target.host };
        const upstream = request({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers }, (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            if (incoming.method === 'POST' && incoming.url === target.pathname) {
              recorded.push({ subgraph, authorization: incoming.headers.authorization ?? null, body: body.toString(), started, ended: performance.now() });
            }
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(Buffer.concat(parts));
          });
        });
        upstream.on('error', () => outgoing.writeHead(502).end());
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return [subgraph, server] as const;
  }));
  return {
    urls: Object.fromEntries(servers.map(([subgraph, server]) => [subgraph, `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(targets[subgraph]).pathname}`])) as Record<SubgraphName, string>,
    recorded,
    close: () => Promise.all(servers.map(([, server]) => new Promise((resolve) => server.close(resolve)))),
  };
}

/** Records the subgraph requests our gateway makes for `operation` (its second run: the first warms the token checks). */
export async function recordPlan(system: BenchSystem, operation: Operation, authorization: string): Promise<SubgraphRequest[][]> {
  const proxies = await recordingProxies(system.subgraphUrls);
  const gateway = await system.startGateway('gateway-recording', proxies.urls);
  try {
    const send = () => fetch(gateway.url, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: operation.query, variables: operation.variables ?? {} }),
    }).then((response) => response.json() as Promise<{ errors?: unknown[] }>);
    await send();
    proxies.recorded.length = 0;
    const answer = await send();
    if (answer.errors) throw new Error(`recording the plan: the gateway answered errors ${JSON.stringify(answer.errors)}`);
    return stagesOf(proxies.recorded);
  } finally {
    await gateway.stop();
    proxies.close();
  }
}

/** Starts the floor server for these stages; resolves with its URL. */
export async function startFloor(system: BenchSystem, stages: SubgraphRequest[][]): Promise<string> {
  const base = await system.startHelper('floor', 'bench/floor-server.ts', {
    FLOOR_STAGES: JSON.stringify(stages), FLOOR_SUBGRAPH_URLS: JSON.stringify(system.subgraphUrls),
  }, '/health');
  return `${base}/graphql`;
}
