import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

/** How a stand-in subgraph answers one request; doing nothing leaves it unanswered (a hung subgraph). */
export type FakeAnswer = (respond: (status: number, body: string) => void) => void;

/**
 * Local HTTP servers standing in for a subgraph the gateway is pointed at (down, hung, failing, or
 * one that only counts what reaches it), for one test file: call at the top of the file; every
 * server is closed, its connections cut, after the file's tests.
 */
export function fakeSubgraphs(): { start(answer: FakeAnswer): Promise<string> } {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });
  return {
    /** Starts one and resolves with its `/graphql` URL. */
    async start(answer) {
      const server = createServer((_request, response) => answer((status, body) => response.writeHead(status, { 'content-type': 'application/json' }).end(body)));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    },
  };
}
