import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from './auth.ts';
import { LIVE_ENDS } from './live/ends.ts';
import { EventQueue } from './live/stream.ts';
import { serveSubscriptions } from './subscriptions.ts';

describe('serveSubscriptions: a subgraph’s WebSocket endpoint', () => {
  const SDL = `
    type Query { ok: Boolean }
    type Subscription { ticks(count: Int!): Tick! broken: Tick! forever: Tick! }
    type Tick { n: Int! secret: String }
  `;
  let server: Server;
  let url: string;
  let close: () => Promise<void>;
  let keys: JWTVerifyGetKey;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  const clients: Client[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256' }] });
    const schema = buildSubgraphSchema({
      typeDefs: parse(SDL),
      resolvers: {
        Subscription: {
          ticks: {
            subscribe: async function* (_root: unknown, { count }: { count: number }) {
              for (let n = 1; n <= count; n++) yield { n };
            },
            resolve: (tick: { n: number }) => tick,
          },
          forever: { subscribe: () => new EventQueue({ limit: 1, onOverflow: () => {} }) },
          broken: {
            subscribe: () => ({
              [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('connection to 10.0.0.5 refused')) }),
            }),
          },
        },
        Tick: {
          secret: () => {
            throw new Error('relation "secret_table" does not exist');
          },
        },
      } as GraphQLResolverMap<unknown>,
    });
    server = createServer((_req, res) => res.end());
    close = serveSubscriptions(server, { name: 'test', schema, verify: createTokenVerifier(keys), context: (viewer) => ({ viewer }), maxSubscriptionsPerConnection: 2 });
    await new Promise<void>((resolve) => server.listen(0, resolve));
    url = `ws://localhost:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  afterAll(async () => {
    await close?.();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const token = (expiresInSeconds = 900) =>
    new SignJWT({ lvl: 'STANDARD', roles: [] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setSubject(randomUUID())
      .setIssuer('epgu-identity')
      .setAudience('epgu-graph')
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(privateKey);

  /** Runs one operation to its end on its own connection; collects what came and how it ended. */
  async function run(query: string, bearer?: string, client?: Client) {
    const own = client ?? createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, ...(bearer ? { connectionParams: { authorization: `Bearer ${bearer}` } } : {}) });
    clients.push(own);
    const messages: unknown[] = [];
    const ended = await new Promise<unknown>((resolve) => own.subscribe({ query }, { next: (message) => void messages.push(message), error: (error) => resolve(error), complete: () => resolve('complete') }));
    const { code, reason } = (ended ?? {}) as { code?: number; reason?: string };
    return { messages, ended: typeof code === 'number' ? { code, reason } : ended };
  }

  it('runs a subscription to its end for a verified caller', async () => {
    expect(await run('subscription { ticks(count: 3) { n } }', await token())).toEqual({
      messages: [{ data: { ticks: { n: 1 } } }, { data: { ticks: { n: 2 } } }, { data: { ticks: { n: 3 } } }],
      ended: 'complete',
    });
  });

  it('masks internal errors of a field and of the event stream, keeping the code', async () => {
    const internal = { message: 'Внутренняя ошибка сервиса. Попробуйте позже.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    const field = await run('subscription { ticks(count: 1) { n secret } }', await token());
    expect(field).toEqual({ messages: [{ data: { ticks: { n: 1, secret: null } }, errors: [{ ...internal, path: ['ticks', 'secret'] }] }], ended: 'complete' });
    const stream = await run('subscription { broken { n } }', await token());
    expect(stream).toEqual({ messages: [], ended: [expect.objectContaining(internal)] });
  });

  /** A subscription that stays open until the connection ends. */
  function hold(client: Client) {
    return new Promise<unknown>((resolve) => client.subscribe({ query: 'subscription { forever { n } }' }, { next: () => {}, error: (error) => resolve(error), complete: () => resolve('complete') }));
  }

  it('closes the connection with 4401 once the token it was opened with expires', async () => {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${await token(2)}` } });
    clients.push(client);
    const { code, reason } = (await hold(client)) as { code: number; reason: string };
    expect({ code, reason }).toEqual({ code: 4401, reason: LIVE_ENDS.expired.reason });
  });

  it('refuses more subscriptions on one connection than allowed', async () => {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${await token()}` } });
    clients.push(client);
    void hold(client);
    void hold(client);
    expect(await hold(client)).toEqual([expect.objectContaining({ message: 'Не больше 2 подписок на одно соединение.' })]);
  });

  it('refuses an upgrade on another path', async () => {
    const socket = new WebSocket(url.replace('/graphql', '/other'), 'graphql-transport-ws');
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      socket.on('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});
