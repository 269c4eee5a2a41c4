import { afterEach, describe, expect, it } from 'vitest';
import { gatewayClients, type ClientStream } from '../gateway-clients.ts';
import { createAppeal } from '../fixtures.ts';
import { leaksIn, useWorld, type Who } from './access-matrix.ts';

/**
 * The access matrix, subscriptions through the gateway (graphql-ws): while A subscribes to her
 * feed, her unread count and her appeals' statuses, B, an official of another authority and an
 * anonymous caller subscribe to the same; an official of A's authority takes A's appeal into work,
 * which changes its status and adds an item to A's feed. A gets every event (the control); the
 * others, subscribed and listening upstream, get none of A's data; without a token the connection
 * closes with 4401. That nothing more is on its way is shown by a later event each must get: their
 * own appeal taken into work after A's, whose events come after A's on the one bus each stream reads
 * in order.
 *
 * Which protections were removed by hand to see these rows go red, and which rows did: the
 * access matrix section of docs/security.md.
 */

const world = useWorld();
let clients: ReturnType<typeof gatewayClients> | undefined;
afterEach(() => clients?.disposeAll());

/** What a subscriber's own appeal taken into work brings it: the appeal, and the unread counts it leaves them with. */
interface OwnChange {
  appealId: string;
  number: string;
  unreadCounts: unknown;
}
type Message = ClientStream['messages'][number];

/**
 * Type reached, subscription, and its variables from A's cabinet (`after`: the cursor of A's oldest
 * item); `isOwn`: the message is the subscriber's own change, not A's.
 */
const SUBSCRIPTIONS: { type: string; query: string; after?: boolean; isOwn: (message: Message, own: OwnChange) => boolean }[] = [
  { type: 'Notification', query: 'subscription { notificationAdded { node { id title body } } }', isOwn: (m, own) => String(m.data?.notificationAdded?.node?.title).includes(own.number) },
  {
    type: 'Notification (replay after A’s cursor)',
    query: 'subscription ($after: String) { notificationAdded(after: $after) { node { id title body } } }',
    after: true,
    isOwn: (m, own) => String(m.data?.notificationAdded?.node?.title).includes(own.number),
  },
  {
    type: 'UnreadCounts',
    query: 'subscription { unreadCountChanged { unreadCount unreadCountByCategory { category count } } }',
    isOwn: (m, own) => JSON.stringify(m.data?.unreadCountChanged) === JSON.stringify(own.unreadCounts),
  },
  { type: 'AppealStatusChange', query: 'subscription { appealStatusChanged { cursor from to by appeal { id number status text } } }', isOwn: (m, own) => m.data?.appealStatusChanged?.appeal?.id === own.appealId },
];
const ATTACKERS: Who[] = ['B', 'otherOfficial'];
const TAKE_INTO_WORK = 'mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { errors { code } } }';

/** The official of its authority takes A's appeal into work; returns once `own` has heard and the events have settled. */
async function takeAppealOfA(w: ReturnType<typeof world>, own: ClientStream) {
  const appeal = await w.appealIn('REGISTERED');
  const taken = await w.graph.request(TAKE_INTO_WORK, { token: w.tokens.official, variables: { i: { appealId: appeal.id } } });
  expect(taken.body.data.takeAppealIntoWork.errors).toEqual([]);
  await expect.poll(() => own.messages.length, { timeout: 10_000 }).toBeGreaterThan(0);
  await w.settled();
}

/**
 * A registered appeal of `who`'s own, taken into work (after A's) by the other authority's official
 * (an authority other than A's, so that its texts are not A's); with the unread counts `who` is left with.
 */
async function takeOwnAppealOf(w: ReturnType<typeof world>, who: Who): Promise<OwnChange> {
  const appeal = await createAppeal(w.graph, { authorId: w.people[who].id, authorityId: w.otherAuthorityId, topicId: 'roads.potholes', status: 'REGISTERED', registeredAt: new Date() });
  const taken = await w.graph.request(TAKE_INTO_WORK, { token: w.tokens.otherOfficial, variables: { i: { appealId: appeal.id } } });
  expect(taken.body.data.takeAppealIntoWork.errors).toEqual([]);
  await w.settled();
  const counts = await w.graph.request('{ me { notifications(first: 1) { unreadCount unreadCountByCategory { category count } } } }', { token: w.tokens[who] });
  const { unreadCount, unreadCountByCategory } = counts.body.data.me.notifications;
  return { appealId: appeal.id, number: String(appeal.number), unreadCounts: { unreadCount, unreadCountByCategory } };
}

