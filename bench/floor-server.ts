import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SubgraphName } from '../lib/config.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../lib/gateway-credential.ts';
import type { FloorPlan, FloorPlans, SubgraphRequest } from './floor.ts';

/**
 * The floor server (bench/floor.ts): for every request, the subgraph requests recorded for its
 * caller (by Authorization) in the plan's order, each signed as the gateway signs it; answers with their bodies.
 */
const plans = JSON.parse(readFileSync(process.env.FLOOR_PLANS!, 'utf8')) as FloorPlans;
const urls = JSON.parse(process.env.FLOOR_SUBGRAPH_URLS!) as Record<SubgraphName, string>;
const secret = process.env.GATEWAY_SECRET!;
const agent = new Agent({ keepAlive: true });

async function send({ subgraph, authorization, body }: SubgraphRequest): Promise<string> {
  const { query, variables } = JSON.parse(body) as { query: string; variables?: unknown };
  const credential = await signGatewayCredential(secret, { subgraph, authorization, query, variables });
  const url = new URL(urls[subgraph]);
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), [GATEWAY_CREDENTIAL_HEADER]: credential, ...(authorization ? { authorization } : {}) };
    const outgoing = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => parts.push(chunk));
      answer.on('end', () => (answer.statusCode === 200 ? resolve(Buffer.concat(parts).toString()) : reject(new Error(`${subgraph} answered ${answer.statusCode}`))));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Runs the plan: a Sequence one after another, a Parallel at once; the bodies in plan order. */
async function run(plan: FloorPlan): Promise<string[]> {
  if (plan.kind === 'Fetch') return [await send(plan.request)];
  if (plan.kind === 'Parallel') return (await Promise.all(plan.nodes.map(run))).flat();
  const bodies: string[] = [];
  for (const node of plan.nodes) bodies.push(...(await run(node)));
  return bodies;
}

const server = createServer((incoming, outgoing) => {
  incoming.resume();
  if (incoming.url === '/health') return void outgoing.end('ok');
  // The answer's failure is written to the response, so nothing awaits the promise.
  incoming.on('end', () => void answer(incoming, outgoing));
});

async function answer(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  try {
    const plan = plans[incoming.headers.authorization ?? ''];
    if (!plan) throw new Error('no recording for this caller');
    const bodies = await run(plan);
    outgoing.writeHead(200, { 'content-type': 'application/json' }).end(`[${bodies.join(',')}]`);
  } catch (error) {
    console.error(`[floor] ${(error as Error).message}`);
    outgoing.writeHead(502).end(String(error));
  }
}

server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
