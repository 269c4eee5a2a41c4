import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { createMemoryRateLimitStore, createRateLimiter } from '../lib/rate-limit.ts';
import type { InFlightStats } from '../gateway/in-flight.ts';
import { createPerson, signIn, type Person } from './fixtures.ts';
import { graphql, startGraph, type GraphQLResponse, type TestGraph } from './graph.ts';
import { tally } from './parallel-requests.ts';
import { allAtOnce, recordingProxies, until, type Seen } from './recording-proxy.ts';

/**
 * Identical operations in flight run once (gateway/operation-dedup.ts, docs/gateway.md): a query
 * of the same caller identical to one executing waits for its result, after every check of its
 * own. The gateways here reach the subgraphs through recording proxies that hold requests, so the
 * one executing is kept in flight until the others have joined it — or have been seen not to.
 */

interface Gateway {
  url: string;
  fetches: { stats(): InFlightStats };
  operations: { stats(): InFlightStats };
}

let graph: TestGraph;
let upstream: Awaited<ReturnType<typeof recordingProxies>>;
let gateway: Gateway;
let citizen: Person;
let citizenToken: string;
let operator: Person;
let operatorToken: string;

beforeAll(async () => {
  graph = await startGraph();
  citizen = await createPerson(graph, { lastName: 'Одновременов' });
  operator = await createPerson(graph, { lastName: 'Операторов', roles: ['OPERATOR'] });
  citizenToken = await signIn(graph, citizen.email);
  operatorToken = await signIn(graph, operator.email);
  upstream = await recordingProxies(graph.subgraphUrls);
  gateway = await graph.startGatewayInstance({ subgraphUrls: upstream.urls });
});

afterAll(async () => {
  upstream?.release({ stopHolding: true });
  await graph?.stop();
  await upstream?.close();
});

/** How `stats` moved while `run` ran. */
async function countedDuring<T>(stats: () => InFlightStats, run: () => Promise<T>): Promise<[T, InFlightStats]> {
  const before = stats();
  const result = await run();
  const after = stats();
  return [result, { ran: after.ran - before.ran, joined: after.joined - before.joined }];
}

/**
 * Sends the requests at once with every subgraph request held until `ready()`: the first one is
 * then still in flight while the others arrive, and either join it or reach the subgraphs themselves.
 */
async function heldUntil(ready: () => boolean, what: () => string, requests: (() => Promise<GraphQLResponse>)[]): Promise<GraphQLResponse[]> {
  upstream.hold();
  try {
    const answers = Promise.all(requests.map((request) => request()));
    await until(ready, what);
    upstream.release({ stopHolding: true });
    return await answers;
  } finally {
    upstream.release({ stopHolding: true });
  }
}

/** The cabinet's home screen, and a field a citizen may not have (an operator's search): refused at its path. */
const DASHBOARD = `query Dashboard($first: Int!) { me { id level profile { lastName } documents { type }
  notifications(first: $first) { totalCount edges { node { title } } }
  appeals { edges { node { id status } } } }
  findAccount(login: "+79990000000") { id } }`;

const subgraphRequests = (seen: Record<SubgraphName, Seen[]>) => Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, seen[name].map(({ query, variables, authorization }) => ({ query, variables, authorization }))]));

