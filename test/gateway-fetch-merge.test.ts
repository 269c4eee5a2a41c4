import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_PASSWORD, BENCH_PEOPLE, seedBenchData, type BenchDataSize } from '../bench/seed.ts';
import { DASHBOARD_QUERY, dashboard, FEED_OPERATIONS, queueOperations } from '../bench/queries.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { signIn } from './fixtures.ts';
import { graphql, startGraph, type GraphQLResponse, type TestGraph } from './graph.ts';
import { recordingProxy, type Proxy as RecordingProxy, type Seen } from './recording-proxy.ts';

/**
 * The gateway merges the fetches one operation sends to one subgraph at the same moment
 * (gateway/fetch-merge.ts, docs/gateway.md "Merged fetches"). Two gateways over the same graph, one
 * merging and one not, each behind recording proxies in front of the subgraphs: the same requests
 * of the same people must get the same answers from both, and the merging one sends fewer
 * subgraph requests where its plan fans out to one subgraph.
 */

// Small, but every kind of the bench's data: a dashboard person, a feed, an authority's queue of appeals by 200 authors.
const SIZE: BenchDataSize = { dashboardPeople: 1, feedItems: 80, queueAppeals: 60 };
type Caller = 'citizen' | 'official' | 'coordinator' | 'anonymous';
let graph: TestGraph;
let proxies: Record<SubgraphName, RecordingProxy>;
const gateways = {} as Record<'merging' | 'separate', { url: string; fetches: { stats(): { merges: number; mergedFetches: number } } }>;
const tokens: Record<Caller, string | undefined> = { citizen: undefined, official: undefined, coordinator: undefined, anonymous: undefined };

beforeAll(async () => {
  graph = await startGraph();
  await seedBenchData(graph.databases, SIZE);
  tokens.citizen = await signIn(graph, BENCH_PEOPLE.dashboard.phone, BENCH_PASSWORD);
  tokens.official = await signIn(graph, BENCH_PEOPLE.official.phone, BENCH_PASSWORD);
  tokens.coordinator = await signIn(graph, BENCH_PEOPLE.coordinator.phone, BENCH_PASSWORD);
  proxies = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await recordingProxy(graph.subgraphUrls[name])]))) as Record<SubgraphName, RecordingProxy>;
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].url])) as Record<SubgraphName, string>;
  gateways.merging = await graph.startGatewayInstance({ subgraphUrls, mergeFetches: true });
  gateways.separate = await graph.startGatewayInstance({ subgraphUrls, mergeFetches: false });
});

afterAll(async () => {
  await graph?.stop();
  await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
});

interface Operation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** An operation through one gateway, and the subgraph requests it made. */
async function through(gateway: keyof typeof gateways, { query, variables }: Operation, caller: Caller) {
  const before = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].seen.length]));
  const response = await graphql(gateways[gateway].url, query, { ...(variables ? { variables } : {}), ...(tokens[caller] ? { token: tokens[caller] } : {}) });
  const seen = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, proxies[name].seen.slice(before[name])])) as Record<SubgraphName, Seen[]>;
  return { response, seen, requests: Object.values(seen).flat().length };
}

/**
 * A response as a client reads it: its status, data and errors. Errors of fetches that run at once
 * come in the order their subgraphs answered, merged or not: they are compared in one order.
 */
const whole = ({ status, body }: GraphQLResponse) => ({ status, data: body.data, errors: body.errors && [...body.errors].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) });

/** The official's desk: the queue and the appeal they opened, with their authors (profile, at two paths of appeals' answer, at once). */
const OFFICIAL_DESK = `query OfficialDesk($id: ID!) {
  me { id name { lastName } }
  authorityAppeals(first: 5) { totalCount edges { node { id number status author { name { lastName firstName } profile { lastName } } } } }
  appeal(id: $id) { id number status author { name { lastName } phone documents { type } } }
}`;

/** Two of a citizen's appeals side by side, with the name they were sent under (profile, at two paths at once). */
const TWO_APPEALS = `query TwoAppeals($first: ID!, $second: ID!) {
  first: appeal(id: $first) { id number status author { name { lastName firstName } } }
  second: appeal(id: $second) { id number status topic { name } author { name { lastName } } }
}`;

async function someIds() {
  const queue = await through('separate', { name: 'queue', query: '{ authorityAppeals(first: 1) { edges { node { id } } } }' }, 'official');
  const mine = await through('separate', { name: 'mine', query: '{ me { appeals(first: 2) { edges { node { id } } } } }' }, 'citizen');
  const [first, second] = (mine.response.body.data.me.appeals.edges as { node: { id: string } }[]).map(({ node }) => node.id);
  return { queueAppeal: queue.response.body.data.authorityAppeals.edges[0].node.id as string, first: first!, second: second! };
}

