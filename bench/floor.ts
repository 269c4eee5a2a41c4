import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { forApolloGateway } from '../gateway/authorization.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { schemaFile } from '../lib/schema.ts';
import type { BenchSystem } from './system.ts';
import type { Operation } from './queries.ts';

/**
 * The floor: what an operation costs without a gateway's own work. Our gateway's query plan for it
 * (the same @apollo/query-planner over the same supergraph) gives the shape, which fetches wait for
 * which; the subgraph requests the gateway actually sends are recorded per caller (a gateway process
 * pointed at recording proxies). A bare server (bench/floor-server.ts) then sends exactly those
 * requests straight to the subgraphs for each request it gets — the recording of the caller whose
 * Authorization it carries, in the plan's order (a Sequence one after another, a Parallel at once),
 * each signed as the gateway signs it — and answers with the subgraphs' bodies, unmerged.
 */

export interface SubgraphRequest {
  subgraph: SubgraphName;
  authorization: string | null;
  /** The JSON body exactly as the gateway sent it. */
  body: string;
}

/** A query plan with each fetch replaced by the request the gateway sent for it. */
export type FloorPlan = { kind: 'Sequence' | 'Parallel'; nodes: FloorPlan[] } | { kind: 'Fetch'; request: SubgraphRequest };

interface Recorded extends SubgraphRequest {
  query: string;
}

/** The plan's shape, a fetch being its subgraph and the operation text it sends. */
type Shape = { kind: 'Sequence' | 'Parallel'; nodes: Shape[] } | { kind: 'Fetch'; subgraph: string; operation: string };

export function planShape(supergraphSdl: string, operation: Pick<Operation, 'query'>): Shape {
  const supergraph = Supergraph.build(forApolloGateway(supergraphSdl));
  const plan = new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(operation.query)));
  const shape = (node: PlanNode): Shape => {
    switch (node.kind) {
      case 'Sequence':
      case 'Parallel':
        return { kind: node.kind, nodes: node.nodes.map(shape) };
      case 'Flatten':
        return shape(node.node);
      case 'Fetch':
        return { kind: 'Fetch', subgraph: node.serviceName, operation: node.operation };
      default:
        throw new Error(`the floor does not replay ${node.kind} nodes`);
    }
  };
  if (plan.node?.kind === 'Subscription') throw new Error('the floor replays queries, not subscriptions');
  return plan.node ? shape(plan.node) : { kind: 'Sequence', nodes: [] };
}

/** The shape with each fetch matched to a recorded request (by subgraph and text); fetches never sent drop out. */
function withRequests(shape: Shape, recorded: Recorded[]): FloorPlan | null {
  if (shape.kind === 'Fetch') {
    const index = recorded.findIndex((entry) => entry.subgraph === shape.subgraph && entry.query === shape.operation);
    if (index < 0) return null;
    const [{ subgraph, authorization, body }] = recorded.splice(index, 1) as [Recorded];
    return { kind: 'Fetch', request: { subgraph, authorization, body } };
  }
  const nodes = shape.nodes.map((node) => withRequests(node, recorded)).filter((node): node is FloorPlan => node !== null);
  return nodes.length ? { kind: shape.kind, nodes } : null;
}

/** The requests of a plan in the order the floor sends them. */
export const requestsOf = (plan: FloorPlan): SubgraphRequest[] => (plan.kind === 'Fetch' ? [plan.request] : plan.nodes.flatMap(requestsOf));

/** `identity → (appeals ‖ notifications → …)`: a plan in one line. */
export const describePlan = (plan: FloorPlan): string => (plan.kind === 'Fetch' ? plan.request.subgraph : `(${plan.nodes.map(describePlan).join(plan.kind === 'Sequence' ? ' → ' : ' ‖ ')})`);

