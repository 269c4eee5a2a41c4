import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFeedItem, createPerson, signIn } from '../fixtures.ts';
import { gatewayClients, postSubscription } from '../gateway-clients.ts';
import { graphql, startGraph, type GraphQLResponse, type TestGraph } from '../graph.ts';

/**
 * The cost limit counts what an operation asks for whatever form the size takes: a literal
 * `first`, a variable, the argument's default, a list's declared size (`@listSize` in schema/).
 * Before, graphql-armor's validation rule multiplied by literals only, so `first: $n` with
 * n = 100000 cost as 1. Guards lib/operation-limits.ts: `operationCost` (the slicing argument's value with
 * the coerced variables, `sizeOf`), `checkRequest`, the plugin's `didResolveOperation` (queries),
 * and gateway/subscriptions/validation.ts `checkingRequests` (subscriptions, with their variables).
 */

let graph: TestGraph;
let token: string;
let personId: string;
const clients = () => gatewayClients({ http: graph.url, ws: graph.gatewayWsUrl });
let subscriptions: ReturnType<typeof gatewayClients>;

beforeAll(async () => {
  graph = await startGraph();
  const person = await createPerson(graph, { level: 'CONFIRMED' });
  token = await signIn(graph, person.phone);
  personId = person.id;
  subscriptions = clients();
});
afterEach(() => subscriptions.disposeAll());
afterAll(() => graph?.stop());

/** Feed items with a dozen fields each, their appeal and its authority, and `more` of the appeal. */
const feedItems = (more = '') => `edges { node { id title body createdAt isRead kind category link appeal { id number status authority { name } ${more} } } }`;
/** With each appeal's attachments too: `first` decides what it costs. */
const ITEMS = feedItems('attachments { name }');
/** Three pages of the feed at once: `args` is what follows `notifications` (`(first: 20)`, `(first: $n)`, nothing). */
const threePages = (args: string) => `{ me { a: notifications${args} { ${ITEMS} } b: notifications${args} { ${ITEMS} } c: notifications${args} { ${ITEMS} } } }`;
const withVariable = (operation: string) => `query ($n: Int) ${operation}`;

/** What a refusal says, without where in the text it points (a variable and a literal sit at different columns). */
const refusal = ({ status, body }: GraphQLResponse) => ({ status, data: body.data, errors: body.errors?.map(({ message, extensions }) => ({ message, extensions })) });

