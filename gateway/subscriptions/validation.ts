import type { DocumentNode, GraphQLSchema, ValidationRule } from 'graphql';
import { isProduction } from '../../lib/config.ts';
import { GraphQLError, NoSchemaIntrospectionCustomRule, specifiedRules, validate } from './graphql.ts';

/**
 * Validation of an operation on the subscription path: what Apollo Server applies to queries and
 * mutations, applied here because Apollo Server never sees a subscription (docs/subscriptions.md).
 *
 * - graphql-js's specified rules;
 * - no introspection in production (Apollo Server's `introspection: false`);
 * - no field suggestions in messages (ApolloServerPluginDisableSuggestions);
 * - `extraRules`: the gateway's own operation rules, the same list Apollo Server gets as
 *   `validationRules` (gateway/server.ts), so a limit added there (depth, cost…) holds for every
 *   operation whatever its transport.
 */
export type OperationValidator = (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];

export function operationValidator(extraRules: readonly ValidationRule[] = []): OperationValidator {
  const rules = [...specifiedRules, ...(isProduction() ? [NoSchemaIntrospectionCustomRule] : []), ...extraRules];
  return (schema, document) =>
    validate(schema, document, rules).map(
      (error) =>
        new GraphQLError(error.message.replace(/ ?Did you mean(.+?)\?$/, ''), {
          nodes: error.nodes,
          extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
    );
}
