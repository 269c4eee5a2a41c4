import { Agent, createServer, request } from 'node:http';
import type { SubgraphName } from '../lib/config.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../lib/gateway-credential.ts';
import type { SubgraphRequest } from './floor.ts';

/**
 * The floor server (bench/floor.ts): for every request, the recorded subgraph requests of one
 * operation, stage after stage, each signed as the gateway signs it; answers with their bodies.
 */
const stages = JSON.parse(process.env.FLOOR_STAGES!) as SubgraphRequest[][];
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

const server = createServer((incoming, outgoing) => {
  incoming.resume();
  if (incoming.url === '/health') return void outgoing.end('ok');
  incoming.on('end', async () => {
    try {
      const bodies: string[] = [];
      for (const stage of stages) bodies.push(...(await Promise.all(stage.map(send))));
      outgoing.writeHead(200, { 'content-type': 'application/json' }).end(`[${bodies.join(',')}]`);
    } catch (error) {
      outgoing.writeHead(502).end(String(error));
    }
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
