import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_PASSWORD, BENCH_PEOPLE, benchQueueOverdue, DASHBOARD_APPEALS, dashboardProblems, seedBenchData, type BenchDataSize } from '../bench/seed.ts';
import { dashboard, FEED_OPERATIONS, LOGIN_MUTATION, queueOperations, type Operation } from '../bench/queries.ts';
import { countsBySubgraph } from '../bench/sql-count.ts';
import { planShape } from '../bench/floor.ts';
import { schemaFile } from '../lib/schema.ts';
import { signIn } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

/**
 * A smoke test of the benchmark harness (bench/, `npm run bench`): its data loads on a small scale
 * and every scenario's operation answers correctly once. Nothing here is timed.
 */

const SIZE: BenchDataSize = { dashboardPeople: 2, feedItems: 400, queueAppeals: 300 };
let graph: TestGraph;
const tokens: Record<keyof typeof BENCH_PEOPLE, string> = { dashboard: '', feed: '', official: '', coordinator: '', login: '' };

beforeAll(async () => {
  graph = await startGraph();
  await seedBenchData(graph.databases, SIZE);
  for (const who of Object.keys(tokens) as (keyof typeof tokens)[]) tokens[who] = await signIn(graph, BENCH_PEOPLE[who].phone, BENCH_PASSWORD);
});

afterAll(() => graph?.stop());

async function answer(operation: Operation, token: string) {
  const { status, body } = await graph.request(operation.query, { variables: operation.variables, token });
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  return body.data;
}

describe('Benchmark harness: data and operations of each scenario', () => {
  it('loads the data once: a second load finds it all and adds nothing', async () => {
    const before = await graph.databases.notifications.sql`select count(*)::int as n from notifications.items`;
    await seedBenchData(graph.databases, SIZE);
    expect(await graph.databases.notifications.sql`select count(*)::int as n from notifications.items`).toEqual(before);
  });

  it('answers the cabinet dashboard from all four subgraphs, like an active user', async () => {
    const { me } = await answer(dashboard(20, 10), tokens.dashboard);
    expect(dashboardProblems(me, { notifications: 20, appeals: 10 })).toEqual([]);
  });

  // The larger page is the bench's own dashboard (20 and 10); 50 and 50 cost more than the gateway allows.
  it('sends as many SQL statements per subgraph for 20 notifications and 10 appeals on the page as for 5 and 5', async () => {
    const statementsFor = async (notifications: number, appeals: number) => {
      const before = Object.fromEntries(Object.entries(graph.statements).map(([name, list]) => [name, list.length]));
      const { me } = await answer(dashboard(notifications, appeals), tokens.dashboard);
      expect(me.notifications.edges).toHaveLength(notifications);
      expect(me.appeals.edges).toHaveLength(Math.min(appeals, DASHBOARD_APPEALS));
      return countsBySubgraph(Object.entries(graph.statements).map(([name, list]) => [name, list.slice(before[name])]));
    };
    const five = await statementsFor(5, 5);
    expect(await statementsFor(20, 10)).toEqual(five);
  });

  it('searches the feed: the first page, a Russian word in its other forms, one category', async () => {
    const [first, search, category] = await Promise.all(FEED_OPERATIONS.map((operation) => answer(operation, tokens.feed)));
    expect(first.me.notifications.totalCount).toBe(SIZE.feedItems);
    expect(first.me.notifications.edges).toHaveLength(20);
    // «заявление» is in the titles of applications and drafts («заявления» in some bodies): a quarter of the feed at least.
    expect(search.me.notifications.totalCount).toBeGreaterThanOrEqual(SIZE.feedItems / 4);
    expect(search.me.notifications.totalCount).toBeLessThan(SIZE.feedItems);
    expect(category.me.notifications.totalCount).toBe(SIZE.feedItems / 8);
    expect(category.me.notifications.edges.every((edge: { node: { category: string } }) => edge.node.category === 'PAYMENT')).toBe(true);
  });

  it("reads the officials' queue, its overdue appeals with their authors' names, and the region's analytics", async () => {
    const { queue, overdue, analytics } = queueOperations();
    expect((await answer(queue, tokens.official)).authorityAppeals.totalCount).toBe(SIZE.queueAppeals);
    const late = (await answer(overdue, tokens.official)).authorityAppeals;
    expect(late.totalCount).toBe(benchQueueOverdue(SIZE.queueAppeals));
    for (const { node } of late.edges) expect(node).toMatchObject({ isOverdue: true, author: { name: { lastName: expect.stringMatching(/^Автор/) } } });
    const { appealAnalytics } = await answer(analytics, tokens.coordinator);
    expect(appealAnalytics.totalCount).toBeGreaterThanOrEqual(SIZE.queueAppeals);
    expect(appealAnalytics.countByTopic.length).toBeGreaterThan(0);
  });

  it("plans the dashboard as the floor replays it: identity's account first, then the other subgraphs", () => {
    const plan = planShape(readFileSync(schemaFile('supergraph'), 'utf8'), dashboard());
    expect(plan).toMatchObject({ kind: 'Sequence', nodes: [{ kind: 'Fetch', subgraph: 'identity' }, { kind: 'Parallel' }] });
    const subgraphs = (node: typeof plan): string[] => (node.kind === 'Fetch' ? [node.subgraph] : node.nodes.flatMap(subgraphs));
    expect(new Set(subgraphs(plan))).toEqual(new Set(['identity', 'profile', 'notifications', 'appeals']));
  });

  it('signs in', async () => {
    const data = await answer({ name: 'login', query: LOGIN_MUTATION, variables: { input: { login: BENCH_PEOPLE.login.phone, password: BENCH_PASSWORD } } }, '');
    expect(data.login).toEqual({ accessToken: expect.any(String), errors: [] });
  });

  // Hive Gateway (~500 MB) lives in bench/node_modules, which only npm run bench installs: the
  // comparison with it is the benchmark's alone, not the smoke test's.
});