describe('Subscriptions through the gateway', () => {
  it.each(SUBSCRIPTIONS)('$type: B and an official of another authority get nothing of A’s, an anonymous caller is closed with 4401; A gets her events', async ({ query, after, isOwn }) => {
    const w = world();
    await w.ensure();
    clients = gatewayClients({ http: w.graph.url, ws: w.graph.gatewayWsUrl });
    const cabinet = await w.cabinet();
    const variables = after ? { after: cabinet.notifications.edges.at(-1)!.cursor } : {};
    const subscribe = (who: Who | undefined) => clients!.subscribe('graphql-ws', query, { variables, ...(who ? { token: w.tokens[who] } : {}) });
    const own = subscribe('A');
    const others = ATTACKERS.map((who) => ({ who, stream: subscribe(who) }));
    const anonymous = subscribe(undefined);

    // Every subscription is live upstream before anything happens, the attackers' included.
    const live = query.includes('appealStatusChanged') ? w.graph.appealsLive : w.graph.notificationsLive;
    for (const who of ['A', ...ATTACKERS] as Who[]) await expect.poll(() => live.streams(w.people[who].id), { timeout: 5_000 }).toBe(1);

    await takeAppealOfA(w, own);
    // Then each attacker's own change: once it has arrived, A's (sent before it) would have too.
    const changes = new Map<Who, OwnChange>();
    for (const { who, stream } of others) {
      const change = await takeOwnAppealOf(w, who);
      await expect.poll(() => stream.messages.some((message) => isOwn(message, change)), { timeout: 10_000 }).toBe(true);
      changes.set(who, change);
    }

    // A's secrets as they are now: the new feed item and the appeal's new status included.
    const secrets = w.secretsOf(await w.cabinet(), query + JSON.stringify(variables));
    const all = (stream: ClientStream) => ({ messages: stream.messages, errors: stream.errors });
    if (!query.includes('unreadCountChanged')) expect(leaksIn(all(own), secrets).length, 'the control reveals nothing').toBeGreaterThan(0);
    for (const { who, stream } of others) {
      expect({ who, leaks: leaksIn(all(stream), secrets), errors: stream.errors }).toEqual({ who, leaks: [], errors: [] });
      // Only the caller's own change; with `after`, the replay brings the caller's own older items too, never A's.
      if (!after) expect({ who, notOwn: stream.messages.filter((message) => !isOwn(message, changes.get(who)!)) }).toEqual({ who, notOwn: [] });
    }
    await anonymous.done;
    expect(anonymous).toMatchObject({ messages: [], errors: [{ code: 4401 }] });
  });

  // Guards subgraphs/appeals/db/timeline.ts timelineChangesAfter, the authority condition of a queue's
  // scope (seen red with it taken out: the other official, woken by a change of their own queue, read
  // A's change too); B is refused by @requiresScopes at the gateway (gateway/authorization.ts).
  it('authorityQueueChanged: the official of A’s appeal’s authority gets its change; an official of another authority only their own queue’s, B is refused, anonymous 4401', async () => {
    const w = world();
    await w.ensure();
    clients = gatewayClients({ http: w.graph.url, ws: w.graph.gatewayWsUrl });
    const query = 'subscription { authorityQueueChanged { cursor kind from to appeal { id number text } } }';
    const subscribe = (who: Who | undefined) => clients!.subscribe('graphql-ws', query, who ? { token: w.tokens[who] } : {});
    const own = subscribe('official');
    const other = subscribe('otherOfficial');
    const citizen = subscribe('B');
    const anonymous = subscribe(undefined);
    for (const who of ['official', 'otherOfficial'] as Who[]) await expect.poll(() => w.graph.appealsLive.streams(w.people[who].id), { timeout: 5_000 }).toBe(1);
    await citizen.done;

    await takeAppealOfA(w, own);
    // A change in the other official's own queue wakes their stream: it reads that one, none of A's.
    const theirs = await createAppeal(w.graph, { authorId: w.people.B.id, authorityId: w.otherAuthorityId, topicId: 'roads.potholes', registeredAt: new Date() });
    const taken = await w.graph.request('mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { errors { code } } }', { token: w.tokens.otherOfficial, variables: { i: { appealId: theirs.id } } });
    expect(taken.body.data.takeAppealIntoWork.errors).toEqual([]);
    // Their change came after A's: had A's reached their stream, it would be there before it.
    await expect.poll(() => other.messages.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const secrets = w.secretsOf(await w.cabinet(), query);
    const all = (stream: ClientStream) => ({ messages: stream.messages, errors: stream.errors });
    expect(leaksIn(all(own), secrets).length, 'the control reveals nothing').toBeGreaterThan(0);
    expect({ leaks: leaksIn(all(other), secrets), errors: other.errors }).toEqual({ leaks: [], errors: [] });
    expect(other.messages.map((message) => message.data?.authorityQueueChanged.appeal?.id)).toEqual([theirs.id]);
    expect(leaksIn(all(citizen), secrets)).toEqual([]);
    expect(JSON.stringify(all(citizen))).toContain('"code":"FORBIDDEN"');
    await anonymous.done;
    expect(anonymous).toMatchObject({ messages: [], errors: [{ code: 4401 }] });
  });
});
