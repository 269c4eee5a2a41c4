import { createHash } from 'node:crypto';
import { buildSchema, GraphQLError, parse } from 'graphql';
import type { GatewayCacheHint, GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { describe, expect, it } from 'vitest';
import { pendingRun } from '../test/pending.ts';
import { isShareableOperation, operationKey, sharedExecutor, sharingOperations } from './operation-dedup.ts';

const schema = buildSchema('type Query { me: String, topics: [String], generatePassword: String } type Mutation { markAllNotificationsRead: Int }');

describe('isShareableOperation', () => {
  const shareable = (source: string, operationName?: string) => isShareableOperation(parse(source), operationName, source);

  it('shares a query, whatever it is named', () => {
    expect(shareable('{ me }')).toBe(true);
    expect(shareable('query Dashboard { me }', 'Dashboard')).toBe(true);
    expect(shareable('query markAllNotificationsRead { me }')).toBe(true);
  });

  it('never shares a mutation, nor a subscription', () => {
    expect(shareable('mutation { markAllNotificationsRead }')).toBe(false);
    expect(shareable('mutation query { markAllNotificationsRead }')).toBe(false);
    expect(shareable('subscription { me }')).toBe(false);
  });

  it('in a document of several operations, judges the one operationName picks', () => {
    const document = 'query Read { me } mutation Mark { markAllNotificationsRead }';
    expect(shareable(document, 'Mark')).toBe(false);
    expect(shareable(document, 'Read')).toBe(true);
    // No name, or one the document does not have: Apollo Server refuses it before it runs; nothing to share.
    expect(shareable(document)).toBe(false);
    expect(shareable(document, 'Other')).toBe(false);
  });

  it('never shares a query of a suggested password, which is made for each caller', () => {
    expect(shareable('{ generatePassword }')).toBe(false);
    expect(shareable('query Registration { me suggestion: generatePassword }')).toBe(false);
  });
});

describe('operationKey', () => {
  it('keys on the schema, the caller, the document, the operation and its variables', () => {
    const key = operationKey(0, 'Bearer one', 'hash', 'Dashboard', { first: 10 });
    expect(operationKey(0, 'Bearer one', 'hash', 'Dashboard', { first: 10 })).toBe(key);
    expect(
      new Set([
        key,
        operationKey(1, 'Bearer one', 'hash', 'Dashboard', { first: 10 }),
        operationKey(0, 'Bearer two', 'hash', 'Dashboard', { first: 10 }),
        operationKey(0, undefined, 'hash', 'Dashboard', { first: 10 }),
        operationKey(0, 'Bearer one', 'other', 'Dashboard', { first: 10 }),
        operationKey(0, 'Bearer one', 'hash', 'Feed', { first: 10 }),
        operationKey(0, 'Bearer one', 'hash', 'Dashboard', { first: 11 }),
        operationKey(0, 'Bearer one', 'hash', 'Dashboard', undefined),
      ]).size,
    ).toBe(8);
  });

  it('makes anonymous callers one caller, apart from everyone signed in', () => {
    expect(operationKey(0, undefined, 'hash', null, undefined)).toBe(operationKey(0, null, 'hash', null, null));
  });
});

/** A cache policy as Apollo Server's: it only ever gets stricter. */
function cachePolicy() {
  const policy = {
    maxAge: undefined as number | undefined,
    scope: undefined as string | undefined,
    restrict(hint: GatewayCacheHint) {
      if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
      if (hint.scope !== undefined && policy.scope !== 'PRIVATE') policy.scope = hint.scope as string;
    },
  };
  return policy;
}

/** What Apollo Server hands the executor for one request. */
function requestFor(source: string, { authorization, variables, operationName }: { authorization?: string; variables?: Record<string, unknown>; operationName?: string } = {}) {
  return {
    schema,
    source,
    document: parse(source),
    queryHash: createHash('sha256').update(source).digest('hex'),
    request: { query: source, operationName, variables },
    context: { authorization },
    overallCachePolicy: cachePolicy(),
  } as unknown as GatewayGraphQLRequestContext & { overallCachePolicy: ReturnType<typeof cachePolicy> };
}

/** An inner executor whose executions answer when the test says so. */
function pendingExecutor() {
  const runs: { requestContext: GatewayGraphQLRequestContext; answer: ReturnType<typeof pendingRun<GatewayExecutionResult>> }[] = [];
  const executor = (requestContext: GatewayGraphQLRequestContext) => {
    const answer = pendingRun<GatewayExecutionResult>();
    runs.push({ requestContext, answer });
    return answer.run();
  };
  return { executor, runs };
}

describe('sharedExecutor', () => {
  it('executes identical queries of one caller in flight once; each gets the whole result, errors with their codes, as its own copy', async () => {
    const inner = pendingExecutor();
    const operations = sharingOperations();
    const execute = sharedExecutor(inner.executor, operations);
    const refused = new GraphQLError('Нет доступа', { path: ['me'], extensions: { code: 'FORBIDDEN' } });
    const results = Promise.all([1, 2, 3].map(() => execute(requestFor('{ me topics }', { authorization: 'Bearer anna' }))));
    inner.runs[0]!.answer.resolve({ data: { me: null, topics: ['ЖКХ'] }, errors: [refused] });
    const [first, second, third] = await results;

    expect(inner.runs).toHaveLength(1);
    expect([first, second, third]).toEqual(Array(3).fill({ data: { me: null, topics: ['ЖКХ'] }, errors: [refused] }));
    expect(new Set([first, second, third].map((result) => result!.data!.topics)).size).toBe(3);
    expect(second!.errors![0]).toBe(refused);
    expect(operations.stats()).toEqual({ ran: 1, joined: 2 });
  });

  it('gives a joined request the cache policy the subgraphs gave the one that executed', async () => {
    const inner = pendingExecutor();
    const execute = sharedExecutor(inner.executor, sharingOperations());
    const [leader, joiner] = [requestFor('{ topics }'), requestFor('{ topics }')];
    const results = Promise.all([execute(leader), execute(joiner)]);
    inner.runs[0]!.requestContext.overallCachePolicy.restrict({ maxAge: 30, scope: 'PUBLIC' });
    inner.runs[0]!.answer.resolve({ data: { topics: [] } });
    await results;
    expect([joiner.overallCachePolicy.maxAge, joiner.overallCachePolicy.scope]).toEqual([30, 'PUBLIC']);

    // One the subgraphs left uncacheable stays so for the joined one too.
    const [uncached, joined] = [requestFor('{ me }'), requestFor('{ me }')];
    const more = Promise.all([execute(uncached), execute(joined)]);
    inner.runs[1]!.answer.resolve({ data: { me: null } });
    await more;
    expect([joined.overallCachePolicy.maxAge, joined.overallCachePolicy.scope]).toEqual([undefined, undefined]);
  });

  it('never shares between callers, different variables, or mutations', async () => {
    const inner = pendingExecutor();
    const operations = sharingOperations();
    const execute = sharedExecutor(inner.executor, operations);
    const requests = [
      requestFor('query ($n: Int) { topics }', { authorization: 'Bearer anna', variables: { n: 1 } }),
      requestFor('query ($n: Int) { topics }', { authorization: 'Bearer boris', variables: { n: 1 } }),
      requestFor('query ($n: Int) { topics }', { variables: { n: 1 } }),
      requestFor('query ($n: Int) { topics }', { authorization: 'Bearer anna', variables: { n: 2 } }),
      requestFor('mutation { markAllNotificationsRead }', { authorization: 'Bearer anna' }),
      requestFor('mutation { markAllNotificationsRead }', { authorization: 'Bearer anna' }),
    ];
    const results = Promise.all(requests.map((request) => execute(request)));
    expect(inner.runs.map((run) => run.requestContext)).toEqual(requests);
    inner.runs.forEach((run, n) => run.answer.resolve({ data: { n } }));
    expect(await results).toEqual(requests.map((_, n) => ({ data: { n } })));
    expect(operations.stats()).toEqual({ ran: 4, joined: 0 });
  });
});
