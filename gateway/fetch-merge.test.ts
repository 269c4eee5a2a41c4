import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { buildSchema, graphql, GraphQLError, parse, validate, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SUBGRAPH_CEILINGS } from '../lib/operation-limits.ts';
import { failsEveryPart, fetchPart, mergedTokens, mergedVariables, mergeFetches, mergeGroups, mergingFetches, splitAnswer } from './fetch-merge.ts';

/** A subgraph in miniature: entities, root fields with arguments, a field its caller may not read, a non-null root field that fails. */
const schema = buildSchema(`
  scalar _Any
  union _Entity = User | Appeal
  type Query { _entities(representations: [_Any!]!): [_Entity]! me: User topics(first: Int = 2): [Topic!]! broken: Topic! }
  type User { id: ID! name: String secret: String }
  type Appeal { id: ID! status: String author: User }
  type Topic { id: ID! name: String }
`);
const users: Record<string, object> = {
  u1: { __typename: 'User', id: 'u1', name: 'Анна', secret: () => Promise.reject(new GraphQLError('Нет доступа', { extensions: { code: 'FORBIDDEN' } })) },
  u2: { __typename: 'User', id: 'u2', name: 'Борис', secret: 'тайна' },
};
const appeals: Record<string, object> = { a1: { __typename: 'Appeal', id: 'a1', status: 'REGISTERED', author: users.u2 } };
const topics = [1, 2, 3].map((n) => ({ id: `t${n}`, name: `Тема ${n}` }));
const rootValue = {
  _entities: ({ representations }: { representations: { __typename: string; id: string }[] }) => representations.map(({ __typename, id }) => (__typename === 'User' ? users[id] : appeals[id]) ?? null),
  me: () => users.u2,
  topics: ({ first }: { first: number }) => topics.slice(0, first),
  broken: () => Promise.reject(new Error('Тема не загрузилась')),
};

/** What the subgraph answers to a request, as JSON on the wire (errors formatted). */
async function run(query: string, variables: Record<string, unknown> = {}): Promise<GatewayGraphQLResponse> {
  return JSON.parse(JSON.stringify(await graphql({ schema, source: query, rootValue, variableValues: variables }))) as GatewayGraphQLResponse;
}

/** Locations point into the text that was sent: a part's answer has none (the gateway drops them anyway). */
const withoutLocations = (answer: GatewayGraphQLResponse) => ({ ...answer, ...(answer.errors ? { errors: answer.errors.map(({ locations: _, ...error }) => error) } : {}) });

const ENTITIES = 'query Desk__profile__1($representations:[_Any!]!){_entities(representations:$representations){...on User{id name secret}}}';
/** The same variable and fragment names as the next one, for another selection. */
const WITH_FRAGMENT = 'query Desk__profile__2($representations:[_Any!]!){_entities(representations:$representations){...F}} fragment F on Appeal{id status author{...G}} fragment G on User{name}';
const OTHER_FRAGMENT = 'query Desk__profile__3($representations:[_Any!]!){_entities(representations:$representations){...F}} fragment F on User{id secret}';
const ROOT_FIELDS = 'query($first:Int,$skip:Boolean!){ me { id } me { name } few: topics(first: $first) { id } all: topics { name } __typename hidden: me @skip(if: $skip) { id } }';

const part = (query: string) => fetchPart(query)!;

describe('fetchPart', () => {
  it("takes a query's root response keys, each once, in order", () => {
    expect(part(ROOT_FIELDS).responseKeys).toEqual(['me', 'few', 'all', '__typename', 'hidden']);
    expect(part(ENTITIES).responseKeys).toEqual(['_entities']);
  });

  it('refuses what must go as it came: a mutation, several operations, operation directives, a fragment at the root, a text that does not parse', () => {
    expect(fetchPart('mutation { markAllNotificationsRead { updatedCount } }')).toBeNull();
    expect(fetchPart('subscription { notificationAdded { cursor } }')).toBeNull();
    expect(fetchPart('query A { me { id } } query B { me { id } }')).toBeNull();
    expect(fetchPart('query A @live { me { id } }')).toBeNull();
    expect(fetchPart('{ ...Root } fragment Root on Query { me { id } }')).toBeNull();
    expect(fetchPart('{ ... on Query { me { id } } }')).toBeNull();
    expect(fetchPart('{ me { id }')).toBeNull();
  });
});

