import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { describe, expect, it } from 'vitest';
import { batchingEntityFetches } from './entity-batches.ts';

const QUERY = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Appeal{status}}}';
const appeal = (id: string) => ({ __typename: 'Appeal', id });

/** An appeals subgraph that records each request and answers each representation by its id: `forbidden` ones with an error at their path. */
function appeals({ forbidden = [] as string[], fails = false } = {}) {
  const requests: { authorization: string; representations: { id: string }[] }[] = [];
  const source: GraphQLDataSource = {
    async process(options) {
      const representations = options.request.variables!.representations as { id: string }[];
      requests.push({ authorization: (options.context as { authorization: string }).authorization, representations });
      if (fails) throw Object.assign(new Error('appeals is down'), { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      return {
        data: { _entities: representations.map(({ id }) => (forbidden.includes(id) ? null : { status: `status of ${id}` })) },
        errors: representations.flatMap(({ id }, index) => (forbidden.includes(id) ? [{ message: 'Это обращение вам недоступно.', path: ['_entities', index], extensions: { code: 'FORBIDDEN' } }] : [])),
      } as GatewayGraphQLResponse;
    },
  };
  return { source, requests };
}

const fetchOf = (authorization: string, ...ids: string[]) =>
  ({ kind: 'incoming operation', request: { query: QUERY, variables: { representations: ids.map(appeal) } }, context: { authorization } }) as unknown as GraphQLDataSourceProcessOptions;

describe('batchingEntityFetches', () => {
  it('sends the entity fetches of one caller that start together as one, and gives each its own entities and errors', async () => {
    const subgraph = appeals({ forbidden: ['c'] });
    const batching = batchingEntityFetches('appeals', subgraph.source, 5);
    const answers = await Promise.all([batching.process(fetchOf('Bearer anna', 'a')), batching.process(fetchOf('Bearer anna', 'b', 'c')), batching.process(fetchOf('Bearer anna', 'd'))]);

    expect(subgraph.requests).toEqual([{ authorization: 'Bearer anna', representations: [appeal('a'), appeal('b'), appeal('c'), appeal('d')] }]);
    expect(answers).toEqual([
      { data: { _entities: [{ status: 'status of a' }] } },
      { data: { _entities: [{ status: 'status of b' }, null] }, errors: [{ message: 'Это обращение вам недоступно.', path: ['_entities', 1], extensions: { code: 'FORBIDDEN' } }] },
      { data: { _entities: [{ status: 'status of d' }] } },
    ]);
  });

  it('never batches fetches of different callers, and sends a fetch alone once the window has passed', async () => {
    const subgraph = appeals();
    const batching = batchingEntityFetches('appeals', subgraph.source, 5);
    await Promise.all([batching.process(fetchOf('Bearer anna', 'a')), batching.process(fetchOf('Bearer boris', 'b'))]);
    await batching.process(fetchOf('Bearer anna', 'c'));
    expect(subgraph.requests).toEqual([
      { authorization: 'Bearer anna', representations: [appeal('a')] },
      { authorization: 'Bearer boris', representations: [appeal('b')] },
      { authorization: 'Bearer anna', representations: [appeal('c')] },
    ]);
  });

  it('fails every fetch of a batch whose request failed', async () => {
    const batching = batchingEntityFetches('appeals', appeals({ fails: true }).source, 5);
    const outcomes = await Promise.allSettled([batching.process(fetchOf('Bearer anna', 'a')), batching.process(fetchOf('Bearer anna', 'b'))]);
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).message)).toEqual(['appeals is down', 'appeals is down']);
  });
});
