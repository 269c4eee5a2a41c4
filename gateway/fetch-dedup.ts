import type { GraphQLFormattedError } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayCachePolicy, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/**
 * Subgraph fetches the gateway collapses (docs/gateway.md, "Collapsed fetches"). @apollo/gateway
 * does neither: its plan sends one `_entities` representation per position (the same appeal
 * referenced by 96 feed items goes 96 times), and two identical fetches in flight go twice. Hive
 * Gateway does both; so do we, with these plain functions, which `collapsingFetches` applies to
 * each of the gateway's data sources (gateway/server.ts): every subgraph request, queries and
 * subscription events alike.
 */

/** A subgraph's answer as these functions see it: what the gateway merges into the client's answer. */
export interface SubgraphAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

// ── Duplicate representations ──────────────────────────────────────────────────────────────────

/** Representations of one `_entities` fetch with the repeats taken out, and where each one came from. */
export interface CollapsedRepresentations {
  /** Each distinct representation once, in the order it first appears. */
  unique: unknown[];
  /** For each original position, the index of its representation in `unique`. */
  positions: number[];
}

/**
 * The distinct representations of an `_entities` fetch, or null when none repeats (the fetch goes as
 * it is). Representations are compared by their JSON text: Apollo builds those of one fetch from the
 * same `@key`/`@requires` selection, so identical entities give identical text.
 */
export function collapseRepresentations(representations: unknown): CollapsedRepresentations | null {
  if (!Array.isArray(representations) || representations.length < 2) return null;
  const indexOf = new Map<string, number>();
  const unique: unknown[] = [];
  const positions = representations.map((representation) => {
    const key = JSON.stringify(representation);
    let index = indexOf.get(key);
    if (index === undefined) {
      index = unique.push(representation) - 1;
      indexOf.set(key, index);
    }
    return index;
  });
  return unique.length < representations.length ? { unique, positions } : null;
}

/**
 * The answer to the collapsed fetch, spread back over the original positions, as if every
 * representation had been sent: each position gets its entity (a copy of its own where one repeats,
 * since the gateway merges later fetches into each), and an error at `_entities.N…` is repeated at
 * every position that carried representation N, so Apollo puts it at each of those places in the
 * client's answer (it maps `_entities.N` to the N-th entity of the fetch). Other errors pass as they
 * are. An answer of the wrong length is left alone: Apollo refuses it as it would anyway.
 */
export function spreadEntities<T extends SubgraphAnswer>(answer: T, { unique, positions }: CollapsedRepresentations): T {
  const entities = answer.data?._entities;
  if (!Array.isArray(entities) || entities.length !== unique.length) return answer;
  const used = new Set<number>();
  const spread = positions.map((index) => {
    const entity: unknown = entities[index];
    if (!used.has(index)) {
      used.add(index);
      return entity;
    }
    return structuredClone(entity);
  });
  const positionsOf = (index: number) => positions.flatMap((at, position) => (at === index ? [position] : []));
  const errors = answer.errors?.flatMap((error) => {
    const [root, index, ...rest] = error.path ?? [];
    if (root !== '_entities' || typeof index !== 'number') return [error];
    return positionsOf(index).map((position) => ({ ...error, path: ['_entities', position, ...rest] }));
  });
  return { ...answer, data: { ...answer.data, _entities: spread }, ...(errors ? { errors } : {}) };
}

// ── Identical fetches in flight ────────────────────────────────────────────────────────────────

/**
 * What makes two subgraph requests the same one: the subgraph, the caller's `Authorization` (so
 * callers never share: each subgraph applies the caller's rights), the operation and its variables.
 * Taken before the gateway signs its credential, which differs per request (a fresh `jti`). The
 * caller's address and browser go along too, but only identity's mutations read them, and
 * mutations are never shared.
 */
export const fetchKey = (subgraph: string, authorization: string | undefined | null, query: string, variables: unknown): string => JSON.stringify([subgraph, authorization ?? '', query, variables ?? null]);

/**
 * Whether a subgraph operation may be shared: queries only (what Apollo's plan sends is `{ … }` or
 * `query …`), never a mutation, which must run as many times as it was asked for.
 */