describe('mergeFetches, mergedVariables and splitAnswer', () => {
  it('renames variables and fragments under a prefix per part and aliases root fields, however the parts named theirs', () => {
    const merged = mergeFetches([part(WITH_FRAGMENT), part(OTHER_FRAGMENT)]);
    expect(merged.query).toBe(
      'query Desk__profile__2_and_Desk__profile__3($_0_representations:[_Any!]!$_1_representations:[_Any!]!)' +
        '{_0__entities:_entities(representations:$_0_representations){..._0_F}_1__entities:_entities(representations:$_1_representations){..._1_F}}' +
        'fragment _0_F on Appeal{id status author{..._0_G}}fragment _0_G on User{name}fragment _1_F on User{id secret}',
    );
    expect(validate(schema, parse(merged.query))).toEqual([]);
    expect(mergedVariables(merged, [{ representations: [1] }, { representations: [2] }])).toEqual({ _0_representations: [1], _1_representations: [2] });
  });

  it("gives each part, merged and split, exactly its answer alone: data under its keys, its errors at its paths, variables' defaults and @skip kept", async () => {
    const cases: [string, Record<string, unknown>][] = [
      [
        ENTITIES,
        {
          representations: [
            { __typename: 'User', id: 'u1' },
            { __typename: 'User', id: 'u2' },
            { __typename: 'User', id: 'nobody' },
          ],
        },
      ],
      [WITH_FRAGMENT, { representations: [{ __typename: 'Appeal', id: 'a1' }] }],
      [OTHER_FRAGMENT, { representations: [{ __typename: 'User', id: 'u1' }] }],
      [ROOT_FIELDS, { first: 1, skip: true }],
      [ROOT_FIELDS, { skip: false }],
    ];
    const merged = mergeFetches(cases.map(([query]) => part(query)));
    const answer = await run(
      merged.query,
      mergedVariables(
        merged,
        cases.map(([, variables]) => variables),
      ),
    );
    const alone = await Promise.all(cases.map(([query, variables]) => run(query, variables)));
    expect(alone[0]!.errors).toHaveLength(1); // u1's secret, at _entities.0.secret
    expect(alone[2]!.errors).toHaveLength(1);
    expect(splitAnswer(answer, merged)).toEqual(alone.map(withoutLocations));
  });

  it('gives an error at no field of any part to every part, and cannot split an answer without data', () => {
    const merged = mergeFetches([part(ENTITIES), part('{ broken { id } }')]);
    const refusal: GraphQLFormattedError = { message: 'Сервис перегружен', extensions: { code: 'SERVICE_UNAVAILABLE' } };
    expect(splitAnswer({ data: { _0__entities: [], _1_broken: { id: 't1' } }, errors: [refusal] }, merged)).toEqual([
      { data: { _entities: [] }, errors: [refusal] },
      { data: { broken: { id: 't1' } }, errors: [refusal] },
    ]);
    // A non-null root field that failed nulls the whole answer: the other part's data is gone with it.
    expect(splitAnswer({ data: null, errors: [{ ...refusal, path: ['_1_broken'] }] }, merged)).toBeNull();
  });

  it('counts the tokens and aliases of a merged query as the subgraph will: its parser and graphql-armor', () => {
    const parts = [part(ENTITIES), part(WITH_FRAGMENT), part(ROOT_FIELDS), part('{ me { id } }')];
    const { query } = mergeFetches(parts);
    expect(() => parse(query, { maxTokens: mergedTokens(parts) })).not.toThrow();
    expect(() => parse(query, { maxTokens: mergedTokens(parts) - 1 })).toThrow(/tokens/);
    let found: number | undefined;
    validate(schema, parse(query), [maxAliasesRule({ n: 100, onAccept: [(_context, { n }) => (found = n)] })]);
    expect(parts.reduce((sum, each) => sum + each.aliases, 0)).toBe(found);
  });
});

describe('mergeGroups', () => {
  it("merges in the order the fetches came while the subgraph's ceilings hold, and keeps unmergeable ones alone", () => {
    const entities = part(ENTITIES);
    const ceilings = { maxTokens: mergedTokens([entities, entities]), maxAliases: 30 };
    expect(mergeGroups([entities, entities, null, entities], ceilings)).toEqual([[0, 1], [2], [3]]);
    expect(mergeGroups([entities, entities, entities], { ...ceilings, maxAliases: 1 })).toEqual([[0], [1], [2]]);
    expect(mergeGroups([entities, entities, entities], SUBGRAPH_CEILINGS)).toEqual([[0, 1, 2]]);
  });
});

