import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

/**
 * Joins resolver maps written in separate files (a subgraph's feed, its preferences, its
 * subscriptions) type by type. A field resolved in two of them is a mistake that would otherwise
 * silently keep only the last: it throws at start-up instead.
 */
export function mergeResolvers<TContext>(...maps: GraphQLResolverMap<TContext>[]): GraphQLResolverMap<TContext> {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      // A scalar (`GraphQLScalarType`) is taken whole.
      if (Object.getPrototypeOf(fields) !== Object.prototype) {
        if (typeName in merged) throw new Error(`${typeName} is resolved in two resolver maps`);
        merged[typeName] = fields;
        continue;
      }
      const into = (merged[typeName] ??= {}) as Record<string, unknown>;
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (field in into) throw new Error(`${typeName}.${field} is resolved in two resolver maps`);
        into[field] = resolver;
      }
    }
  }
  return merged as GraphQLResolverMap<TContext>;
}