export const isShareable = (query: string): boolean => /^\s*(?:\{|query\b)/.test(query);

export interface InFlightStats {
  /** Fetches that went to a subgraph. */
  sent: number;
  /** Fetches that waited for an identical one in flight instead of going themselves. */
  joined: number;
}

export interface InFlightFetches<T> {
  /**
   * `fetch()`'s answer; when a fetch of the same `key` is in flight, that one's answer instead
   * (`joined`), without calling `fetch`. Failures are shared the same way. Nothing is kept once a
   * fetch has answered: this is no cache, the next identical fetch goes again.
   */
  share(key: string, fetch: () => Promise<T>): Promise<{ value: T; joined: boolean }>;
  stats(): InFlightStats;
}

/**
 * Identical fetches in flight at the same moment share one. Each taker gets its own `copy` of the
 * answer (the gateway merges into what it gets), except the last, which gets the answer itself: a
 * fetch nobody joined costs no copy.
 */
export function inFlightFetches<T>(copy: (value: T) => T): InFlightFetches<T> {
  const inFlight = new Map<string, { answer: Promise<T>; takers: number }>();
  const stats: InFlightStats = { sent: 0, joined: 0 };
  return {
    async share(key, fetch) {
      let entry = inFlight.get(key);
      const joined = entry !== undefined;
      if (entry) {
        entry.takers++;
        stats.joined++;
      } else {
        // Removed before any taker resumes: a fetch that starts after this answer goes again.
        entry = { answer: fetch().finally(() => inFlight.delete(key)), takers: 1 };
        inFlight.set(key, entry);
        stats.sent++;
      }
      const value = await entry.answer;
      return { value: --entry.takers === 0 ? value : copy(value), joined };
    },
    stats: () => ({ ...stats }),
  };
}

/** A copy of a subgraph's answer for one more taker: its data, errors and extensions (not the HTTP response). */
export function copyAnswer<T extends SubgraphAnswer>({ data, errors, extensions }: T): T {
  return structuredClone({ ...(data !== undefined ? { data } : {}), ...(errors ? { errors } : {}), ...(extensions ? { extensions } : {}) }) as T;
}

// ── The gateway's data sources ─────────────────────────────────────────────────────────────────

/** A fetch of a client's operation, not a health check or a schema load (@apollo/gateway does not export its enum). */
export const isOperation = (options: GraphQLDataSourceProcessOptions): options is Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }> =>
  options.kind === ('incoming operation' as GraphQLDataSourceProcessOptions['kind']);

/**
 * A subgraph's data source that collapses what @apollo/gateway would send twice: repeated
 * `_entities` representations go once and the answer is spread back over every position; an
 * identical query of the same caller in flight is joined instead of sent. The key is taken here,
 * before the inner source's `willSendRequest` signs the request for the caller.
 */
export function collapsingFetches(subgraph: string, inner: GraphQLDataSource, inFlight: InFlightFetches<GatewayGraphQLResponse>): GraphQLDataSource {
  return {
    async process(options) {
      if (!isOperation(options)) return inner.process(options);
      const collapsed = collapseRepresentations(options.request.variables?.representations);
      const request = collapsed ? { ...options.request, variables: { ...options.request.variables, representations: collapsed.unique } } : options.request;
      const send = () => inner.process({ ...options, request });
      const query = request.query ?? '';
      let answer: GatewayGraphQLResponse;
      if (isShareable(query)) {
        const { authorization } = options.context as { authorization?: string };
        const shared = await inFlight.share(fetchKey(subgraph, authorization, query, request.variables), send);
        answer = shared.value;
        // The subgraph's cache-control restricted the cache policy of the request that sent it; one that joined stays uncacheable.
        // (The gateway interface types the policy `any`, to fit every Apollo Server; it is a GatewayCachePolicy.)
        if (shared.joined) (options.incomingRequestContext.overallCachePolicy as GatewayCachePolicy | undefined)?.restrict({ maxAge: 0 });
      } else answer = await send();
      return collapsed ? spreadEntities(answer, collapsed) : answer;
    },
  };
}
