import { badUserInput } from './errors.ts';

/** Relay-style connections (cursor pagination) shared by every growing list in the graph. */

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * The largest page of any list: the SDL declares it on each paginated field as
 * `@listSize(assumedSize: 100, slicingArguments: ["first"])`, which the gateway's cost reads and
 * holds to (lib/operation-limits.ts); test/schema.test.ts keeps the two equal.
 */
export const MAX_PAGE_SIZE = 100;

/** The refusal of a page size out of range: the same words from the gateway and from a subgraph. */
export const pageSizeMessage = (argument: string, max: number) => `Аргумент ${argument} должен быть целым числом от 0 до ${max}.`;

/** `first` checked against the list's limits: a client may not ask for unbounded pages. */
export function pageSize(first: number | null | undefined, { fallback = 20, max = MAX_PAGE_SIZE } = {}): number {
  if (first == null) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > max) throw badUserInput(pageSizeMessage('first', max));
  return first;
}

/** Cursors are opaque to clients: base64url of the sort key of the row they point at. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): (string | number)[] | null {
  if (cursor == null) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === arity && key.every((part) => ['string', 'number'].includes(typeof part))) {
      return key as (string | number)[];
    }
  } catch {
    // falls through to the error below
  }
  throw badUserInput('Некорректный курсор: возьмите его из pageInfo предыдущей страницы.');
}

/**
 * Builds a forward page from rows fetched with `limit first + 1`: the extra row only tells that
 * another page exists.
 */
export function forwardPage<T>(rows: T[], first: number, sortKey: (row: T) => readonly (string | number)[], hadCursor: boolean): { edges: Edge<T>[]; pageInfo: PageInfo } {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(sortKey(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Runs `load` at most once, on first call. A connection's fields resolve lazily with it, so a query
 * asking only for `totalCount` does not fetch the page, and one asking for both fetches it once.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= load());
}

/**
 * A connection as its resolver answers it: each field a function graphql-js calls only when the
 * query selects it. The mapper of every `…Connection` type (schema/codegen.ts).
 */
export interface LazyConnection<T> {
  edges: () => Promise<Edge<T>[]>;
  pageInfo: () => Promise<PageInfo>;
  totalCount: () => Promise<number>;
}

/**
 * A connection's fields, each loading only when the query asks for it: the page (`edges`,
 * `pageInfo`, fetched once for both) and `totalCount`.
 */
export function lazyConnection<T>(page: () => Promise<{ edges: Edge<T>[]; pageInfo: PageInfo }>, totalCount: () => Promise<number>): LazyConnection<T> {
  const once = lazy(page);
  return { edges: async () => (await once()).edges, pageInfo: async () => (await once()).pageInfo, totalCount: lazy(totalCount) };
}

/** Most lists sort by a timestamp and then the id; their cursors hold that pair. */
export interface TimeIdCursor {
  at: string;
  id: string;
}

export const timeIdKey = (at: Date, id: string): [string, string] => [at.toISOString(), id];

export function decodeTimeIdCursor(cursor: string | null | undefined): TimeIdCursor | null {
  const key = decodeCursor(cursor, 2);
  if (!key) return null;
  const [at, id] = key.map(String) as [string, string];
  if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) throw badUserInput('Некорректный курсор: возьмите его из pageInfo предыдущей страницы.');
  return { at, id };
}