describe('The cost of `first` passed as a variable, at the gateway', () => {
  it('refuses `first: $n` with n = 100000 exactly as it refuses the literal: over the maximum of 100', async () => {
    // Guards `sizeOf` in lib/operation-limits.ts `operationCost`: the variable's value, not 1.
    const literal = await graph.request(`{ me { notifications(first: 100000) { ${ITEMS} } } }`, { token });
    const variable = await graph.request(withVariable(`{ me { notifications(first: $n) { ${ITEMS} } } }`), { token, variables: { n: 100000 } });
    expect(refusal(variable)).toEqual(refusal(literal));
    expect(refusal(variable)).toEqual({
      status: 400,
      data: undefined,
      errors: [{ message: 'Аргумент first должен быть целым числом от 0 до 100.', extensions: { code: 'BAD_USER_INPUT', argument: 'first', maximum: 100 } }],
    });
  });

  it('runs a feed page of 100, a dozen fields per item with its appeal and authority', async () => {
    // Guards lib/operation-limits.ts `connectionWrappers`: `edges { node }` add no levels (3,268; 8,471 before).
    const reader = await createPerson(graph);
    await Promise.all(Array.from({ length: 101 }, () => createFeedItem(graph, { userId: reader.id })));
    const { status, body } = await graph.request(withVariable(`{ me { notifications(first: $n) { totalCount ${feedItems()} pageInfo { hasNextPage endCursor } } } }`), {
      token: await signIn(graph, reader.phone),
      variables: { n: 100 },
    });
    expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    expect(body.data.me.notifications).toMatchObject({ totalCount: 101, pageInfo: { hasNextPage: true } });
    expect(body.data.me.notifications.edges).toHaveLength(100);
  });

  it('refuses pages nested in pages (100 feed items, 100 appeals of each appeal’s author) by its cost', async () => {
    const nested = withVariable(`{ me { notifications(first: $n) { edges { node { appeal { author { appeals(first: $n) { edges { node { id } } } } } } } } } }`);
    expect(refusal(await graph.request(nested, { token, variables: { n: 100 } }))).toEqual({
      status: 400,
      data: undefined,
      errors: [
        {
          message: 'Запрос слишком сложный: стоимость 78080, допускается не больше 5000. Запросите меньше полей или меньше элементов в списках (first).',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maximum: 5000, found: 78080 },
        },
      ],
    });
  });

  it('refuses `first: $n` with n = 100 by its cost, with the very cost of the literal 100', async () => {
    // Guards the plugin's `didResolveOperation` in lib/operation-limits.ts: the cost with the request's variables, HTTP 400.
    const literal = await graph.request(`{ me { notifications(first: 100) { ${ITEMS} } } }`, { token });
    const variable = await graph.request(withVariable(`{ me { notifications(first: $n) { ${ITEMS} } } }`), { token, variables: { n: 100 } });
    expect(refusal(literal)).toMatchObject({ status: 400, errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maximum: 5000, found: expect.any(Number) } }] });
    expect(refusal(variable)).toEqual(refusal(literal));
    expect(variable.body.errors![0]!.message).toMatch(/^Запрос слишком сложный: стоимость \d+, допускается не больше 5000\./);
  });

  it('costs n = 20 as the literal 20, and an omitted `first` as its default of 20', async () => {
    // Guards `sizeOf` (the argument's value from a variable or its default, via getArgumentValues).
    const literal = await graph.request(threePages('(first: 20)'), { token });
    const variable = await graph.request(withVariable(threePages('(first: $n)')), { token, variables: { n: 20 } });
    const omittedVariable = await graph.request(withVariable(threePages('(first: $n)')), { token, variables: {} });
    const omitted = await graph.request(threePages(''), { token });
    // Three pages of 20 are just over the limit: each answer shows its cost.
    expect(refusal(literal)).toMatchObject({ status: 400, errors: [{ extensions: { limit: 'cost', found: expect.any(Number) } }] });
    for (const other of [variable, omittedVariable, omitted]) expect(refusal(other)).toEqual(refusal(literal));
    // One page of 20 goes through, however it is written.
    for (const [query, variables] of [
      [`{ me { notifications(first: 20) { ${ITEMS} } } }`, {}],
      [withVariable(`{ me { notifications(first: $n) { ${ITEMS} } } }`), { n: 20 }],
    ] as const) {
      const { status, body } = await graph.request(query, { token, variables });
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
    }
  });

  it('answers `first` above the maximum as the subgraph itself would: BAD_USER_INPUT naming the maximum', async () => {
    // Guards `pageSizeError` in lib/operation-limits.ts: the words of lib/connection.ts `pageSize`.
    const query = withVariable(`{ me { appeals(first: $n) { edges { node { id } } } } }`);
    const gateway = await graph.request(query, { token, variables: { n: 1000 } });
    expect(refusal(gateway)).toMatchObject({ status: 400, errors: [{ message: 'Аргумент first должен быть целым числом от 0 до 100.', extensions: { code: 'BAD_USER_INPUT', maximum: 100 } }] });
    const negative = await graph.request(query, { token, variables: { n: -1 } });
    expect(refusal(negative)).toEqual(refusal(gateway));
    const subgraph = await graphql(graph.subgraphUrls.appeals, `{ _entities(representations: [{ __typename: "User", id: "${personId}" }]) { ... on User { appeals(first: 1000) { edges { node { id } } } } } }`, { token });
    expect(subgraph.body.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code }))).toEqual([{ message: gateway.body.errors![0]!.message, code: 'BAD_USER_INPUT' }]);
  });
});

describe('The cost of `first` passed as a variable, on the subscription transports', () => {
  const LIVE = 'subscription ($n: Int) { appealStatusChanged { appeal { author { appeals(first: $n) { edges { node { id number status text dueAt timeline { at action status comment } attachments { name } } } } } } } }';
  const MULTIPART = 'multipart/mixed;subscriptionSpec="1.0",application/json';

  it('multipart: refuses n = 100 by its cost and n = 1000 over the maximum, and starts the stream for n = 1', async () => {
    // Guards gateway/subscriptions/validation.ts `checkingRequests` with limits' `checkRequest`.
    const answer = async (n: number) => {
      const controller = new AbortController();
      const response = await postSubscription(graph.url, LIVE, { accept: MULTIPART, token, variables: { n }, signal: controller.signal });
      const body = response.status === 200 ? null : ((await response.json()) as { errors?: { extensions: Record<string, unknown> }[] });
      controller.abort();
      return { status: response.status, errors: body?.errors?.map(({ extensions }) => extensions) };
    };
    expect(await answer(100)).toEqual({ status: 400, errors: [{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maximum: 5000, found: expect.any(Number) }] });
    expect(await answer(1000)).toEqual({ status: 400, errors: [{ code: 'BAD_USER_INPUT', argument: 'first', maximum: 100 }] });
    expect(await answer(1)).toEqual({ status: 200, errors: undefined });
  });

  it('graphql-ws: refuses n = 100 by its cost', async () => {
    const stream = subscriptions.subscribe('graphql-ws', LIVE, { token, variables: { n: 100 } });
    // Accepted, the stream would stay open: wait a while, not for ever.
    await Promise.race([stream.done, sleep(5_000)]);
    expect(stream.errors).toEqual([[expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maximum: 5000, found: expect.any(Number) } })]]);
  });
});
