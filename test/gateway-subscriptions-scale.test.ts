import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newEvent } from '../lib/events/catalogue.ts';
import { derivedId } from '../lib/events/inbox.ts';
import { LIVE_ENDS } from '../lib/live/ends.ts';
import { createFeedItem, createPerson, signIn, type Person } from './fixtures.ts';
import { readCommittedSupergraph } from '../schema/compose.ts';
import { gatewayClients, TRANSPORTS, type ClientStream, type Transport } from './gateway-clients.ts';
import { NATS_URL, natsTestBuses, natsUnavailable } from './nats.ts';
import { startGraph, type TestGraph } from './graph.ts';

/**
 * Federated subscriptions at the gateway over time and across processes: no upstream subscription
 * outlives its client, a reconnect with a cursor loses and repeats nothing on every transport,
 * several subscriptions of one person share entity fetches, and several gateway and notifications
 * instances each deliver every event once (on the PostgreSQL bus, and on NATS when reachable).
 */

let graph: TestGraph;
let clients: ReturnType<typeof gatewayClients>;
type Who = Person & { token: string };

beforeAll(async () => {
  graph = await startGraph();
  clients = gatewayClients({ http: graph.url, ws: graph.gatewayWsUrl });
});
afterEach(() => clients.disposeAll());
afterAll(() => graph?.stop());

async function citizen(lastName = 'Подписчиков'): Promise<Who> {
  const person = await createPerson(graph, { lastName });
  return { ...person, token: await signIn(graph, person.phone) };
}

/** Adds a feed item the way identity causes one; resolves with its id once the pipeline settled. */
async function addItem(userId: string, title: string): Promise<string> {
  const eventId = randomUUID();
  await graph.bus.publish([newEvent('identity.security-event', { userId, eventId, kind: 'NEW_DEVICE', title, body: `${title}: подробности`, occurredAt: new Date().toISOString() })]);
  await graph.eventsSettled();
  return derivedId('identity.security-event', eventId);
}

async function listening(userId: string, count = 1, live: { streams(userId: string): number } = graph.notificationsLive) {
  await expect.poll(() => live.streams(userId), { timeout: 10_000 }).toBe(count);
}

async function received(stream: ClientStream, count: number) {
  await expect.poll(() => stream.messages.length, { timeout: 10_000 }).toBe(count);
}

const titles = (stream: ClientStream) => stream.messages.map((message) => message.data.notificationAdded.node.title as string);