describe('Merged fetches', () => {
  it("sends the official's desk with one request to profile for the authors at both paths, and answers as without merging", async () => {
    const { queueAppeal } = await someIds();
    const desk = { name: 'OfficialDesk', query: OFFICIAL_DESK, variables: { id: queueAppeal } };
    const separate = await through('separate', desk, 'official');
    const merging = await through('merging', desk, 'official');

    expect(whole(merging.response)).toEqual(whole(separate.response));
    expect(merging.response.body.data.authorityAppeals.edges[0].node.author.name.lastName).toMatch(/^Автор/);
    // Another person's profile and documents are refused to an official, at their places, merged or not.
    expect(merging.response.body.errors?.map(({ extensions }) => extensions?.code)).toContain('FORBIDDEN');
    expect(separate.seen.profile).toHaveLength(3);
    expect(merging.seen.profile).toHaveLength(2);
    const [entities] = merging.seen.profile.filter(({ query }) => query.includes('_0__entities'));
    expect(entities?.query).toMatch(/^query OfficialDesk__profile__\d+_and_OfficialDesk__profile__\d+\(/);
    expect(Object.keys(entities?.variables ?? {})).toEqual(['_0_representations', '_1_representations']);
    expect(merging.requests).toBe(separate.requests - 1);
  });

  it("sends a citizen's two appeals with one request to profile, and answers as without merging", async () => {
    const { first, second } = await someIds();
    const two = { name: 'TwoAppeals', query: TWO_APPEALS, variables: { first, second } };
    const separate = await through('separate', two, 'citizen');
    const merging = await through('merging', two, 'citizen');
    expect(whole(merging.response)).toEqual(whole(separate.response));
    expect(merging.response.body.data.first.author.name.lastName).toBe(BENCH_PEOPLE.dashboard.lastName);
    expect(merging.response.body.errors).toBeUndefined();
    expect([separate.seen.profile.length, merging.seen.profile.length]).toEqual([2, 1]);
  });
});

/** Every query of the cabinet's trusted documents, of the bench and of the trusted-documents test, with variables a person would send. */
async function corpus(): Promise<Operation[]> {
  const { queueAppeal, first, second } = await someIds();
  const manifest = (path: string) => Object.values(JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Record<string, string>);
  const queries = (documents: string[]) => documents.filter((text) => /^(?:fragment[^]*?\}\s*)*query\b/.test(text.trim()));
  const variablesFor: Record<string, Record<string, unknown>[]> = {
    Feed: [{}, { category: 'PAYMENT' }, { search: 'штраф' }, { unreadOnly: true }],
    PreviewAppealRouting: [{ input: { topicId: 'yards.lighting', regionCode: '50', municipality: 'городской округ Химки' } }, { input: { topicId: 'no.such.topic', regionCode: '50' } }],
  };
  const named = (query: string) => /query (\w+)/.exec(query)?.[1] ?? 'anonymous';
  const documents = [...queries(manifest('../web/src/generated/persisted-documents.json')), ...queries(manifest('trusted-documents.json'))].flatMap((query) =>
    (variablesFor[named(query)] ?? [undefined]).map((variables) => ({ name: named(query), query, ...(variables ? { variables } : {}) })),
  );
  const { queue, overdue, analytics } = queueOperations();
  return [
    ...documents,
    dashboard(20, 10),
    dashboard(5, 5),
    ...FEED_OPERATIONS,
    queue,
    overdue,
    analytics,
    { name: 'OfficialDesk', query: OFFICIAL_DESK, variables: { id: queueAppeal } },
    { name: 'TwoAppeals', query: TWO_APPEALS, variables: { first, second } },
  ];
}

describe('The same answers with and without merging', () => {
  it('answers every query of the cabinet, the bench and the tests alike for a citizen, an official, a coordinator and an anonymous caller', async () => {
    const operations = await corpus();
    expect(operations.length).toBeGreaterThanOrEqual(20);
    const mergesBefore = gateways.merging.fetches.stats().merges;
    const counts: { operation: string; caller: Caller; separate: number; merging: number }[] = [];
    for (const operation of operations) {
      for (const caller of Object.keys(tokens) as Caller[]) {
        const separate = await through('separate', operation, caller);
        const merging = await through('merging', operation, caller);
        expect({ operation: operation.name, caller, ...whole(merging.response) }).toEqual({ operation: operation.name, caller, ...whole(separate.response) });
        expect(merging.requests).toBeLessThanOrEqual(separate.requests);
        counts.push({ operation: operation.name, caller, separate: separate.requests, merging: merging.requests });
      }
    }
    // The corpus has plans that fan out to one subgraph: the comparison above is of merged answers, not only of single fetches.
    expect(gateways.merging.fetches.stats().merges - mergesBefore).toBeGreaterThanOrEqual(2);
    const total = (key: 'separate' | 'merging') => counts.reduce((sum, count) => sum + count[key], 0);
    expect(total('merging')).toBeLessThan(total('separate'));
    console.table(counts.filter(({ separate, merging }) => separate !== merging || separate > 2));
  });

  it("sends the bench's dashboard to each subgraph as before: its parallel fetches go to different subgraphs", async () => {
    const counts = [];
    for (const gateway of ['separate', 'merging'] as const) {
      const { seen, requests } = await through(gateway, { name: 'Dashboard', query: DASHBOARD_QUERY, variables: { notifications: 20, appeals: 10 } }, 'citizen');
      counts.push({ gateway, requests, ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, seen[name].length])) });
    }
    console.table(counts);
    expect(counts.map(({ requests }) => requests)).toEqual([5, 5]);
  });
});
