import type { GraphQLFormattedError } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/**
 * Entity fetches of subscription events that start within `windowMs` of each other for the same
 * caller, subgraph and selection go as one `_entities` call carrying all their representations, and
 * each fetch gets its own slice of the answer (docs/subscriptions.md, "Efficiency"). Events of
 * several subscriptions of one person reach the gateway on separate upstream messages, a few
 * milliseconds apart: an identical fetch still in flight is joined anyway (gateway/fetch-dedup.ts),
 * but one that has already answered is not, and distinct entities never are. The gateway's data
 * source under this one then sends each repeated representation once. Fetches are batched per
 * caller only: the caller's token authorizes the fetch, and the subgraph applies that person's rights.
 */

interface Waiting {
  representations: unknown[];
  resolve(answer: GatewayGraphQLResponse): void;
  reject(error: unknown): void;
}

interface Batch {
  options: GraphQLDataSourceProcessOptions;
  waiting: Waiting[];
}

/**
 * The part of a batch's answer that belongs to the fetch whose representations start at `offset`:
 * its entities, the errors at its entities' paths (renumbered from 0), and errors without an
 * entity's path, which concern all. An answer with the wrong number of entities is left alone:
 * Apollo refuses it, as it would refuse it unbatched.
 */
export function sliceOfAnswer(answer: GatewayGraphQLResponse, offset: number, count: number, total: number): GatewayGraphQLResponse {
  const entities: unknown = answer.data?._entities;
  if (!Array.isArray(entities) || entities.length !== total) return answer;
  const errors: GraphQLFormattedError[] = [];
  for (const error of answer.errors ?? []) {
    const [root, index, ...rest] = error.path ?? [];
    if (root !== '_entities' || typeof index !== 'number') errors.push(error);
    else if (index >= offset && index < offset + count) errors.push({ ...error, path: ['_entities', index - offset, ...rest] });
  }
  return {
    data: { ...answer.data, _entities: entities.slice(offset, offset + count) },
    ...(errors.length ? { errors } : {}),
    ...(answer.extensions ? { extensions: answer.extensions } : {}),
  };
}

/** The representations of an `_entities` fetch; null for any other fetch. */
export const representationsOf = (options: GraphQLDataSourceProcessOptions): unknown[] | null => {
  const representations: unknown = options.request.variables?.representations;
  return Array.isArray(representations) ? representations : null;
};

export function batchingEntityFetches(subgraph: string, inner: GraphQLDataSource, windowMs: number): GraphQLDataSource {
  const open = new Map<string, Batch>();

  const send = async ({ options, waiting }: Batch) => {
    if (waiting.length === 1) {
      const [only] = waiting;
      return inner.process(options).then(only!.resolve, only!.reject);
    }
    const representations = waiting.flatMap((each) => each.representations);
    try {
      const answer = await inner.process({ ...options, request: { ...options.request, variables: { ...options.request.variables, representations } } });
      let offset = 0;
      for (const each of waiting) {
        each.resolve(sliceOfAnswer(answer, offset, each.representations.length, representations.length));
        offset += each.representations.length;
      }
    } catch (error) {
      for (const each of waiting) each.reject(error);
    }
  };

  return {
    process(options) {
      const representations = representationsOf(options);
      if (!representations || windowMs <= 0) return inner.process(options);
      const { representations: _, ...others } = options.request.variables ?? {};
      const { authorization } = options.context as { authorization?: string };
      const key = JSON.stringify([subgraph, authorization ?? '', options.request.query, others]);
      return new Promise<GatewayGraphQLResponse>((resolve, reject) => {
        const batch = open.get(key);
        if (batch) return void batch.waiting.push({ representations, resolve, reject });
        const opened: Batch = { options, waiting: [{ representations, resolve, reject }] };
        open.set(key, opened);
        setTimeout(() => {
          open.delete(key);
          void send(opened);
        }, windowMs);
      });
    },
  };
}
