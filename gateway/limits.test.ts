import { readFileSync } from 'node:fs';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import { buildSchema, getIntrospectionQuery, parse, type GraphQLError, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaFile } from '../lib/schema.ts';
import { forApolloGateway } from './authorization.ts';
import { DEFAULT_OPERATION_LIMITS, operationLimits, supergraphListSizes, supergraphWeights } from '../lib/operation-limits.ts';
import { dashboard } from '../bench/queries.ts';

/** The gateway's API schema, built as @apollo/gateway builds it from the committed supergraph. */
const supergraphSdl = readFileSync(schemaFile('supergraph'), 'utf8');
const schema: GraphQLSchema = Supergraph.build(forApolloGateway(supergraphSdl)).apiSchema().toGraphQLJSSchema();
/** The list sizes and the weights the gateway reads from the same supergraph. */
const listSizes = supergraphListSizes(supergraphSdl);
const weights = supergraphWeights(supergraphSdl);

/** The cabinet dashboard: the feed with each item's appeal and its authority (depth 7). */
const DASHBOARD = '{ me { notifications { edges { node { appeal { authority { name } } } } } } }';

/** `me { appeals(first: 1) { edges { node { author { … { id } } } } } }`, `depth` fields deep counting `me` and the leaf; one appeal a level, so cheap. */
function deepSelection(depth: number): string {
  const levels = ['appeals(first: 1)', 'edges', 'node', 'author'];
  const leafOf: Record<string, string> = { 'appeals(first: 1)': 'totalCount', edges: 'cursor', node: 'id', author: 'id' };
  const chain = Array.from({ length: depth - 2 }, (_, i) => levels[i % levels.length]!);
  return `me { ${chain.map((field) => `${field} { `).join('')}${leafOf[chain.at(-1)!]}${' }'.repeat(chain.length)} }`;
}
/** One level over the limit, and cheap (no cost refusal with it). */
const DEEP = deepSelection(11);

/** A page of 100 feed items, a dozen fields each with its appeal and authority: the largest page a frontend shows. */
const FEED_PAGE = `{ me { notifications(first: 100) { edges { node { id title body createdAt isRead kind category link appeal { id number status authority { name } } } } } } }`;
/** The same page with each appeal's attachments (5 an appeal): cheap to write, expensive to run. */
const WIDE = FEED_PAGE.replace('status authority', 'status attachments { name } authority');
/** 100 feed items, each item's appeal's author's first `n` appeals: pages nested in pages. */
const nestedPages = (n: number) => `{ me { notifications(first: 100) { edges { node { appeal { author { appeals(first: ${n}) { edges { node { id } } } } } } } } } }`;

const dev = operationLimits({ introspection: true, listSizes, weights });
const production = operationLimits({ introspection: false, listSizes, weights });

/** A valid mutation of exactly `count` tokens (17 around a list of ids). */
const tokens = (count: number) => `mutation { markNotificationsRead(input: { ids: [${'1 '.repeat(count - 17)}] }) { __typename } }`;

const summary = (errors: GraphQLError[]) => errors.map((error) => ({ code: error.extensions.code, limit: error.extensions.limit }));

describe('operation limits (checkOperation) on the supergraph API schema', () => {
  it('uses the baselines with depth 10 for our graph', () => {
    expect(dev.config).toMatchObject({ maxDepth: 10, maxAliases: 15, maxDirectives: 50, maxTokens: 1000, maxCost: 5000 });
    expect(DEFAULT_OPERATION_LIMITS.maxDepth).toBe(10);
  });

  it('accepts the cabinet dashboard and the README query', () => {
    expect(dev.checkOperation(schema, DASHBOARD)).toEqual([]);
    expect(production.checkOperation(schema, DASHBOARD)).toEqual([]);
    const readme = '{ me { id level profile { lastName } documents { type } notifications(first: 5) { totalCount edges { node { title } } } appeals { edges { node { id status } } } } }';
    expect(production.checkOperation(schema, readme)).toEqual([]);
    // A feed page of 20 with the appeal of each item.
    const page = '{ me { notifications(first: 20) { totalCount edges { cursor node { id title body createdAt isRead appeal { id number status authority { name } } } } } } }';
    expect(production.checkOperation(schema, page)).toEqual([]);
  });

  it('refuses a query one level too deep, saying so in words', () => {
    expect(production.checkOperation(schema, `{ ${deepSelection(10)} }`)).toEqual([]);
    const [error, ...rest] = production.checkOperation(schema, `{ ${DEEP} }`);
    expect(rest).toEqual([]);
    expect(error!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', maximum: 10, found: 11 });
    expect(error!.message).toBe('Запрос слишком глубокий: вложенность полей 11, допускается не больше 10. Запросите вложенные данные отдельным запросом.');
    expect(error!.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it('counts fragment spreads and inline fragments as levels, so fragments hide no depth', () => {
    const viaFragments = `{ ...Root } fragment Root on Query { me { ... on User { appeals { edges { node { ...Author } } } } } }
      fragment Author on Appeal { author { appeals { edges { node { author { id } } } } } }`;
    expect(summary(production.checkOperation(schema, viaFragments))).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' }]);
  });

  it('refuses pages nested in pages by their cost: connections as wrappers make them no cheaper to run', () => {
    // Depth 10, within the depth limit: the cost alone refuses it.
    expect(production.checkOperation(schema, nestedPages(100)).map((error) => error.extensions)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maximum: 5000, found: 78080 }]);
  });

  it('counts a Relay connection’s `edges`, `pageInfo` and `node` as wrappers: no level, no weight unless `@cost` gives one', () => {
    // Found by shape, not by name alone: `PageConnection` has no edges with a `node`.
    const shapes = buildSchema(`
      type Query { items(first: Int): ItemConnection! pages(first: Int): PageConnection! }
      type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! }
      type ItemEdge { cursor: String! node: Item! }
      type PageInfo { hasNextPage: Boolean! }
      type Item { id: ID! }
      type PageConnection { edges: [Page!]! }
      type Page { id: ID! }`);
    const paged = { assumedSize: 100, slicingArguments: ['first'], sizedFields: ['edges'] };
    const cost = (query: string, weighed: [string, number][] = []) =>
      operationLimits({
        introspection: false,
        listSizes: new Map([
          ['Query.items', paged],
          ['Query.pages', paged],
        ]),
        weights: new Map(weighed),
        maxCost: 0,
      }).checkOperation(shapes, query)[0]?.extensions.found;
    // items 2 + 1.5 × (10 × id 1 + hasNextPage 1): one level below the connection, edges × 10 once.
    expect(cost('{ items(first: 10) { edges { node { id } } pageInfo { hasNextPage } } }')).toBe(19);
    // pages 2 + 1.5 × 10 × (a Page 2 + 1.5 × id 1).
    expect(cost('{ pages(first: 10) { edges { id } } }')).toBe(55);
    // items 2 + 1.5 × 10 × (node 3 + id 1).
    expect(cost('{ items(first: 10) { edges { node { id } } } }', [['ItemEdge.node', 3]])).toBe(62);
  });

  it('refuses a wide query by its cost', () => {
    const errors = production.checkOperation(schema, WIDE);
    expect(summary(errors)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }]);
    expect(errors[0]!.extensions.found).toBeGreaterThan(5000);
    expect(errors[0]!.message).toMatch(/^Запрос слишком сложный: стоимость \d+, допускается не больше 5000\./);
    // The same selection for 20 items is fine.
    expect(production.checkOperation(schema, WIDE.replace('first: 100', 'first: 20'))).toEqual([]);
  });

  // The figures of docs/security.md ("What screens cost"): what each screen of the demo client
  // costs, and the queries that stay refused. Before connections were wrappers (`edges`, `node`
  // two levels more than a plain list) the dashboard with 10 appeals cost 5,479 and the feed page
  // of 100 8,471, both refused; without the weights (`@cost(weight: 0)` on reference data) the
  // queue cost 5,280.
  it.each([
    [
      "the officials' queue of 50",
      `{ authorityAppeals(first: 50) { totalCount edges { node { id number status dueAt isOverdue topic { name parent { name } } authority { name } author { name { lastName firstName middleName } } } } pageInfo { hasNextPage endCursor } } }`,
      {},
      1263,
    ],
    ['the cabinet dashboard of bench/ (10 appeals)', dashboard().query, dashboard().variables, 2526],
    ["the README's first query", '{ me { id level profile { lastName } documents { type } notifications(first: 5) { totalCount edges { node { title } } } appeals { edges { node { id status } } } } }', {}, 173],
    ['a feed page of 20 with appeals', FEED_PAGE.replace('first: 100', 'first: 20'), {}, 658],
    ['a feed page of 100 with appeals', FEED_PAGE, {}, 3268],
    ['a feed page of 100 with appeals and their attachments (refused)', WIDE, {}, 9174],
    ['100 feed items with 100 appeals of each appeal’s author (refused)', nestedPages(100), {}, 78080],
  ])('costs %s as docs/security.md says', (_screen, query, variables, cost) => {
    const measuring = operationLimits({ introspection: false, listSizes, weights, maxCost: 0 });
    expect(measuring.checkOperation(schema, query, { variables })[0]?.extensions.found).toBe(cost);
    expect(production.checkOperation(schema, query, { variables }).length).toBe(cost > 5000 ? 1 : 0);
  });

  it('refuses 16 aliases of me and accepts 15', () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect(production.checkOperation(schema, aliases(15))).toEqual([]);
    const errors = production.checkOperation(schema, aliases(16));
    expect(errors.map((error) => error.extensions)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', maximum: 15, found: 16 }]);
    expect(errors[0]!.message).toBe('Слишком много псевдонимов полей (alias) в запросе: 16, допускается не больше 15.');
  });

  it('refuses more than 1,000 tokens while parsing, from a string or a parsed document', () => {
    expect(production.checkOperation(schema, tokens(1000))).toEqual([]);
    const heavy = tokens(1001);
    const errors = production.checkOperation(schema, heavy);
    expect(errors.map((error) => error.extensions)).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens', maximum: 1000 }]);
    expect(errors[0]!.message).toBe('Запрос слишком длинный: больше 1000 лексем. Разделите его на несколько запросов.');
    // A transport that parsed the text itself, without a limit, is refused all the same.
    expect(summary(production.checkOperation(schema, parse(heavy)))).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens' }]);
    expect(summary(production.checkOperation(schema, parse(heavy, { noLocation: true })))).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens' }]);
  });

  it('refuses more than 50 directives', () => {
    const directives = (pairs: number) => `{ me { ${'__typename @skip(if: false) @include(if: true) '.repeat(pairs)}} }`;
    expect(production.checkOperation(schema, directives(25))).toEqual([]);
    const errors = production.checkOperation(schema, directives(26));
    expect(errors.map((error) => error.extensions)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'directives', maximum: 50, found: 52 }]);
  });

  describe('`__schema` names bypass nothing (GHSA-hmfr-rx46-4jx2, GHSA-224p-v68g-5g8f)', () => {
    const shapes = {
      'an operation named __schema': `query __schema { ${DEEP} }`,
      'a fragment named __schema': `query Dashboard { ...__schema } fragment __schema on Query { ${DEEP} }`,
      'a field aliased __schema': `{ __schema: ${DEEP} }`,
      'a fragment named __schema beside real introspection': `{ __schema { queryType { name } } ...__schema } fragment __schema on Query { ${DEEP} }`,
    };
    const costly = {
      'an operation named __schema': `query __schema ${WIDE}`,
      'a fragment named __schema': `{ ...__schema } fragment __schema on Query ${WIDE}`,
    };

    for (const [limits, label] of [
      [dev, 'introspection on (development)'],
      [production, 'introspection off (production)'],
    ] as const) {
      describe(label, () => {
        for (const [shape, query] of Object.entries(shapes)) {
          it(`refuses a deep query in ${shape}`, () => {
            expect(summary(limits.checkOperation(schema, query))).toContainEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' });
          });
        }
        for (const [shape, query] of Object.entries(costly)) {
          it(`refuses a costly query in ${shape}`, () => {
            expect(summary(limits.checkOperation(schema, query))).toContainEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' });
          });
        }
      });
    }
  });

  describe('introspection', () => {
    it('in development: the standard introspection query passes (Sandbox), measured by graphql-js’s own introspection depth rule', () => {
      expect(dev.checkOperation(schema, getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }))).toEqual([]);
      const recursive = '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
      expect(dev.checkOperation(schema, recursive).map((error) => error.message)).toEqual([expect.stringMatching(/Maximum introspection depth exceeded/)]);
    });

    it('in development: introspection beside data is measured in full', () => {
      const mixed = `${getIntrospectionQuery().replace('__schema {', `${DEEP.replace('me', 'deep: me')} __schema {`)}`;
      expect(summary(dev.checkOperation(schema, mixed))).toEqual(expect.arrayContaining([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' }]));
    });

    it('in production: refused, as Apollo Server refuses it', () => {
      const errors = production.checkOperation(schema, '{ __schema { queryType { name } } }');
      expect(errors.map((error) => error.extensions)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', validationErrorCode: 'INTROSPECTION_DISABLED' }]);
      expect(errors[0]!.message).toMatch(/introspection is not allowed/);
    });
  });

  it('checks subscriptions the same way, and hands a transport the parsed document (prepareOperation)', () => {
    const live = 'subscription Feed { notificationAdded { cursor node { id title appeal { id status authority { name } } } } }';
    const prepared = production.prepareOperation(schema, live);
    expect(prepared.errors).toEqual([]);
    expect(prepared.document?.definitions[0]).toMatchObject({ kind: 'OperationDefinition', operation: 'subscription' });
    const deep = `subscription { appealStatusChanged { appeal { ${'author { appeals { edges { node { '.repeat(3)}id${' } } } }'.repeat(3)} } } }`; // depth 15
    const refused = production.prepareOperation(schema, deep);
    expect(refused.document).toBeUndefined();
    expect(summary(refused.errors)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' }]);
    expect(summary(production.prepareOperation(schema, tokens(1001)).errors)).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens' }]);
  });

  it('gives standard validation errors the code Apollo Server gives them, without field suggestions', () => {
    const errors = production.checkOperation(schema, '{ me { idd } }');
    expect(errors.map((error) => [error.extensions.code, error.message])).toEqual([['GRAPHQL_VALIDATION_FAILED', 'Cannot query field "idd" on type "User".']]);
    expect(summary(production.checkOperation(schema, '{ me { id '))).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', limit: undefined }]);
  });
});

describe('operation limits in Apollo Server (validationRules, parseOptions, plugins)', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    const limits = operationLimits({ introspection: false, listSizes, weights });
    server = new ApolloServer({
      schema,
      introspection: false,
      validationRules: limits.validationRules,
      parseOptions: limits.parseOptions,
      plugins: limits.plugins,
    });
    await server.start();
  });
  afterAll(() => server.stop());

  async function post(query: string) {
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
      context: async () => ({}),
    });
    const body = response.body.kind === 'complete' ? JSON.parse(response.body.string) : null;
    return { status: response.status ?? 200, body };
  }

  it('runs the dashboard', async () => {
    const { status, body } = await post(DASHBOARD);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: null } });
  });

  it.each([
    ['deep', `{ ${DEEP} }`, 'GRAPHQL_VALIDATION_FAILED', 'depth'],
    ['wide', WIDE, 'GRAPHQL_VALIDATION_FAILED', 'cost'],
    ['aliased', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`, 'GRAPHQL_VALIDATION_FAILED', 'aliases'],
    ['directive-heavy', `{ me { ${'__typename @skip(if: false) @include(if: true) '.repeat(26)}} }`, 'GRAPHQL_VALIDATION_FAILED', 'directives'],
    ['token-heavy', tokens(1001), 'GRAPHQL_PARSE_FAILED', 'tokens'],
    ['named __schema', `query __schema { ${DEEP} }`, 'GRAPHQL_VALIDATION_FAILED', 'depth'],
    ['fragment named __schema', `{ ...__schema } fragment __schema on Query { ${DEEP} }`, 'GRAPHQL_VALIDATION_FAILED', 'depth'],
  ])('refuses a %s query with HTTP 400, its code and a message in words', async (_label, query, code, limit) => {
    const { status, body } = await post(query);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^[А-Я][^.]+/), extensions: expect.objectContaining({ code, limit, maximum: expect.any(Number) }) })]);
  });

  it('hides field suggestions', async () => {
    const { status, body } = await post('{ me { idd } }');
    expect(status).toBe(400);
    expect(body.errors[0].message).toBe('Cannot query field "idd" on type "User".');
  });
});
