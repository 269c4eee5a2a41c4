import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a recording proxy saw of one GraphQL request to its subgraph. */
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
export type RecordingProxy = Awaited<ReturnType<typeof recordingProxy>>;
