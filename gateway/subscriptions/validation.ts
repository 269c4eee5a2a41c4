import type { DocumentNode, GraphQLSchema, ValidationRule } from 'graphql';
import { isProduction } from '../../lib/config.ts';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate } from '../../lib/live/graphql.ts';
import { graphQLError } from '../../lib/errors.ts';

/**
 * Parsing and validation of an operation on the subscription path: what Apollo Server applies to
 * queries and mutations, applied here because Apollo Server never sees a subscription
 * (docs/subscriptions.md, "Limits").
 *
 * The gateway passes its own `prepareOperation` (lib/operation-limits.ts: the token limit while parsing,
 * graphql-js's rules, depth, cost, aliases and directives, no introspection in production, no field
 * suggestions), the very rules Apollo Server gets for queries. Without one, `preparer` does the same
 * with graphql-js's rules and the given `validationRules`.
 */
export type PreparedOperation = { document: DocumentNode; errors: readonly [] } | { document?: undefined; errors: readonly GraphQLError[] };
export type OperationPreparer = (schema: GraphQLSchema, input: DocumentNode | string) => PreparedOperation;
/** What a subscription is sent with besides its text. */
export interface SubscriptionRequest {
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
}
/** The checks that depend on the request's variables (the gateway's cost), after the document's own. */
export type RequestCheck = (schema: GraphQLSchema, document: DocumentNode, request: SubscriptionRequest) => readonly GraphQLError[];
/** A preparer of one request: the document's checks (shared by text), then the request's. */
export type RequestPreparer = (schema: GraphQLSchema, input: DocumentNode | string, request: SubscriptionRequest) => PreparedOperation;

export function preparer(validationRules: readonly ValidationRule[] = [], parseOptions: { maxTokens?: number } = {}): OperationPreparer {
  const rules = [...specifiedRules, ...(isProduction() ? [NoSchemaIntrospectionCustomRule] : []), ...validationRules];
  return (schema, input) => {
    let document: DocumentNode;
    try {
      document = typeof input === 'string' ? parse(input, parseOptions) : input;
    } catch (error) {
      return { errors: [graphQLError('GRAPHQL_PARSE_FAILED', (error as Error).message)] };
    }
    const errors = validate(schema, document, rules).map(
      (error) =>
        new GraphQLError(error.message.replace(/ ?Did you mean(.+?)\?$/, ''), {
          nodes: error.nodes,
          extensions: { ...error.extensions, code: error.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' },
        }),
    );
    return errors.length ? { errors } : { document, errors: [] };
  };
}

/** The document prepared (perhaps from what is shared), then the request checked with its variables: never shared. */
export function checkingRequests(prepare: OperationPreparer, check: RequestCheck | undefined): RequestPreparer {
  return (schema, input, request) => {
    const prepared = prepare(schema, input);
    const errors = prepared.document && check ? check(schema, prepared.document, request) : [];
    return errors.length ? { errors } : prepared;
  };
}

/**
 * Prepared documents shared by their text, per schema, as Apollo Server's document store does for
 * queries: thousands of subscriptions of the same operation hold one parsed document (each copy
 * about 5 KiB of tokens and locations) and it is validated once. Refusals are not kept; the least
 * recently used text goes first past `max`.
 */
export function sharingPreparedDocuments(prepare: OperationPreparer, max = 1_000): OperationPreparer {
  const bySchema = new WeakMap<GraphQLSchema, Map<string, PreparedOperation>>();
  return (schema, input) => {
    if (typeof input !== 'string') return prepare(schema, input);
    let known = bySchema.get(schema);
    if (!known) bySchema.set(schema, (known = new Map<string, PreparedOperation>()));
    const prepared = known.get(input) ?? prepare(schema, input);
    if (!prepared.document) return prepared;
    known.delete(input);
    known.set(input, prepared);
    if (known.size > max) known.delete(known.keys().next().value!);
    return prepared;
  };
}
