import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newEvent } from '../lib/events/catalogue.ts';
import { derivedId } from '../lib/events/inbox.ts';
import { LIVE_ENDS } from '../lib/live/ends.ts';
import { addItem as addFeedItem } from '../subgraphs/notifications/domain/feed.ts';
import { startLiveFeed } from '../subgraphs/notifications/live.ts';
import { createFeedItem, createPerson, signIn, type Person } from './fixtures.ts';
import { NATS_URL, natsTestBuses, natsUnavailable } from './nats.ts';
import { startGraph, type TestGraph } from './graph.ts';
import { subscriptionClients } from './ws-client.ts';

/**
 * The notifications subgraph's own WebSocket endpoint (graphql-ws): live items and unread counts,
 * fed by the bus, across instances, with replay on reconnect. Items are made as in production:
 * identity's security event on the bus, turned into a feed item by notifications' consumer
 * (`addItem`), whose `notifications.*` events the relay publishes for the live feeds.
 */

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph?.stop());

const ws = subscriptionClients();
afterEach(() => ws.disposeAll());

/** Adds a feed item for `userId` the way identity causes one; resolves with its id once the pipeline settled. */
async function addItem(userId: string, title: string): Promise<string> {
  const eventId = randomUUID();
  const occurredAt = new Date().toISOString();
  await graph.bus.publish([newEvent('identity.security-event', { userId, eventId, kind: 'NEW_DEVICE', title, body: `${title}: подробности`, occurredAt })]);
  await graph.eventsSettled();
  return derivedId('identity.security-event', eventId);
}

const subscribe = ws.subscribe;

const NOTIFICATION_ADDED = /* GraphQL */ `
  subscription ($after: String) {
    notificationAdded(after: $after) {
      cursor
      node {
        id
        title
        category
        isRead
      }
    }
  }
`;

const UNREAD_COUNT_CHANGED = /* GraphQL */ `
  subscription {
    unreadCountChanged {
      unreadCount
      unreadCountByCategory {
        category
        count
      }
    }
  }
`;

const added = (id: string, title: string) => ({
  data: { notificationAdded: { cursor: expect.any(String), node: { id, title, category: 'ACCOUNT', isRead: false } } },
});

type AddedMessage = { data: { notificationAdded: { cursor: string; node: { id: string } } } };

/** Waits until the live feed of an instance has `count` streams of the person: they are listening. */
async function listening(live: { streams(userId: string): number }, userId: string, count = 1) {
  await expect.poll(() => live.streams(userId), { timeout: 5_000 }).toBe(count);
}

async function received(stream: { messages: unknown[] }, count: number) {
  await expect.poll(() => stream.messages.length, { timeout: 10_000 }).toBe(count);
}

