/**
 * A subgraph's resolver map, as its generated `Resolvers` type checks it against the SDL
 * (subgraphs/<name>/generated/schema-types.ts): type name → field resolvers, or a scalar.
 */
export type ResolverMap = { [typeName: string]: object | undefined };

/**
 * The row a foreign key names, for a non-null field: one missing is a broken database, not a null
 * to answer, and the field fails naming it (as graphql-js would fail it for the null, less clearly).
 */
export function referenced<Row>(row: Row | null | undefined, what: string): Row {
  if (row == null) throw new Error(`${what} is not stored`);
  return row;
}

/**
 * Joins resolver maps written in separate files (a subgraph's feed, its preferences, its
 * subscriptions) type by type. A field resolved in two of them is a mistake that would otherwise
 * silently keep only the last: it throws at start-up instead.
 */
export function mergeResolvers(...maps: ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      if (fields === undefined) continue;
      // A scalar (`GraphQLScalarType`) is taken whole.
      if (Object.getPrototypeOf(fields) !== Object.prototype) {
        if (typeName in merged) throw new Error(`${typeName} is resolved in two resolver maps`);
        merged[typeName] = fields;
        continue;
      }
      const into = (merged[typeName] ??= {}) as Record<string, unknown>;
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in into) throw new Error(`${typeName}.${field} is resolved in two resolver maps`);
        into[field] = resolver;
      }
    }
  }
  return merged;
}