describe('Identical operations in flight', () => {
  it('executes identical queries of one person at once a single time: each gets the whole answer, the refusal included', async () => {
    const ask = () => graphql(gateway.url, DASHBOARD, { token: citizenToken, variables: { first: 5 } });
    let alone!: GraphQLResponse;
    const single = await upstream.seenDuring(async () => (alone = await ask()));
    expect(alone.body.data.me.profile).toEqual({ lastName: 'Одновременов' });
    expect(alone.body.data.findAccount).toBeNull();
    expect(alone.body.errors?.map(({ path, extensions }) => ({ path, code: extensions?.code }))).toEqual([{ path: ['findAccount'], code: 'FORBIDDEN' }]);

    const joinedBefore = gateway.operations.stats().joined;
    const fetchesJoinedBefore = gateway.fetches.stats().joined;
    let answers!: GraphQLResponse[];
    const [together, counted] = await countedDuring(gateway.operations.stats, () =>
      upstream.seenDuring(
        async () =>
          (answers = await heldUntil(
            () => gateway.operations.stats().joined - joinedBefore === 3,
            () => `3 of 4 identical dashboards joining the first (${gateway.operations.stats().joined - joinedBefore} so far)`,
            [1, 2, 3, 4].map(() => ask),
          )),
      ),
    );

    expect(answers).toEqual([alone, alone, alone, alone]);
    expect(counted).toEqual({ ran: 1, joined: 3 });
    // The subgraph requests of one dashboard, once: shared before any fetch, so no fetch had to join another.
    expect(subgraphRequests(together)).toEqual(subgraphRequests(single));
    expect(gateway.fetches.stats().joined - fetchesJoinedBefore).toBe(0);
  });

  it('never shares between two people: each executes with their own token and gets their own data and rights', async () => {
    const query = `{ me { id profile { lastName } } findAccount(login: "${citizen.phone}") { id } }`;
    const [[citizenAnswer, operatorAnswer], counted] = await countedDuring(gateway.operations.stats, () =>
      allAtOnce(
        upstream.proxies.identity,
        [citizenToken, operatorToken].map((token) => () => graphql(gateway.url, query, { token })),
      ),
    );
    expect(citizenAnswer!.body.data).toEqual({ me: { id: citizen.id, profile: { lastName: 'Одновременов' } }, findAccount: null });
    expect(citizenAnswer!.body.errors?.map(({ extensions }) => extensions?.code)).toEqual(['FORBIDDEN']);
    expect(operatorAnswer!.body).toEqual({ data: { me: { id: operator.id, profile: { lastName: 'Операторов' } }, findAccount: { id: citizen.id } } });
    expect(counted).toEqual({ ran: 2, joined: 0 });
  });

  it('never shares a mutation: two identical ones at the same moment both run', async () => {
    const mutation = 'mutation { markAllNotificationsRead { updatedCount errors { code } } }';
    let answers!: GraphQLResponse[];
    const [seen, counted] = await countedDuring(gateway.operations.stats, () =>
      upstream.seenDuring(
        async () =>
          (answers = await allAtOnce(
            upstream.proxies.notifications,
            [1, 2].map(() => () => graphql(gateway.url, mutation, { token: citizenToken })),
          )),
      ),
    );
    expect(answers.map(({ body }) => body.errors)).toEqual([undefined, undefined]);
    expect(seen.notifications.map(({ query }) => query)).toEqual([expect.stringMatching(/^mutation/), expect.stringMatching(/^mutation/)]);
    expect(counted).toEqual({ ran: 0, joined: 0 });
  });

  it('shares a public query of an anonymous caller with anonymous callers only', async () => {
    const query = '{ topics { id name } }';
    const anonymous = () => graphql(gateway.url, query);
    const signedIn = () => graphql(gateway.url, query, { token: citizenToken });
    const joinedBefore = gateway.operations.stats().joined;
    let answers!: GraphQLResponse[];
    const [seen, counted] = await countedDuring(gateway.operations.stats, () =>
      upstream.seenDuring(
        async () =>
          (answers = await heldUntil(
            // Two anonymous joining the first; the citizen's own request at appeals beside it.
            () => gateway.operations.stats().joined - joinedBefore === 2 && upstream.proxies.appeals.held() === 2,
            () => `2 anonymous joined (${gateway.operations.stats().joined - joinedBefore}), 2 requests held at appeals (${upstream.proxies.appeals.held()})`,
            [anonymous, signedIn, anonymous, anonymous],
          )),
      ),
    );
    expect(answers.map(({ body }) => body)).toEqual(Array(4).fill({ data: { topics: answers[0]!.body.data.topics } }));
    expect(counted).toEqual({ ran: 2, joined: 2 });
    expect(seen.appeals.map(({ authorization }) => authorization ?? 'anonymous').sort()).toEqual([`Bearer ${citizenToken}`, 'anonymous'].sort());
  });
});

describe('Identical operations and rate limits', () => {
  it('counts every request, joined or not: of 5 identical ones at once over a limit of 3, 2 are refused and 3 answered by one execution', async () => {
    const limited: Gateway = await graph.startGatewayInstance({
      subgraphUrls: upstream.urls,
      rateLimiter: createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: { limit: 3, windowMs: 60_000 }, perAddress: null } }),
    });
    const person = await createPerson(graph, { lastName: 'Лимитов' });
    const token = await signIn(graph, person.email);
    let refused = 0;
    const ask = async () => {
      const answer = await graphql(limited.url, '{ me { id profile { lastName } } }', { token });
      if (answer.status === 429) refused++;
      return answer;
    };
    const [answers, counted] = await countedDuring(limited.operations.stats, () =>
      heldUntil(
        () => limited.operations.stats().joined === 2 && refused === 2,
        () => `2 joined (${limited.operations.stats().joined}), 2 refused (${refused})`,
        [1, 2, 3, 4, 5].map(() => ask),
      ),
    );
    expect(tally(answers.map(({ status, body }) => `${status} ${body.errors?.[0]?.extensions?.code ?? body.data.me.profile.lastName}`))).toEqual({ '200 Лимитов': 3, '429 RATE_LIMITED': 2 });
    expect(counted).toEqual({ ran: 1, joined: 2 });
  });
});
