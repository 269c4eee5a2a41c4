import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { subgraphFetcher, SubgraphTimeoutError } from './subgraph-fetch.ts';

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

/** A stand-in subgraph on a free port; counts the connections it accepted. */
async function serve(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  servers.push(server);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, connections: () => connections, server };
}

describe('The subgraph fetcher', () => {
  it('posts the body with its headers and answers status, headers and JSON, over one kept-alive connection', async () => {
    const subgraph = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=5' });
        res.end(JSON.stringify({ data: { method: req.method, auth: req.headers.authorization, body: Buffer.concat(chunks).toString() } }));
      });
    });
    const fetcher = subgraphFetcher({ timeoutMs: 2_000 });
    for (const n of [1, 2, 3]) {
      const response = await fetcher(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${n}` }, body: `{"n":${n}}` });
      expect(response.ok).toBe(true);
      expect(response.headers.get('Cache-Control')).toBe('max-age=5');
      expect(await response.json()).toEqual({ data: { method: 'POST', auth: `Bearer ${n}`, body: `{"n":${n}}` } });
    }
    expect(subgraph.connections()).toBe(1);
  });

  it('closes a kept-alive connection itself once it has been idle for idleMs, before the subgraph would', async () => {
    const subgraph = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}'));
    subgraph.server.keepAliveTimeout = 60_000;
    const closed: string[] = [];
    subgraph.server.on('connection', (socket) => socket.on('close', () => closed.push('closed')));
    const fetcher = subgraphFetcher({ timeoutMs: 2_000, idleMs: 100 });
    await (await fetcher(subgraph.url, { method: 'POST', body: '{}' })).json();
    await expect.poll(() => closed, { timeout: 2_000 }).toEqual(['closed']);
    await (await fetcher(subgraph.url, { method: 'POST', body: '{}' })).json();
    expect(subgraph.connections()).toBe(2);
  });

  it('answers an error status as it is, for the data source to turn into an error', async () => {
    const subgraph = await serve((_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance'));
    const response = await subgraphFetcher({ timeoutMs: 2_000 })(subgraph.url, { method: 'POST', body: '{}' });
    expect({ ok: response.ok, status: response.status, text: await response.text() }).toEqual({ ok: false, status: 503, text: 'down for maintenance' });
  });

  it('fails with SubgraphTimeoutError when the whole answer does not come within the timeout, even if it started', async () => {
    const subgraph = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":'); // and nothing more
    });
    await expect(subgraphFetcher({ timeoutMs: 200 })(subgraph.url, { method: 'POST', body: '{}' })).rejects.toBeInstanceOf(SubgraphTimeoutError);
  });

  it('fails when the connection is cut in the middle of the answer, and when nobody listens', async () => {
    const subgraph = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const fetcher = subgraphFetcher({ timeoutMs: 2_000 });
    await expect(fetcher(subgraph.url, { method: 'POST', body: '{}' })).rejects.toThrow();
    await new Promise((resolve) => subgraph.server.close(resolve));
    servers = [];
    await expect(fetcher(subgraph.url, { method: 'POST', body: '{}' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