/** Proxies that pass every request on to the real subgraph and record the GraphQL ones. */
async function recordingProxies(targets: Record<SubgraphName, string>) {
  const recorded: Recorded[] = [];
  const servers = await Promise.all(
    SUBGRAPH_NAMES.map(async (subgraph) => {
      const target = new URL(targets[subgraph]);
      const server = createServer((incoming, outgoing) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers: IncomingHttpHeaders = { ...incoming.headers, host: target.host };
          const upstream = request({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers }, (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => parts.push(chunk));
            answer.on('end', () => {
              if (incoming.method === 'POST' && incoming.url === target.pathname) {
                recorded.push({ subgraph, authorization: incoming.headers.authorization ?? null, body: body.toString(), query: (JSON.parse(body.toString()) as { query: string }).query });
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
    }),
  );
  return {
    urls: Object.fromEntries(servers.map(([subgraph, server]) => [subgraph, `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(targets[subgraph]).pathname}`])) as Record<SubgraphName, string>,
    recorded,
    close: () => Promise.all(servers.map(([, server]) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))))),
  };
}

/** The plan with each caller's recorded requests, by the caller's Authorization header. */
export type FloorPlans = Record<string, FloorPlan>;

/** A gateway process started for a recording: its URL and how to stop it. */
export type StartGateway = (subgraphUrls: Record<SubgraphName, string>) => Promise<{ url: string; stop(): Promise<void> }>;

/**
 * The subgraph requests a gateway (started by `start`, pointed at recording proxies) makes for
 * `operation` for each caller, one at a time (each caller's second run: the first warms the token
 * checks and caches).
 */
export async function recordRequests(system: BenchSystem, start: StartGateway, operation: Operation, authorizations: string[]): Promise<Map<string, Recorded[]>> {
  const proxies = await recordingProxies(system.subgraphUrls);
  const gateway = await start(proxies.urls);
  try {
    const requests = new Map<string, Recorded[]>();
    for (const authorization of authorizations) {
      const send = () =>
        fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query: operation.query, variables: operation.variables ?? {} }),
        }).then((response) => response.json() as Promise<{ errors?: unknown[] }>);
      await send();
      proxies.recorded.length = 0;
      const answer = await send();
      if (answer.errors) throw new Error(`recording subgraph requests: the gateway answered errors ${JSON.stringify(answer.errors)}`);
      requests.set(authorization, [...proxies.recorded]);
    }
    return requests;
  } finally {
    await gateway.stop();
    await proxies.close();
  }
}

/** Our gateway's plan for `operation` with each caller's recorded requests. */
export async function recordPlans(system: BenchSystem, operation: Operation, authorizations: string[]): Promise<FloorPlans> {
  const shape = planShape(readFileSync(schemaFile('supergraph'), 'utf8'), operation);
  // Without the entity cache: the floor sends every fetch of the plan, as a first read does.
  const recordings = await recordRequests(system, (urls) => system.startGateway('gateway-recording', urls, { env: { GATEWAY_WORKERS: '1', ENTITY_CACHE: 'off' } }), operation, authorizations);
  const plans: FloorPlans = {};
  for (const [authorization, recorded] of recordings) {
    const plan = withRequests(shape, recorded);
    if (!plan || recorded.length) throw new Error(`recording the plan: ${recorded.length} requests of the gateway are not in its query plan (${recorded.map((entry) => entry.subgraph).join(', ')})`);
    plans[authorization] = plan;
  }
  return plans;
}

/** How many requests Hive Gateway (one worker) sends each subgraph for `operation`, in the order they were sent. */
export async function recordHiveRequests(system: BenchSystem, operation: Operation, authorization: string): Promise<SubgraphName[]> {
  const recordings = await recordRequests(system, (urls) => system.startHive('hive-recording', urls, 1), operation, [authorization]);
  return (recordings.get(authorization) ?? []).map((entry) => entry.subgraph);
}

/** Starts the floor server for these plans (written to a file: too large for the environment); resolves with its URL. */
export async function startFloor(system: BenchSystem, plans: FloorPlans): Promise<string> {
  const file = new URL(`../.data/bench-logs/floor-plans-${process.pid}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify(plans));
  const base = await system.startHelper(
    'floor',
    'bench/floor-server.ts',
    {
      FLOOR_PLANS: fileURLToPath(file),
      FLOOR_SUBGRAPH_URLS: JSON.stringify(system.subgraphUrls),
    },
    '/health',
  );
  return `${base}/graphql`;
}