describe('notificationAdded: the caller’s new items, live', () => {
  let alice: Person;
  let bob: Person;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    [alice, bob] = [await createPerson(graph, { lastName: 'Алисова' }), await createPerson(graph, { lastName: 'Бобров' })];
    [aliceToken, bobToken] = [await signIn(graph, alice.phone), await signIn(graph, bob.phone)];
  });

  it('sends each person their own new items with their feed cursors, and never another person’s', async () => {
    const aliceStream = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { token: aliceToken });
    const bobStream = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { token: bobToken });
    await listening(graph.notificationsLive, alice.id);
    await listening(graph.notificationsLive, bob.id);

    const first = await addItem(alice.id, 'Вход с нового устройства');
    const bobs = await addItem(bob.id, 'Пароль изменён');
    const second = await addItem(alice.id, 'Сессия завершена');
    await received(aliceStream, 2);
    await received(bobStream, 1);

    expect(aliceStream.messages).toEqual([added(first, 'Вход с нового устройства'), added(second, 'Сессия завершена')]);
    expect(bobStream.messages).toEqual([added(bobs, 'Пароль изменён')]);
    expect([aliceStream.errors, bobStream.errors]).toEqual([[], []]);

    // Each cursor is the item's cursor in the feed, so a client can page or resume from it.
    const { body } = await graph.request('{ me { notifications(first: 10) { edges { cursor node { id } } } } }', { token: aliceToken });
    const feed = Object.fromEntries(body.data.me.notifications.edges.map((edge: { cursor: string; node: { id: string } }) => [edge.node.id, edge.cursor]));
    expect((aliceStream.messages as AddedMessage[]).map(({ data }) => data.notificationAdded.cursor)).toEqual([feed[first], feed[second]]);
  });

  it('reaches a subscriber on another instance of the subgraph (its own bus client and consumer)', async () => {
    const instanceB = await graph.startNotificationsInstance();
    const onA = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { token: aliceToken });
    const onB = subscribe(instanceB.wsUrl, NOTIFICATION_ADDED, { token: aliceToken });
    await listening(graph.notificationsLive, alice.id);
    await listening(instanceB.live, alice.id);

    const id = await addItem(alice.id, 'Вход через Госключ');
    await received(onA, 1);
    await received(onB, 1);

    expect([onA.messages, onB.messages]).toEqual([[added(id, 'Вход через Госключ')], [added(id, 'Вход через Госключ')]]);
    // Each instance reads the bus under a consumer name of its own, removed when it stops.
    const consumer = instanceB.live.consumer;
    expect((await graph.bus.consumers()).map((state) => state.name)).toContain(consumer);
    await onB.dispose();
    await instanceB.stop();
    expect((await graph.bus.consumers()).map((state) => state.name)).not.toContain(consumer);
  });

  it('closes open subscriptions with 1001 when an instance stops, so clients reconnect elsewhere', async () => {
    const instance = await graph.startNotificationsInstance();
    const stream = subscribe(instance.wsUrl, NOTIFICATION_ADDED, { token: aliceToken });
    await listening(instance.live, alice.id);
    await instance.stop();
    await stream.done;
    expect([stream.messages, stream.errors]).toEqual([[], [{ code: 1001, reason: 'Going away' }]]);
  });

  it('after a reconnect with the cursor of the last item seen, sends exactly the missed items in order, then live ones, none twice', async () => {
    const carol = await createPerson(graph, { lastName: 'Карпова' });
    const token = await signIn(graph, carol.phone);
    const before = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { token });
    await listening(graph.notificationsLive, carol.id);
    const one = await addItem(carol.id, 'Первое');
    const two = await addItem(carol.id, 'Второе');
    await received(before, 2);
    expect(before.messages).toEqual([added(one, 'Первое'), added(two, 'Второе')]);
    const lastSeen = (before.messages as AddedMessage[])[1]!.data.notificationAdded.cursor;

    await before.dispose();
    await listening(graph.notificationsLive, carol.id, 0);
    const three = await addItem(carol.id, 'Третье, пока клиент отключён');
    const four = await addItem(carol.id, 'Четвёртое, пока клиент отключён');

    const after = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { token, variables: { after: lastSeen } });
    await received(after, 2);
    // A late `item-added` for an item the replay already sent (a relay publishing late, or again)
    // is not sent a second time; the next new item is.
    await graph.bus.publish([newEvent('notifications.item-added', { userId: carol.id, itemId: three })]);
    const five = await addItem(carol.id, 'Пятое, уже вживую');
    await received(after, 3);

    expect(after.messages).toEqual([added(three, 'Третье, пока клиент отключён'), added(four, 'Четвёртое, пока клиент отключён'), added(five, 'Пятое, уже вживую')]);
    expect(after.errors).toEqual([]);
  });

  it('refuses a cursor that is not a feed cursor', async () => {
    const stream = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { token: aliceToken, variables: { after: 'не курсор' } });
    await stream.done;
    expect(stream.messages).toEqual([{ errors: [expect.objectContaining({ message: 'Некорректный курсор: возьмите его из pageInfo предыдущей страницы.', extensions: { code: 'BAD_USER_INPUT' } })] }]);
  });
});

describe('unreadCountChanged', () => {
  it('sends the new unread counts when an item is added and when it is read', async () => {
    const person = await createPerson(graph, { lastName: 'Счётов' });
    const token = await signIn(graph, person.phone);
    const stream = subscribe(graph.notificationsWsUrl, UNREAD_COUNT_CHANGED, { token });
    await listening(graph.notificationsLive, person.id);

    const id = await addItem(person.id, 'Вход с нового устройства');
    await received(stream, 1);
    const { body } = await graph.request('mutation ($ids: [ID!]!) { markNotificationsRead(input: { ids: $ids }) { updatedCount } }', { token, variables: { ids: [id] } });
    expect(body).toEqual({ data: { markNotificationsRead: { updatedCount: 1 } } });
    await graph.eventsSettled();
    await received(stream, 2);

    expect(stream.messages).toEqual([
      { data: { unreadCountChanged: { unreadCount: 1, unreadCountByCategory: [{ category: 'ACCOUNT', count: 1 }] } } },
      { data: { unreadCountChanged: { unreadCount: 0, unreadCountByCategory: [] } } },
    ]);
  });
});

