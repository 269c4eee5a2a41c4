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
    // until all five operations are listening at the subgraph.
    const client = createClient({ url: graph.gatewayWsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${person.token}` }, retryAttempts: 0 });
    try {
      for (let round = 0; round < 80; round++) {
        // Five operations, each subscribed twice: the two share an upstream subscription.
        const unsubscribes = Array.from({ length: 10 }, (_, n) => client.subscribe({ query: query.replace('notificationAdded', `n${n % 5}: notificationAdded`) }, { next: () => {}, error: () => {}, complete: () => {} }));
        if (round % 10 === 9) await listening(person.id, 5);
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
    await expect.poll(() => graph.gatewaySubscriptions.stats(), { timeout: 10_000 }).toMatchObject({ connections: 0, streams: 0, shared: { shared: 0, subscribers: 0 }, upstream: { subscriptions: 0 } });
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

  it('a subscription with a cursor replays what it missed even while an identical one runs', async () => {
    const person = await citizen('Догоняющий');
    const live = clients.subscribe('graphql-ws', FEED, { token: person.token, variables: { after: null } });
    await listening(person.id);
    const one = await addItem(person.id, 'Первое');
    await received(live, 1);
    const cursor = (live.messages as Added[])[0]!.data.notificationAdded.cursor;
    const two = await addItem(person.id, 'Второе');

    const early = clients.subscribe('graphql-ws', FEED, { token: person.token, variables: { after: cursor } });
    await received(early, 1);
    const three = await addItem(person.id, 'Третье');
    await received(early, 2);
    // The same operation and cursor later: its own replay, not the live tail of the one before.
    const late = clients.subscribe('sse', FEED, { token: person.token, variables: { after: cursor } });
    await received(late, 2);
    await listening(person.id, 3);
    const four = await addItem(person.id, 'Четвёртое');
    for (const stream of [live, early, late]) await received(stream, stream === live ? 4 : 3);

    const ids = (stream: ClientStream) => (stream.messages as Added[]).map(({ data }) => data.notificationAdded.node.id);
    expect([ids(live), ids(early), ids(late)]).toEqual([
      [one, two, three, four],
      [two, three, four],
      [two, three, four],
    ]);
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
  const FEED = 'subscription { notificationAdded { node { id title appeal { status } } } }';
  const SUBMIT = 'mutation ($i: AppealInput!) { submitAppeal(input: $i) { errors { code } } }';
  const appealInput = { topicId: 'roads.potholes', regionCode: '50', municipality: 'городской округ Химки', text: 'Яма во дворе у третьего подъезда.' };

  it('identical subscriptions of one person share one upstream subscription and one execution; another person’s never join them', async () => {
    const [anna, boris] = [await citizen('Общая'), await citizen('Отдельный')];
    const annas = [clients.subscribe('graphql-ws', FEED, { token: anna.token }), clients.subscribe('graphql-ws', FEED, { token: anna.token }), clients.subscribe('sse', FEED, { token: anna.token })];
    const boriss = clients.subscribe('graphql-ws', FEED, { token: boris.token });
    // Four streams at the gateway, two upstream: one per person.
    await listening(anna.id, 1);
    await listening(boris.id, 1);
    await expect.poll(() => graph.gatewaySubscriptions.stats(), { timeout: 10_000 }).toMatchObject({ streams: 4, shared: { shared: 2, subscribers: 4 }, upstream: { subscriptions: 2 } });

    const before = graph.gatewayFetches.stats();
    await graph.request(SUBMIT, { token: anna.token, variables: { i: appealInput } });
    await graph.eventsSettled();
    for (const stream of annas) await received(stream, 1);
    // One execution of the event for the three: one request to appeals, none joining it, the same result in each stream.
    const after = graph.gatewayFetches.stats();
    expect({ ran: after.ran - before.ran, joined: after.joined - before.joined }).toEqual({ ran: 1, joined: 0 });
    expect(annas.map((stream) => stream.messages)).toEqual(
      Array(3).fill([{ data: { notificationAdded: { node: { id: expect.any(String), title: expect.stringContaining('зарегистрировано'), appeal: { status: 'REGISTERED' } } } } }]),
    );
    expect(boriss.messages).toEqual([]);

    // One of the three leaves: the others go on, on the same upstream subscription.
    await annas[0]!.dispose();
    await expect.poll(() => graph.gatewaySubscriptions.stats().shared, { timeout: 10_000 }).toEqual({ shared: 2, subscribers: 3 });
    const second = await addItem(anna.id, 'Вход с нового устройства');
    await received(annas[1]!, 2);
    await received(annas[2]!, 2);
    expect([annas[1]!.messages[1]!.data.notificationAdded.node.id, annas[2]!.messages[1]!.data.notificationAdded.node.id]).toEqual([second, second]);
    expect(annas[0]!.messages).toHaveLength(1);

    // Boris's events reach only Boris.
    const his = await addItem(boris.id, 'Вход с нового устройства');
    await received(boriss, 1);
    expect(boriss.messages[0]!.data.notificationAdded.node.id).toBe(his);

    // The last one leaving unsubscribes upstream.
    await Promise.all([annas[1]!.dispose(), annas[2]!.dispose()]);
    await listening(anna.id, 0);
    expect(graph.notificationsLive.streams(boris.id)).toBe(1);
    expect([annas[1]!.messages.length, annas[2]!.messages.length, boriss.messages.length]).toEqual([2, 2, 1]);
  });

  it('fetches an event’s entity once for different subscriptions of one person that select it alike', async () => {
    const person = await citizen('Многовкладочный');
    // Different operations: each its own upstream subscription and execution, the same `_entities` fetch.
    const streams = [
      clients.subscribe('graphql-ws', 'subscription { notificationAdded { node { title appeal { status } } } }', { token: person.token }),
      clients.subscribe('graphql-ws', 'subscription { notificationAdded { node { id appeal { status } } } }', { token: person.token }),
      clients.subscribe('sse', 'subscription { notificationAdded { cursor node { appeal { status } } } }', { token: person.token }),
    ];
    await listening(person.id, 3);
    const before = graph.gatewayFetches.stats().ran;
    await graph.request(SUBMIT, { token: person.token, variables: { i: appealInput } });
    await graph.eventsSettled();
    for (const stream of streams) await received(stream, 1);
    expect(streams.map((stream) => stream.messages[0]!.data.notificationAdded.node.appeal)).toEqual([{ status: 'REGISTERED' }, { status: 'REGISTERED' }, { status: 'REGISTERED' }]);
    // Three executions of the event, one request to appeals.
    expect(graph.gatewayFetches.stats().ran - before).toBe(1);
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
      // Nothing more comes: a last item each arrives next, with nothing between.
      await addItem(xenia.id, 'Последнее Ксении');
      await addItem(yuri.id, 'Последнее Юрия');
      await received(xeniaOnA, 3);
      await received(xeniaOnB, 3);
      await received(yuriOnB, 2);
      expect([titles(xeniaOnA), titles(xeniaOnB), titles(yuriOnB)]).toEqual([
        ['Первое Ксении', 'Второе Ксении', 'Последнее Ксении'],
        ['Первое Ксении', 'Второе Ксении', 'Последнее Ксении'],
        ['Первое Юрия', 'Последнее Юрия'],
      ]);

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
      // A second item is the marker: it arrives next on each stream, with no copy of the first between.
      const publish = async (title: string) => {
        const item = await createFeedItem(graph, { userId: person.id, category: 'ACCOUNT', title });
        await busA.publish([newEvent('notifications.item-added', { userId: person.id, itemId: item.id })]);
        return item;
      };
      const items = [await publish('Вход с нового устройства'), await publish('Вход с другого устройства')];
      await received(viaA, 2);
      await received(viaB, 2);
      const expected = items.map((item) => ({ data: { notificationAdded: { node: { id: item.id, title: item.title } } } }));
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
