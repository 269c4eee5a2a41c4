import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppeal, createAuthority, createPerson, signIn } from './fixtures.ts';
import { startGraph, type TestGraph } from './graph.ts';

let graph: TestGraph;
let officialToken: string;
const authorNames: string[] = [];

beforeAll(async () => {
  graph = await startGraph();
  const official = await createPerson(graph, { roles: ['OFFICIAL'] });
  const authority = await createAuthority(graph, { officialId: official.id });
  for (let n = 0; n < 50; n++) {
    const author = await createPerson(graph, { lastName: `Автор${n}` });
    authorNames.push(author.lastName);
    await createAppeal(graph, { authorId: author.id, ...authority, dueAt: new Date(Date.now() + (n + 1) * 3_600_000) });
  }
  officialToken = await signIn(graph, official.email);
});

afterAll(() => graph?.stop());

/** Statements a subgraph sent while `run` ran, without the driver's own catalogue look-ups. */
async function statementsDuring(subgraph: keyof TestGraph['statements'], run: () => Promise<unknown>): Promise<string[]> {
  const before = graph.statements[subgraph].length;
  await run();
  return graph.statements[subgraph].slice(before).filter((statement) => !statement.includes('pg_catalog'));
}

describe('Entity resolution is batched', () => {
  it("resolves the names of 50 authors on an official's queue with one SQL query in profile", async () => {
    let response: Awaited<ReturnType<TestGraph['request']>> | undefined;
    const sql = await statementsDuring('profile', async () => {
      response = await graph.request('{ authorityAppeals(first: 50) { edges { node { author { name { lastName } } } } } }', { token: officialToken });
    });
    const lastNames = response!.body.data.authorityAppeals.edges.map((edge: { node: { author: { name: { lastName: string } } } }) => edge.node.author.name.lastName);
    expect(response!.body.errors).toBeUndefined();
    expect(lastNames).toEqual(authorNames);
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/from "profile"\."personal_data"/);
  });

  it('loads the topics and authorities of a page of 50 appeals with one query each', async () => {
    const sql = await statementsDuring('appeals', () => graph.request('{ authorityAppeals(first: 50) { edges { node { topic { name } authority { name } } } } }', { token: officialToken }));
    expect(sql.map((statement) => /from "appeals"\."(\w+)"/.exec(statement)?.[1])).toEqual(['officials', 'appeals', 'topics', 'authorities']);
  });
});

/** The officials' queue as the demo client shows it: a page of 50 with each appeal's topic and its parent, the authority and the author. */
const QUEUE_SCREEN = `{ authorityAppeals(first: 50) {
  totalCount
  edges { node { id number status dueAt isOverdue topic { name parent { name } } authority { name } author { name { lastName firstName middleName } } } }
  pageInfo { hasNextPage endCursor }
} }`;

describe("The officials' queue fits the gateway's cost limit", () => {
  it('runs a page of 50 with topics, authorities and authors', async () => {
    // It costs 1,263 (gateway/limits.test.ts checks the figure): reference data weighs 0
    // (`@cost(weight: 0)` in schema/appeals.graphql) and a connection's `edges { node }` add no
    // level (lib/operation-limits.ts `connectionWrappers`); with neither it cost 5,280 > 5,000.
    const { status, body } = await graph.request(QUEUE_SCREEN, { token: officialToken });
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    expect(body.data.authorityAppeals.edges).toHaveLength(50);
    expect(body.data.authorityAppeals.edges[0].node).toMatchObject({ topic: { name: 'Дороги', parent: null }, authority: { name: expect.stringMatching(/^Министерство/) } });
  });
});