describe('failsEveryPart', () => {
  it('fails every part for what the subgraph or the caller says, asks again for a refusal of what was sent', () => {
    for (const code of ['SUBGRAPH_UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'UNAUTHENTICATED', 'FORBIDDEN']) expect(failsEveryPart(new GraphQLError('x', { extensions: { code } }))).toBe(true);
    for (const code of ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'PAYLOAD_TOO_LARGE']) expect(failsEveryPart(new GraphQLError('x', { extensions: { code } }))).toBe(false);
    expect(failsEveryPart(new Error('bug'))).toBe(false);
  });
});

// ── The data source ────────────────────────────────────────────────────────────────────────────

/** The miniature subgraph behind a data source: records each request, or fails them all with `failure`. */
function subgraph(failure?: (request: { query: string }) => Error | null) {
  const requests: { query: string; variables: Record<string, unknown> }[] = [];
  const source: GraphQLDataSource = {
    async process({ request }) {
      const sent = { query: request.query!, variables: request.variables ?? {} };
      requests.push(sent);
      const error = failure?.(sent);
      if (error) throw error;
      return run(sent.query, sent.variables);
    },
  };
  return { source, requests };
}

const operation = () => ({ context: { authorization: 'Bearer anna' } });
const fetchOf = (incomingRequestContext: object, query: string, variables: Record<string, unknown> = {}) =>
  ({ kind: 'incoming operation', request: { query, variables }, incomingRequestContext, context: { authorization: 'Bearer anna' } }) as unknown as GraphQLDataSourceProcessOptions;
const user = (id: string) => ({ representations: [{ __typename: 'User', id }] });

describe('mergingFetches', () => {
  it("sends one operation's fetches that start together as one request, another operation's apart, each answered as alone", async () => {
    const { source, requests } = subgraph();
    const merging = mergingFetches(SUBGRAPH_CEILINGS);
    const merged = merging.wrap(source);
    const [one, two] = [operation(), operation()];
    // The third starts a few promise steps later, still before this tick ends.
    const later = Promise.resolve()
      .then(() => Promise.resolve())
      .then(() => merged.process(fetchOf(one, '{ topics { id } }')));
    const answers = await Promise.all([merged.process(fetchOf(one, ENTITIES, user('u2'))), merged.process(fetchOf(one, OTHER_FRAGMENT, user('u2'))), later, merged.process(fetchOf(two, '{ me { id } }'))]);

    expect(requests.map(({ query }) => query)).toEqual([expect.stringMatching(/^query Desk__profile__1_and_Desk__profile__3\(.*_2_topics:topics/), '{ me { id } }']);
    expect(answers).toEqual([await run(ENTITIES, user('u2')), await run(OTHER_FRAGMENT, user('u2')), { data: { topics: [{ id: 't1' }, { id: 't2' }] } }, { data: { me: { id: 'u2' } } }]);
    expect(merging.stats()).toEqual({ merges: 1, mergedFetches: 3 });
    // A fetch of the next tick goes on its own.
    await merged.process(fetchOf(one, '{ me { id } }'));
    expect(requests).toHaveLength(3);
  });

  it('sends mutations and fetches of no operation as they came', async () => {
    const { source, requests } = subgraph();
    const merged = mergingFetches(SUBGRAPH_CEILINGS).wrap(source);
    const context = operation();
    await Promise.all([merged.process(fetchOf(context, 'mutation { me { id } }')), merged.process(fetchOf(context, 'mutation { me { name } }'))]);
    await merged.process({ kind: 'health check', request: { query: '{ __typename }' }, context: {} } as unknown as GraphQLDataSourceProcessOptions);
    expect(requests.map(({ query }) => query)).toEqual(['mutation { me { id } }', 'mutation { me { name } }', '{ __typename }']);
  });

  it('fails every part as the subgraph failed, when each alone would have failed the same way', async () => {
    const down = new GraphQLError('Сервис «profile» временно не отвечает.', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    const { source, requests } = subgraph(() => down);
    const merged = mergingFetches(SUBGRAPH_CEILINGS).wrap(source);
    const context = operation();
    const outcomes = await Promise.allSettled([merged.process(fetchOf(context, ENTITIES, user('u1'))), merged.process(fetchOf(context, '{ me { id } }'))]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(requests).toHaveLength(1);
  });

  it('asks each part alone when the merged request is refused for what it carries, or its answer has no data to split', async () => {
    // The subgraph refuses the variables of one part (a scalar it parses and the gateway does not).
    const { source, requests } = subgraph(({ query }) => (query.includes('_and_') ? new GraphQLError('Неверная дата', { extensions: { code: 'BAD_USER_INPUT' } }) : null));
    const merged = mergingFetches(SUBGRAPH_CEILINGS).wrap(source);
    const context = operation();
    const answers = await Promise.all([merged.process(fetchOf(context, ENTITIES, user('u2'))), merged.process(fetchOf(context, OTHER_FRAGMENT, user('u2')))]);
    expect(answers).toEqual([await run(ENTITIES, user('u2')), await run(OTHER_FRAGMENT, user('u2'))]);
    expect(requests).toHaveLength(3);

    const nulled = subgraph();
    const again = mergingFetches(SUBGRAPH_CEILINGS).wrap(nulled.source);
    const together = operation();
    const split = await Promise.all([again.process(fetchOf(together, '{ me { id } }')), again.process(fetchOf(together, '{ broken { id } }'))]);
    expect(split.map(withoutLocations)).toEqual([{ data: { me: { id: 'u2' } } }, withoutLocations(await run('{ broken { id } }'))]);
    expect(nulled.requests.map(({ query }) => query)).toEqual([expect.stringMatching(/_1_broken/), '{ me { id } }', '{ broken { id } }']);
  });
});
