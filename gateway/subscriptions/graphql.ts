import { createRequire } from 'node:module';

/**
 * The one copy of graphql-js the subscription path uses: the CommonJS build, which @apollo/gateway,
 * graphql-ws and graphql-sse load too. graphql-js checks `instanceof` across its own classes (and
 * graphql-ws tells errors from execution arguments that way), so an ESM copy under a bundler would
 * break it; lib/subscriptions.ts does the same.
 */
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, getOperationAST, getVariableValues, parse, print, specifiedRules, validate } = graphql;
export type GraphQLError = import('graphql').GraphQLError;