describe('No subscription outlives its client', () => {
  it('1,000 subscribe/close cycles over every transport leave no upstream subscription, stream or connection behind', async () => {
    const person = await citizen('Непостоянный');
    const query = 'subscription { notificationAdded { node { title appeal { status } } } }';
    const rounds = { unsubscribed: 0, closedConnections: 0 };

    // 800 subscribe/`complete` cycles on one graphql-ws connection, ten at a time: most close at
    // once or within a few milliseconds, racing the upstream subscription; every tenth round waits
    // until all ten are listening at the subgraph.
    const client = createClient({ url: graph.gatewayWsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${person.token}` }, retryAttempts: 0 });
    try {
      for (let round = 0; round < 80; round++) {
        const unsubscribes = Array.from({ length: 10 }, () => client.subscribe({ query }, { next: () => {}, error: () => {}, complete: () => {} }));
        if (round % 10 === 9) await listening(person.id, 10);
        else await sleep(round % 3);
        unsubscribes.forEach((unsubscribe) => unsubscribe());
        rounds.unsubscribed += unsubscribes.length;
      }
    } finally {
      await client.dispose();
    }

    // 200 whole connections closed with their subscription open, five at a time (within the
    // per-person limit): graphql-ws sockets, SSE responses and multipart responses.
    const transports = [...Array(100).fill('graphql-ws'), ...Array(50).fill('sse'), ...Array(50).fill('apollo-multipart')] as const;
    for (let at = 0; at < transports.length; at += 5) {
      const streams = transports.slice(at, at + 5).map((transport) => clients.subscribe(transport, query, { token: person.token }));
      await sleep(at % 10 ? 0 : 20);
      await Promise.all(streams.map((stream) => stream.dispose()));
      rounds.closedConnections += streams.length;
    }

    expect(rounds.unsubscribed + rounds.closedConnections).toBe(1_000);
    await listening(person.id, 0);
    await expect.poll(() => graph.gatewaySubscriptions.stats(), { timeout: 10_000 }).toMatchObject({ connections: 0, streams: 0, upstream: { subscriptions: 0 } });
    // Upstream connections without subscriptions linger a second, then close.
    await expect.poll(() => graph.gatewaySubscriptions.stats().upstream.connections, { timeout: 10_000 }).toBe(0);
  });
});

describe('Reconnecting with a cursor', () => {
  const FEED = 'subscription ($after: String) { notificationAdded(after: $after) { cursor node { id title } } }';
  type Added = { data: { notificationAdded: { cursor: string; node: { id: string } } } };

  it.each(TRANSPORTS)('%s: after a reconnect with the last cursor, exactly the missed items in order, then live ones, none twice', async (transport) => {
    const person = await citizen('Возвращающийся');
    const before = clients.subscribe(transport, FEED, { token: person.token, variables: { after: null } });
    await listening(person.id);
    const one = await addItem(person.id, 'Первое');
    const two = await addItem(person.id, 'Второе');
    await received(before, 2);
    const lastSeen = (before.messages as Added[])[1]!.data.notificationAdded.cursor;

    await before.dispose();
    await listening(person.id, 0);
    const three = await addItem(person.id, 'Третье, пока клиент отключён');
    const four = await addItem(person.id, 'Четвёртое, пока клиент отключён');

    const after = clients.subscribe(transport, FEED, { token: person.token, variables: { after: lastSeen } });
    await received(after, 2);
    const five = await addItem(person.id, 'Пятое, уже вживую');
    await received(after, 3);

    expect((before.messages as Added[]).map(({ data }) => data.notificationAdded.node.id)).toEqual([one, two]);
    expect((after.messages as Added[]).map(({ data }) => data.notificationAdded.node.id)).toEqual([three, four, five]);
    expect([before.errors, after.errors]).toEqual([[], []]);
  });
});

describe('A supergraph change', () => {
  const FEED = 'subscription ($after: String) { notificationAdded(after: $after) { cursor node { id } } }';
  type Added = { data: { notificationAdded: { cursor: string; node: { id: string } } } };
  let update: (supergraphSdl: string) => void;
  let onUpdating: ReturnType<typeof gatewayClients>;
  let revision = 0;

  beforeAll(async () => {
    const gateway = await graph.startGatewayInstance({ supergraphUpdates: (given) => (update = given) });
    onUpdating = gatewayClients({ http: gateway.url, ws: gateway.wsUrl });
  });
  afterEach(() => onUpdating.disposeAll());

  const schemaChanged = { message: LIVE_ENDS.schemaChanged.reason, extensions: { code: 'SCHEMA_CHANGED' } };
  /** How each transport's client hears the end: a close with 1012 on graphql-ws (which its clients retry), a last error on SSE and multipart. */
  const endOf = (transport: Transport, stream: ClientStream) => {
    switch (transport) {
      case 'graphql-ws':
        return expect(stream.errors).toEqual([{ code: 1012, reason: LIVE_ENDS.schemaChanged.reason }]);
      case 'apollo-ws':
        return expect(stream.errors).toEqual([expect.objectContaining({ message: expect.stringContaining(`1012 ${LIVE_ENDS.schemaChanged.reason}`) })]);
      case 'sse':
        return expect([stream.messages.at(-1), stream.errors]).toEqual([{ errors: [schemaChanged] }, []]);
      case 'apollo-multipart':
        return expect(stream.errors).toEqual([expect.objectContaining({ protocolErrors: [schemaChanged] })]);
    }
  };

  // Guards createGatewaySubscriptions's onSchemaLoadOrUpdate (gateway/subscriptions/index.ts): a stream never outlives the supergraph it was planned with.
  it.each(TRANSPORTS)('%s: the stream ends with SCHEMA_CHANGED; resumed with the last cursor, nothing is lost or repeated', async (transport) => {
    const person = await citizen('Пережидающий');
    const before = onUpdating.subscribe(transport, FEED, { token: person.token });
    await listening(person.id);
    const one = await addItem(person.id, 'До обновления схемы');
    await received(before, 1);
    const lastSeen = (before.messages as Added[])[0]!.data.notificationAdded.cursor;

    // The same supergraph, another text: a new composition as far as the gateway can tell.
    update(`${readCommittedSupergraph()}\n# revision ${++revision}\n`);
    await before.done;
    endOf(transport, before);
    await listening(person.id, 0);

    const missed = await addItem(person.id, 'Пока клиент переподключается');
    const after = onUpdating.subscribe(transport, FEED, { token: person.token, variables: { after: lastSeen } });
    await received(after, 1);
    const live = await addItem(person.id, 'После обновления схемы');
    await received(after, 2);
    expect((before.messages as Added[]).filter(({ data }) => data).map(({ data }) => data.notificationAdded.node.id)).toEqual([one]);
    expect((after.messages as Added[]).map(({ data }) => data.notificationAdded.node.id)).toEqual([missed, live]);
    expect(after.errors).toEqual([]);
  });
});

describe('Efficiency', () => {
  it('fetches an event’s entity once for several subscriptions of one person', async () => {
    const person = await citizen('Многовкладочный');
    const query = 'subscription { notificationAdded { node { title appeal { status } } } }';
    const streams = [clients.subscribe('graphql-ws', query, { token: person.token }), clients.subscribe('graphql-ws', query, { token: person.token }), clients.subscribe('sse', query, { token: person.token })];
    await listening(person.id, 3);
    // One person, one token: one upstream connection carries the three subscriptions.
    const before = graph.gatewayFetches.stats().joined;
    await graph.request('mutation ($i: AppealInput!) { submitAppeal(input: $i) { errors { code } } }', {
      token: person.token,
      variables: { i: { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Яма во дворе у третьего подъезда.' } },
    });
    await graph.eventsSettled();
    for (const stream of streams) await received(stream, 1);
    expect(streams.map((stream) => stream.messages[0]!.data.notificationAdded.node.appeal)).toEqual([{ status: 'REGISTERED' }, { status: 'REGISTERED' }, { status: 'REGISTERED' }]);
    // Three executions of the event, one request to appeals.
    expect(graph.gatewayFetches.stats().joined - before).toBe(2);
  });
});

describe('Several gateway instances', () => {
  it('each holds its own upstream connections; every subscriber gets each event once', async () => {
    const instanceB = await graph.startNotificationsInstance();
    const gatewayB = await graph.startGatewayInstance({ subgraphUrls: { ...graph.subgraphUrls, notifications: instanceB.url } });
    const onB = gatewayClients({ http: gatewayB.url, ws: gatewayB.wsUrl });
    try {
      const [xenia, yuri] = [await citizen('Ксенина'), await citizen('Юрьев')];
      const FEED = 'subscription { notificationAdded { node { title } } }';
      const xeniaOnA = clients.subscribe('graphql-ws', FEED, { token: xenia.token });
      const xeniaOnB = onB.subscribe('sse', FEED, { token: xenia.token });
      const yuriOnB = onB.subscribe('apollo-ws', FEED, { token: yuri.token });
      await listening(xenia.id, 1, graph.notificationsLive);
      await listening(xenia.id, 1, instanceB.live);
      await listening(yuri.id, 1, instanceB.live);
      // Gateway A reaches only notifications instance A, gateway B only B.
      expect([graph.notificationsLive.streams(yuri.id), instanceB.live.streams(xenia.id)]).toEqual([0, 1]);

      await addItem(xenia.id, 'Первое Ксении');
      await addItem(yuri.id, 'Первое Юрия');
      await addItem(xenia.id, 'Второе Ксении');
      await received(xeniaOnA, 2);
      await received(xeniaOnB, 2);
      await received(yuriOnB, 1);
      await sleep(200); // nothing more comes
      expect([titles(xeniaOnA), titles(xeniaOnB), titles(yuriOnB)]).toEqual([['Первое Ксении', 'Второе Ксении'], ['Первое Ксении', 'Второе Ксении'], ['Первое Юрия']]);

      // Notifications instance B stops: gateway B's clients are told to reconnect (graphql-ws clients
      // retry 1012; SSE gets the error, then the end); gateway A's are untouched.
      await instanceB.stop();
      await Promise.all([xeniaOnB.done, yuriOnB.done]);
      const lost = { message: LIVE_ENDS.upstreamLost.reason, extensions: { code: 'SERVICE_UNAVAILABLE' } };
      expect(xeniaOnB.messages.at(-1)).toEqual({ errors: [lost] });
      expect(yuriOnB.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('1012') })]);
      expect(xeniaOnA.errors).toEqual([]);
    } finally {
      await onB.disposeAll();
      await gatewayB.stop();
      await instanceB.stop();
    }
  });
});

// The same across processes over NATS JetStream, when a server with JetStream answers.
const natsSkip = await natsUnavailable();

describe.skipIf(natsSkip !== null)(natsSkip ? `Several gateways over the NATS bus (skipped: ${natsSkip})` : `Several gateways over the NATS bus at ${NATS_URL}`, () => {
  const buses = natsTestBuses('gateway');

  it('two gateways over two notifications instances with NATS clients of their own: each subscriber gets the event once', async () => {
    const [busA, busB] = [await buses.start(), await buses.start()];
    const instanceA = await graph.startNotificationsInstance({ bus: busA });
    const instanceB = await graph.startNotificationsInstance({ bus: busB });
    const gatewayA = await graph.startGatewayInstance({ subgraphUrls: { ...graph.subgraphUrls, notifications: instanceA.url } });
    const gatewayB = await graph.startGatewayInstance({ subgraphUrls: { ...graph.subgraphUrls, notifications: instanceB.url } });
    const onA = gatewayClients({ http: gatewayA.url, ws: gatewayA.wsUrl });
    const onB = gatewayClients({ http: gatewayB.url, ws: gatewayB.wsUrl });
    try {
      const person = await citizen('Натсов');
      const FEED = 'subscription { notificationAdded { node { id title } } }';
      const viaA = onA.subscribe('graphql-ws', FEED, { token: person.token });
      const viaB = onB.subscribe('apollo-multipart', FEED, { token: person.token });
      await listening(person.id, 1, instanceA.live);
      await listening(person.id, 1, instanceB.live);

      // The graph's relay publishes to its PostgreSQL bus, so the test plays the relay's part on NATS.
      const item = await createFeedItem(graph, { userId: person.id, category: 'ACCOUNT', title: 'Вход с нового устройства' });
      await busA.publish([newEvent('notifications.item-added', { userId: person.id, itemId: item.id })]);
      await received(viaA, 1);
      await received(viaB, 1);
      await sleep(200);
      const expected = [{ data: { notificationAdded: { node: { id: item.id, title: 'Вход с нового устройства' } } } }];
      expect([viaA.messages, viaB.messages]).toEqual([expected, expected]);
    } finally {
      await onA.disposeAll();
      await onB.disposeAll();
      await gatewayA.stop();
      await gatewayB.stop();
      await instanceA.stop();
      await instanceB.stop();
    }
  });
});