describe('What the live feed costs', () => {
  /** Adds items in one transaction (`addItem`, as a consumer would): their events reach the outbox, the bus and the live feed together. Resolves with their ids. */
  const addTogether = (userId: string, titles: string[]) =>
    graph.databases.notifications.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const title of titles) ids.push((await addFeedItem(tx, { userId, category: 'ACCOUNT', kind: 'SECURITY', title, body: title })).item.id);
      return ids;
    });

  it('reads the items of events that arrive together in one query, and their person’s counts in another, and sends them in order', async () => {
    const person = await createPerson(graph, { lastName: 'Пачкин' });
    const token = await signIn(graph, person.phone);
    const items = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { token });
    const counts = subscribe(graph.notificationsWsUrl, UNREAD_COUNT_CHANGED, { token });
    await listening(graph.notificationsLive, person.id, 2);
    await graph.eventsSettled();
    const statements = graph.statements.notifications;
    statements.length = 0;

    // Five items, ten events, together.
    const titles = ['Первое', 'Второе', 'Третье', 'Четвёртое', 'Пятое'];
    const ids = await addTogether(person.id, titles);
    await received(items, 5);
    await received(counts, 1);
    await graph.eventsSettled();

    expect(items.messages).toEqual(ids.map((id, n) => added(id, titles[n]!)));
    expect(counts.messages).toHaveLength(1);
    const reads = statements.filter((statement) => /^\s*select/i.test(statement));
    // One statement text for any number of ids (`= any($1::uuid[])`), not an `in (…)` list of each length.
    expect(reads.filter((statement) => statement.includes('"notifications"."items"'))).toEqual([expect.stringContaining('"items"."id" = any($1::uuid[])')]);
    expect(reads.filter((statement) => statement.includes('"notifications"."feed_counts"'))).toHaveLength(1);
  });

  it('reads a batch again after a failed read, so nothing is lost or sent out of order', async () => {
    const { db } = graph.databases.notifications;
    let failures = 1;
    // The live feed's connection fails its next read once, as a lost connection would.
    const failing = new Proxy(db, {
      get: (target, key, receiver) =>
        key === 'select' && failures-- > 0
          ? () => {
              throw new Error('connection lost');
            }
          : Reflect.get(target, key, receiver),
    });
    const feed = await startLiveFeed({ bus: graph.bus, database: { ...graph.databases.notifications, db: failing } });
    try {
      const userId = randomUUID();
      const stream = feed.items(userId, null, { end: () => {} });
      const ids = await addTogether(userId, ['Раз', 'Два', 'Три']);
      const sent: string[] = [];
      for (const _ of ids) sent.push(((await stream.next()).value as { id: string }).id);
      expect(failures).toBe(-1); // failed once, then read
      expect(sent).toEqual(ids);
    } finally {
      await feed.stop();
    }
  });
});

describe('Authentication at connection', () => {
  it('closes a connection without a token with 4401 and the reason', async () => {
    const stream = subscribe(graph.notificationsWsUrl, UNREAD_COUNT_CHANGED);
    await stream.done;
    expect([stream.messages, stream.errors]).toEqual([[], [{ code: 4401, reason: LIVE_ENDS.noToken.reason }]]);
  });

  it('closes a connection with a bad token with 4401 and the reason', async () => {
    const stream = subscribe(graph.notificationsWsUrl, UNREAD_COUNT_CHANGED, { token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl' });
    await stream.done;
    expect([stream.messages, stream.errors]).toEqual([[], [{ code: 4401, reason: 'Токен доступа недействителен. Войдите снова.' }]]);
  });

  it('takes the token from the Authorization header of the upgrade request too', async () => {
    const person = await createPerson(graph, { lastName: 'Заголовков' });
    const token = await signIn(graph, person.phone);
    const stream = subscribe(graph.notificationsWsUrl, NOTIFICATION_ADDED, { headers: { authorization: `Bearer ${token}` } });
    await listening(graph.notificationsLive, person.id);
    const id = await addItem(person.id, 'Вход с нового устройства');
    await received(stream, 1);
    expect(stream.messages).toEqual([added(id, 'Вход с нового устройства')]);
  });

  it('takes only subscriptions over WebSocket: queries and mutations go over HTTP', async () => {
    const person = await createPerson(graph, { lastName: 'Запросов' });
    const stream = subscribe(graph.notificationsWsUrl, '{ notification(id: "00000000-0000-4000-8000-000000000000") { id } }', { token: await signIn(graph, person.phone) });
    await stream.done;
    expect([stream.messages, stream.errors]).toEqual([[], [[expect.objectContaining({ message: 'По WebSocket принимаются только подписки: запросы и изменения отправляйте по HTTP (POST).' })]]]);
  });
});

// The same cross-instance path over NATS JetStream, when a server with JetStream answers.
const natsSkip = await natsUnavailable();

describe.skipIf(natsSkip !== null)(natsSkip ? `Live feed over the NATS bus (skipped: ${natsSkip})` : `Live feed over the NATS bus at ${NATS_URL}`, () => {
  const buses = natsTestBuses('live');

  it('an item published through one NATS client reaches a subscriber on an instance with another', async () => {
    const [busA, busB] = [await buses.start(), await buses.start()];
    const instanceB = await graph.startNotificationsInstance({ bus: busB });
    const person = await createPerson(graph, { lastName: 'Натсов' });
    const onB = subscribe(instanceB.wsUrl, NOTIFICATION_ADDED, { token: await signIn(graph, person.phone) });
    await listening(instanceB.live, person.id);

    // The graph's relay publishes to its PostgreSQL bus, so the test plays the relay's part on NATS:
    // the item is in the shared database, its `notifications.item-added` goes out through client A.
    const item = await createFeedItem(graph, { userId: person.id, category: 'ACCOUNT', title: 'Вход с нового устройства' });
    await busA.publish([newEvent('notifications.item-added', { userId: person.id, itemId: item.id })]);
    await received(onB, 1);

    expect(onB.messages).toEqual([added(item.id, 'Вход с нового устройства')]);
    await onB.dispose();
    await instanceB.stop();
  });
});
