import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { createAppeal, createAuthority, createFeedItem, createPerson, signIn, type Person } from './fixtures.ts';
import { graphql, startGraph, type GraphQLResponse, type TestGraph } from './graph.ts';
import { recordingProxy, type RecordingProxy as Proxy, type Seen } from './recording-proxy.ts';

/**
 * The gateway collapses what @apollo/gateway would send twice (gateway/fetch-dedup.ts,
 * docs/gateway.md): repeated `_entities` representations, and identical queries of one caller in
 * flight at once. Here a second gateway reaches the subgraphs through recording proxies, which can
 * also hold requests, so "in flight at the same moment" is arranged, not hoped for.
 */

/** Waits for `condition`, polling; fails with `what` if it does not come (a wait, not a timed assertion). */
async function until(condition: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting: ${typeof what === 'string' ? what : what()}`);
    await sleep(5);
  }
}

let graph: TestGraph;
let gatewayUrl: string;
let fetches: { stats(): { sent: number; joined: number } };
let proxies: Record<SubgraphName, Proxy>;
let citizen: Person;
let citizenToken: string;
let otherToken: string;
const appealIds: { first: string; second: string; foreign: string } = { first: '', second: '', foreign: '' };

beforeAll(async () => {
  graph = await startGraph();
  citizen = await createPerson(graph, { lastName: 'Повторов' });
  const other = await createPerson(graph, { lastName: 'Другов' });
  const authority = await createAuthority(graph);
  appealIds.first = (await createAppeal(graph, { authorId: citizen.id, ...authority, status: 'REGISTERED' })).id;
  appealIds.second = (await createAppeal(graph, { authorId: citizen.id, ...authority, status: 'IN_WORK' })).id;
  appealIds.foreign = (await createAppeal(graph, { authorId: other.id, ...authority })).id;
  // The feed, newest first: the same appeals again and again, and one of someone else's (refused).
  const feed = [appealIds.first, appealIds.second, appealIds.first, appealIds.foreign, appealIds.first, null, appealIds.foreign, appealIds.second];
  for (const [n, appealId] of feed.entries()) {
    await createFeedItem(graph, { userId: citizen.id, category: 'APPEAL', title: `Событие ${n}`, appealId, createdAt: new Date(Date.UTC(2026, 0, 31 - n)) });
  }
  citizenToken = await signIn(graph, citizen.email);
  otherToken = await signIn(graph, other.email);
  proxies = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await recordingProxy(graph.subgraphUrls[name])]))) as Record<SubgraphName, Proxy>;
  const gateway = await graph.startGatewayInstance({ subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].url])) as Record<SubgraphName, string> });
  gatewayUrl = gateway.url;
  fetches = gateway.fetches;
});

afterAll(async () => {
  for (const proxy of Object.values(proxies ?? {})) proxy.release({ stopHolding: true });
  await graph?.stop();
  await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
});

/** What each proxy sees while `run` runs. */
async function seenDuring(run: () => Promise<unknown>): Promise<Record<SubgraphName, Seen[]>> {
  const before = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].seen.length]));
  await run();
  return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].seen.slice(before[name])])) as Record<SubgraphName, Seen[]>;
}

const FEED = '{ me { notifications(first: 10) { edges { node { title appeal { id status authority { kind } } } } } } }';

describe('Duplicate representations', () => {
  it('sends each distinct appeal of a feed page to appeals once and answers as if every one had been sent', async () => {
    let response!: GraphQLResponse;
    const seen = await seenDuring(async () => (response = await graphql(gatewayUrl, FEED, { token: citizenToken })));

    const entityFetches = seen.appeals.filter(({ query }) => query.includes('_entities'));
    expect(entityFetches.map(({ variables }) => variables?.representations)).toEqual([[appealIds.first, appealIds.second, appealIds.foreign].map((id) => ({ __typename: 'Appeal', id }))]);
    const appeal = (id: string, status: string) => ({ id, status, authority: { kind: 'REGIONAL_EXECUTIVE' } });
    const first = appeal(appealIds.first, 'REGISTERED');
    const second = appeal(appealIds.second, 'IN_WORK');
    expect(response.body.data).toEqual({
      me: {
        notifications: {
          edges: [first, second, first, null, first, null, null, second].map((item, n) => ({ node: { title: `Событие ${n}`, appeal: item } })),
        },
      },
    });
    // The refusal of someone else's appeal stands at each place it was referenced, as without collapsing.
    expect(response.body.errors?.map(({ message, path, extensions }) => ({ message, path, code: extensions?.code }))).toEqual(
      [3, 6].map((n) => ({ message: 'Это обращение вам недоступно.', path: ['me', 'notifications', 'edges', n, 'node', 'appeal'], code: 'FORBIDDEN' })),
    );
  });
});

/** The cabinet's home screen: all four subgraphs, entity fetches among them. */
const DASHBOARD = `{ me { id level profile { lastName } documents { type }
  notifications(first: 10) { totalCount edges { node { title appeal { status authority { kind } } } } }
  appeals { edges { node { id status } } } } }`;

/**
 * Sends `count` copies of `query` at once and lets each request reach its subgraph only when every
 * identical one is waiting for it: a request held at a proxy is in flight, and is released once
 * `count - 1` others have joined each request seen so far. A gateway that sends them separately
 * never gets there.
 */
async function concurrently(count: number, query: string, token: string): Promise<GraphQLResponse[]> {
  const before = { joined: fetches.stats().joined, seen: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].seen.length])) };
  const seenSince = () => SUBGRAPH_NAMES.reduce((sum, name) => sum + proxies[name].seen.length - before.seen[name]!, 0);
  const heldNow = () => SUBGRAPH_NAMES.reduce((sum, name) => sum + proxies[name].held(), 0);
  for (const proxy of Object.values(proxies)) proxy.hold();
  let done = false;
  const responses = Promise.all(Array.from({ length: count }, () => graphql(gatewayUrl, query, { token }))).finally(() => (done = true));
  try {
    while (!done) {
      await until(
        () => done || (heldNow() > 0 && fetches.stats().joined - before.joined === (count - 1) * seenSince()),
        () => `${count - 1} identical requests joining each of the ${seenSince()} sent`,
      );
      for (const proxy of Object.values(proxies)) proxy.release();
    }
  } finally {
    for (const proxy of Object.values(proxies)) proxy.release({ stopHolding: true });
  }
  return responses;
}

/** Sends the requests and holds them at `proxy` until each one has arrived there: all in flight at once. */
async function allAtOnce(proxy: Proxy, requests: (() => Promise<GraphQLResponse>)[]): Promise<GraphQLResponse[]> {
  proxy.hold();
  try {
    const answers = Promise.all(requests.map((request) => request()));
    await until(() => proxy.held() === requests.length, `${requests.length} requests held at the proxy`);
    proxy.release({ stopHolding: true });
    return await answers;
  } finally {
    proxy.release({ stopHolding: true });
  }
}

describe('Identical fetches in flight', () => {
  it('sends concurrent identical dashboards of one person to each subgraph once', async () => {
    let alone!: GraphQLResponse;
    const single = await seenDuring(async () => (alone = await graphql(gatewayUrl, DASHBOARD, { token: citizenToken })));
    let responses!: GraphQLResponse[];
    const joinedBefore = fetches.stats().joined;
    const together = await seenDuring(async () => (responses = await concurrently(4, DASHBOARD, citizenToken)));

    expect(alone.body.data.me.profile).toEqual({ lastName: 'Повторов' });
    expect(responses).toEqual([alone, alone, alone, alone]);
    // Every subgraph request of one dashboard, once for the four.
    const requests = (seen: Record<SubgraphName, Seen[]>) => Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, seen[name].map(({ query, variables }) => ({ query, variables }))]));
    expect(requests(together)).toEqual(requests(single));
    const sent = Object.values(single).flat().length;
    expect(sent).toBeGreaterThanOrEqual(4);
    expect(fetches.stats().joined - joinedBefore).toBe(3 * sent);
  });

  it('never shares a fetch between two people, even with the same query at the same moment', async () => {
    const query = '{ me { id profile { lastName } } }';
    const joinedBefore = fetches.stats().joined;
    let answers!: GraphQLResponse[];
    const seen = await seenDuring(
      async () =>
        (answers = await allAtOnce(
          proxies.identity,
          [citizenToken, otherToken].map((token) => () => graphql(gatewayUrl, query, { token })),
        )),
    );
    expect(answers.map(({ body }) => body.data.me.profile)).toEqual([{ lastName: 'Повторов' }, { lastName: 'Другов' }]);
    expect(seen.identity.map(({ authorization }) => authorization).sort()).toEqual([`Bearer ${citizenToken}`, `Bearer ${otherToken}`].sort());
    expect(seen.profile).toHaveLength(2);
    expect(fetches.stats().joined - joinedBefore).toBe(0);
  });

  it('never shares a mutation: two identical ones at the same moment both run', async () => {
    const mutation = 'mutation { markAllNotificationsRead { updatedCount errors { code } } }';
    const joinedBefore = fetches.stats().joined;
    let answers!: GraphQLResponse[];
    const seen = await seenDuring(
      async () =>
        (answers = await allAtOnce(
          proxies.notifications,
          [1, 2].map(() => () => graphql(gatewayUrl, mutation, { token: citizenToken })),
        )),
    );
    expect(answers.map(({ body }) => body.errors)).toEqual([undefined, undefined]);
    expect(seen.notifications.map(({ query }) => query)).toEqual([expect.stringMatching(/^mutation/), expect.stringMatching(/^mutation/)]);
    expect(fetches.stats().joined - joinedBefore).toBe(0);
  });
});
