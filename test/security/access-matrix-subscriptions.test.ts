import { setTimeout as sleep } from 'node:timers/promises';
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
 * closes with 4401.
 *
 * Which protections were removed by hand to see these rows go red, and which rows did: the
 * access matrix section of docs/security.md.
 */

const world = useWorld();
let clients: ReturnType<typeof gatewayClients> | undefined;
afterEach(() => clients?.disposeAll());

/** Type reached, subscription, and its variables from A's cabinet (`after`: the cursor of A's oldest item). */
const SUBSCRIPTIONS: { type: string; query: string; after?: boolean }[] = [
  { type: 'Notification', query: 'subscription { notificationAdded { node { id title body } } }' },
  { type: 'Notification (replay after A’s cursor)', query: 'subscription ($after: String) { notificationAdded(after: $after) { node { id title body } } }', after: true },
  { type: 'UnreadCounts', query: 'subscription { unreadCountChanged { unreadCount unreadCountByCategory { category count } } }' },
  { type: 'AppealStatusChange', query: 'subscription { appealStatusChanged { cursor from to by appeal { id number status text } } }' },
];
const ATTACKERS: Who[] = ['B', 'otherOfficial'];

/** The official of its authority takes A's appeal into work; returns once `own` has heard and the events have settled. */
async function takeAppealOfA(w: ReturnType<typeof world>, own: ClientStream) {
  const appeal = await w.appealIn('REGISTERED');
  const taken = await w.graph.request('mutation ($i: AppealIdInput!) { takeAppealIntoWork(input: $i) { errors { code } } }', { token: w.tokens.official, variables: { i: { appealId: appeal.id } } });
  expect(taken.body.data.takeAppealIntoWork.errors).toEqual([]);
  await expect.poll(() => own.messages.length, { timeout: 10_000 }).toBeGreaterThan(0);
  await w.settled();
  await sleep(300);
}

describe('Subscriptions through the gateway', () => {
  it.each(SUBSCRIPTIONS)('$type: B and an official of another authority get nothing of A’s, an anonymous caller is closed with 4401; A gets her events', async ({ query, after }) => {
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

    // A's secrets as they are now: the new feed item and the appeal's new status included.
    const secrets = w.secretsOf(await w.cabinet(), query + JSON.stringify(variables));
    const all = (stream: ClientStream) => ({ messages: stream.messages, errors: stream.errors });
    if (!query.includes('unreadCountChanged')) expect(leaksIn(all(own), secrets).length, 'the control reveals nothing').toBeGreaterThan(0);
    for (const { who, stream } of others) {
      expect({ who, leaks: leaksIn(all(stream), secrets), errors: stream.errors }).toEqual({ who, leaks: [], errors: [] });
      // With `after`, the replay brings the caller's own items: B's one, never A's.
      if (!after) expect({ who, messages: stream.messages }).toEqual({ who, messages: [] });
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
    await expect.poll(() => other.messages.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await w.settled();
    await sleep(300);
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
