import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore, createRateLimiter } from '../../lib/rate-limit.ts';
import { SESSION_ENDED } from '../../lib/auth.ts';
import { createPerson, graphQLErrorCodes, signIn, type Person } from '../fixtures.ts';
import { gatewayClients, postSubscription } from '../gateway-clients.ts';
import { graphql, startGraph, type TestGraph } from '../graph.ts';

/**
 * A token outlives its session by up to 15 minutes; the gateway must not. And a subscription is a
 * request like any other for the rate limits, whatever its transport.
 */
let graph: TestGraph;
let person: Person;

beforeAll(async () => {
  graph = await startGraph();
  person = await createPerson(graph);
});
afterAll(() => graph?.stop());

// Paths that never pass through identity, where only the gateway can know the session ended.
const VEHICLE = { make: 'Lada', model: 'Vesta', registrationPlate: 'А123ВС750', vin: 'XTAGFL110KY123456' };
const PATHS = {
  'a notifications query': { query: 'query ($id: ID!) { notification(id: $id) { id } }', variables: { id: randomUUID() } },
  'an appeals query': { query: 'query ($id: ID!) { appeal(id: $id) { id } }', variables: { id: randomUUID() } },
  'a profile mutation': { query: 'mutation ($i: VehicleInput!) { saveVehicle(input: $i) { errors { code } } }', variables: { i: VEHICLE } },
};

const SUBSCRIPTION = 'subscription { unreadCountChanged { unreadCount } }';
const ended = { status: 401, body: { errors: [{ message: SESSION_ENDED, extensions: expect.objectContaining({ code: 'SESSION_REVOKED' }) }] } };

describe("A revoked session's token, at subgraphs other than identity", () => {
  it.each(Object.entries(PATHS))('is refused on %s as soon as the session is ended elsewhere', async (_path, { query, variables }) => {
    const stolen = await signIn(graph, person.phone);
    const own = await signIn(graph, person.phone);
    await graph.request('mutation { revokeOtherSessions { revokedCount } }', { token: own });
    expect(await graph.request(query, { token: stolen, variables })).toEqual(ended);
    expect((await graph.request(query, { token: own, variables })).status).toBe(200);
  });

  it('is refused after logout by the very gateway that served it a moment before (once its short cache ends)', async () => {
    const gateway = await graph.startGatewayInstance({ sessionCheckTtlMs: 0 });
    try {
      const token = await signIn(graph, person.phone);
      const { query, variables } = PATHS['a notifications query'];
      expect((await graphql(gateway.url, query, { token, variables })).status).toBe(200);
      await graphql(gateway.url, 'mutation { logout { revokedCount } }', { token });
      expect(await graphql(gateway.url, query, { token, variables })).toEqual(ended);
      // Nothing was written with it meanwhile.
      const write = await graphql(gateway.url, PATHS['a profile mutation'].query, { token, variables: PATHS['a profile mutation'].variables });
      expect(write.status).toBe(401);
    } finally {
      await gateway.stop();
    }
  });

  it('cannot open a subscription on any transport', async () => {
    const clients = gatewayClients({ http: graph.url, ws: graph.gatewayWsUrl });
    try {
      const token = await signIn(graph, person.phone);
      await graph.request('mutation { revokeOtherSessions { revokedCount } }', { token: await signIn(graph, person.phone) });
      const ws = clients.subscribe('graphql-ws', SUBSCRIPTION, { token });
      await ws.done;
      expect([ws.errors, ws.messages]).toEqual([[{ code: 4401, reason: `SESSION_REVOKED: ${SESSION_ENDED}` }], []]);
      for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec="1.0"']) {
        const response = await postSubscription(graph.url, SUBSCRIPTION, { accept, token });
        expect([response.status, await response.json()]).toEqual([401, { errors: [{ message: SESSION_ENDED, extensions: { code: 'SESSION_REVOKED' } }] }]);
      }
    } finally {
      await clients.disposeAll();
    }
  });
});

describe('Subscriptions and the rate limits', () => {
  let gateway: Awaited<ReturnType<TestGraph['startGatewayInstance']>>;
  let clients: ReturnType<typeof gatewayClients>;

  afterEach(async () => {
    await clients?.disposeAll();
    await gateway?.stop();
  });

  const limitedGateway = async (perUser: number) => {
    gateway = await graph.startGatewayInstance({
      rateLimiter: createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: { limit: perUser, windowMs: 60_000 }, perAddress: null } }),
    });
    clients = gatewayClients({ http: gateway.url, ws: gateway.wsUrl });
  };

  it('counts each graphql-ws subscription, so one socket cannot start subscriptions without end', async () => {
    await limitedGateway(3);
    const token = await signIn(graph, person.phone);
    const streams = [0, 1, 2, 3].map(() => clients.subscribe('graphql-ws', SUBSCRIPTION, { token }));
    // They race: whichever came fourth is refused, the three others run.
    await Promise.race(streams.map((stream) => stream.done));
    const refused = streams.filter((stream) => stream.errors.length);
    expect(refused.map((stream) => stream.errors)).toEqual([
      [[expect.objectContaining({ message: expect.stringMatching(/^Слишком много запросов/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } })]],
    ]);
    await expect.poll(() => gateway.subscriptions.stats().streams).toBe(3);
  });

  it('answers an SSE or multipart subscription over the limit with 429 and Retry-After, before streaming anything', async () => {
    await limitedGateway(1);
    const token = await signIn(graph, person.phone);
    const first = clients.subscribe('sse', SUBSCRIPTION, { token });
    await expect.poll(() => gateway.subscriptions.connectionsOf(person.id)).toBe(1);
    for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec="1.0"']) {
      const response = await postSubscription(gateway.url, SUBSCRIPTION, { accept, token });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(graphQLErrorCodes((await response.json()) as Parameters<typeof graphQLErrorCodes>[0])).toEqual(['RATE_LIMITED']);
    }
    expect(first.errors).toEqual([]);
    expect(gateway.subscriptions.connectionsOf(person.id)).toBe(1);
  });

  it('shares one budget with queries: subscriptions spent it, the next query is refused', async () => {
    await limitedGateway(2);
    const token = await signIn(graph, person.phone);
    const streams = [clients.subscribe('graphql-ws', SUBSCRIPTION, { token }), clients.subscribe('graphql-ws', SUBSCRIPTION, { token })];
    await expect.poll(() => gateway.subscriptions.stats().streams).toBe(2);
    const query = await graphql(gateway.url, '{ topics { id } }', { token });
    expect([query.status, graphQLErrorCodes(query.body)]).toEqual([429, ['RATE_LIMITED']]);
    expect(streams.map((stream) => stream.errors)).toEqual([[], []]);
  });
});
