import { getOperationAST, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { GatewayCacheHint, GatewayCachePolicy, GatewayExecutionResult, GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { wrappingExecutor } from './executor.ts';
import { asksForAFreshAnswer, copyAnswer, sharingInFlight, type InFlightSharing } from './in-flight.ts';

/**
 * Identical operations in flight run once (docs/gateway.md, "Identical operations in flight"): a
 * query of the same caller, text, operation and variables as one the gateway is executing waits
 * for that one's result instead of executing again. It sits at the executor, after Apollo Server
 * has verified the caller's token and session, parsed and validated the operation (its limits
 * included) and counted it against the rate limits: every request is checked and counted as its
 * own, and only the execution — planning, authorization's narrowing, the subgraph fetches — is
 * shared. GraphQL Yoga's `useInflightRequestDeduplication` (usable in Hive Gateway) shares at the
 * same point.
 */

/** A result as the executor shared it, with the cache policy its subgraphs' answers gave it. */
export interface SharedExecution {
  result: GatewayExecutionResult;
  cachePolicy: GatewayCacheHint;
}

const copyExecution = ({ result, cachePolicy }: SharedExecution): SharedExecution => ({ result: copyAnswer(result), cachePolicy });

/** In-flight operations, shared by every request of one gateway process. */
export const sharingOperations = (): InFlightSharing<SharedExecution> => sharingInFlight(copyExecution);

/**
 * Whether an operation may be shared: the one the request runs (by `operationName` in a document
 * of several, as Apollo Server picks it) is a query — a mutation runs as many times as it was asked
 * for, whatever its name — and asks for nothing that must answer anew on every call.
 */
export function isShareableOperation(document: DocumentNode, operationName: string | null | undefined, source: string): boolean {
  return getOperationAST(document, operationName)?.operation === 'query' && !asksForAFreshAnswer(source);
}

/**
 * What makes two requests the same operation: the schema they were validated against (a reload
 * starts afresh), the caller's `Authorization` — so callers never share, and everyone who does has
 * the same verified viewer, hence the same rights and the same narrowing; anonymous callers share
 * only with anonymous ones — the document's hash (of its text), the operation and the variables.
 */
export const operationKey = (schema: number, authorization: string | undefined | null, queryHash: string, operationName: string | null | undefined, variables: unknown): string =>
  JSON.stringify([schema, authorization ?? '', queryHash, operationName ?? null, variables ?? null]);

/** A number per schema the gateway has loaded, for the key. */
function schemaNumbers(): (schema: GraphQLSchema) => number {
  const numbers = new WeakMap<GraphQLSchema, number>();
  let next = 0;
  return (schema) => {
    let number = numbers.get(schema);
    if (number === undefined) numbers.set(schema, (number = next++));
    return number;
  };
}

/** An executor that shares identical operations in flight, then runs `inner` once for them all. */
export function sharedExecutor(inner: GatewayExecutor, operations: InFlightSharing<SharedExecution>): GatewayExecutor {
  const schemaNumber = schemaNumbers();
  return async (requestContext) => {
    const { document, request, source, schema, queryHash, context } = requestContext;
    if (!isShareableOperation(document, request.operationName, source)) return inner(requestContext);
    // The gateway interface types the policy `any`, to fit every Apollo Server; it is a GatewayCachePolicy.
    const policy = requestContext.overallCachePolicy as GatewayCachePolicy;
    const { authorization } = context as { authorization?: string };
    const key = operationKey(schemaNumber(schema), authorization, queryHash, request.operationName, request.variables);
    const { value, joined } = await operations.share(key, async () => {
      const result = await inner(requestContext);
      return { result, cachePolicy: { maxAge: policy.maxAge, scope: policy.scope as unknown } };
    });
    // The subgraphs' cache-control restricted the policy of the request that executed; one that joined gets the same.
    if (joined) policy.restrict(value.cachePolicy);
    return value.result;
  };
}

/** `gateway` with identical operations in flight shared (outside authorization, which the one executing applies for them all). */
export const sharingGateway = (gateway: GatewayInterface, operations: InFlightSharing<SharedExecution>): GatewayInterface => wrappingExecutor(gateway, (inner) => sharedExecutor(inner, operations));
