import { createRequire } from 'node:module';

/**
 * The one copy of graphql-js every live stream uses, the gateway's and the subgraphs': the CommonJS
 * build, which @apollo/gateway, @apollo/subgraph (the subgraph schema), graphql-ws and graphql-sse
 * load too. graphql-js checks `instanceof` across its own classes (a schema from another copy is
 * refused, and graphql-ws tells errors from execution arguments that way); an `import` would get
 * `index.mjs` under vitest, a second copy.
 */
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const { createSourceEventStream, execute, GraphQLError, Kind, NoSchemaIntrospectionCustomRule, getOperationAST, getVariableValues, parse, print, specifiedRules, validate } = graphql;
export type GraphQLError = import('graphql').GraphQLError;
