import { QueryPlanner } from '@apollo/query-planner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPerson, signIn } from './fixtures.ts';
import { graphql, startGraph, type TestGraph } from './graph.ts';

/**
 * The work the gateway does once per operation rather than once per request (docs/gateway.md,
 * "Performance"): the query plan, and authorization's narrowing of the operation for a kind of
 * caller. Counted, not timed: how many plans the planner builds and how many documents are
 * authorized across repeated requests.
 */

const DASHBOARD = `query Dashboard { me { id level profile { lastName } documents { type } notifications(first: 5) { totalCount edges { node { title } } } appeals { edges { node { id status } } } } }`;
/** A citizen may not have `findAccount` (role:operator): the gateway removes it before planning. */
const WITH_SEARCH = `query WithSearch { me { id } findAccount(login: "+79990000000") { id } }`;

let graph: TestGraph;
let gateway: Awaited<ReturnType<TestGraph['startGatewayInstance']>>;
const tokens = { citizen: '', otherCitizen: '', operator: '' };
const plans = vi.spyOn(QueryPlanner.prototype, 'buildQueryPlan');

beforeAll(async () => {
  graph = await startGraph();
  const citizen = await createPerson(graph, { lastName: 'Первов' });
  const otherCitizen = await createPerson(graph, { lastName: 'Второв' });
  const operator = await createPerson(graph, { lastName: 'Операторов', roles: ['OPERATOR'] });
  tokens.citizen = await signIn(graph, citizen.email);
  tokens.otherCitizen = await signIn(graph, otherCitizen.email);
  tokens.operator = await signIn(graph, operator.email);
  // A gateway of its own, so the counts are this file's requests only.
  gateway = await graph.startGatewayInstance();
});

afterAll(async () => {
  plans.mockRestore();
  await graph?.stop();
});

/** Plans built and documents authorized while `run` runs. */
async function workDuring(run: () => Promise<unknown>) {
  const before = { plans: plans.mock.calls.length, authorized: gateway.authorization.stats().authorized };
  await run();
  return { plans: plans.mock.calls.length - before.plans, authorized: gateway.authorization.stats().authorized - before.authorized };
}

describe('Gateway: work per operation, not per request', () => {
  it('plans and authorizes an operation once: the same request again, and another person with the same rights, plan and authorize nothing new', async () => {
    const first = await workDuring(() => graphql(gateway.url, DASHBOARD, { token: tokens.citizen }));
    expect(first).toEqual({ plans: 1, authorized: 1 });
    const again = await workDuring(async () => {
      for (let i = 0; i < 3; i++) expect((await graphql(gateway.url, DASHBOARD, { token: tokens.citizen })).body.errors).toBeUndefined();
      expect((await graphql(gateway.url, DASHBOARD, { token: tokens.otherCitizen })).body.data.me.profile.lastName).toBe('Второв');
    });
    expect(again).toEqual({ plans: 0, authorized: 0 });
  });

  it('plans an operation narrowed by authorization once too, and still answers the removed field as refused each time', async () => {
    const refused = { message: 'Недостаточно прав: это поле доступно другим уровням учётной записи или ролям.', path: ['findAccount'], extensions: { code: 'FORBIDDEN' } };
    const first = await workDuring(async () => {
      const { body } = await graphql(gateway.url, WITH_SEARCH, { token: tokens.citizen });
      expect(body.errors).toEqual([refused]);
    });
    expect(first).toEqual({ plans: 1, authorized: 1 });
    const again = await workDuring(async () => {
      for (const token of [tokens.citizen, tokens.otherCitizen]) {
        const { body } = await graphql(gateway.url, WITH_SEARCH, { token });
        expect(body.errors).toEqual([refused]);
        expect(body.data.findAccount).toBeNull();
      }
    });
    expect(again).toEqual({ plans: 0, authorized: 0 });
  });

  it('authorizes and plans anew for a caller with other rights, who gets what those rights allow', async () => {
    const work = await workDuring(async () => {
      const { body } = await graphql(gateway.url, WITH_SEARCH, { token: tokens.operator });
      expect(body.errors).toBeUndefined();
      expect(body.data.findAccount).toBeNull();
    });
    expect(work).toEqual({ plans: 1, authorized: 1 });
  });
});
