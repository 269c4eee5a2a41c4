import { schemaLint } from './schema/lint/config.js';

/** The subgraphs' SDL; schema/supergraph.graphql is generated (`npm run compose`) and not linted. */
const SUBGRAPH_SCHEMAS = ['schema/identity.graphql', 'schema/profile.graphql', 'schema/notifications.graphql', 'schema/appeals.graphql'];

export default [
  { ignores: ['schema/supergraph.graphql', 'bench/node_modules/**'] },
  ...schemaLint(SUBGRAPH_SCHEMAS, {
    'schema/profile.graphql': ['User'],
    'schema/notifications.graphql': ['User', 'Appeal'],
    'schema/appeals.graphql': ['User'],
  }),
];
