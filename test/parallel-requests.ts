import type { GraphQLResponse } from './graph.ts';

/**
 * What the tests of limits under parallel requests share (test/security/parallel-limits,
 * reauth-limits, enumeration): fire N at once, count what came back, and give each test a client
 * address and a phone of its own so the counts of one test never meet another's.
 */

/** `request(0)` … `request(n - 1)`, all at once. */
export const parallel = <T>(n: number, request: (index: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, index) => request(index)));

/** How many of each outcome, for exact assertions on a parallel batch. */
export const tally = (outcomes: string[]) => Object.fromEntries([...new Set(outcomes)].sort().map((name) => [name, outcomes.filter((o) => o === name).length]));

/** What came back: the GraphQL error's code, else the payload's first error code, else OK. */
export const outcome = (body: GraphQLResponse['body'], field: string): string => body.errors?.[0]?.extensions?.code ?? body.data?.[field]?.errors?.[0]?.code ?? 'OK';

/** A new client address on each call, as an `X-Forwarded-For` header (the graph must trust the test as its proxy). */
export function clientAddresses(prefix: string): () => { 'x-forwarded-for': string } {
  let sequence = 0;
  return () => ({ 'x-forwarded-for': `${prefix}.${++sequence}` });
}

/** A new phone number on each call, under `prefix` (`+7966`), distinct across test processes. */
export function uniquePhones(prefix: string): () => string {
  let sequence = 0;
  return () => `${prefix}${String(process.pid % 1000).padStart(3, '0')}${String(++sequence).padStart(4, '0')}`;
}
