import type { DocumentNode, ExecutionResult, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type GraphQLDataSourceProcessOptions, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse, GatewaySchemaHash } from '@apollo/server-gateway-interface';
import { createHash } from 'node:crypto';
import type { Viewer } from '../../lib/auth.ts';
import type { LiveCaller, LiveConnection } from '../../lib/live/connection.ts';
import { LIVE_ENDS, sessionEnd, unauthorized } from '../../lib/live/ends.ts';
import { clientError, LiveStream } from '../../lib/live/stream.ts';
import { isSessionEndCode, sessionEndOfClose } from '../../lib/sessions.ts';
import type { GatewayContext } from '../server.ts';
import { getOperationAST, getVariableValues, GraphQLError, print } from '../../lib/live/graphql.ts';
import type { PlanningSchemas, SubscriptionPlan, SubscriptionPlanner } from './planner.ts';
import { batchingEntityFetches, representationsOf } from './entity-batches.ts';
import { replays, SharedExecutions, shareKey } from './shared-executions.ts';
import type { UpstreamEvent, UpstreamFailure, UpstreamPool } from './upstream.ts';
import { logger } from '../../lib/log.ts';
import { graphQLError, INTERNAL_ERROR_MESSAGE } from '../../lib/errors.ts';

const log = logger('gateway');

/**
 * Execution of a federated subscription (docs/subscriptions.md, "Planning and execution"):
 *
 * 1. the operation is planned over the supergraph (a `Subscription` plan: `primary` and `rest`);
 * 2. `primary.operation` is subscribed to on the owning subgraph over graphql-ws, as the caller;
 * 3. for each event, `executeQueryPlan` runs `Sequence[primary, ...rest]` with a service map in
 *    which the primary's service returns that event and the others are the gateway's own data
 *    sources, so entity fields, aliases, fragments and variables come out as for a query, and the
 *    caller's `Authorization` goes to the entity subgraphs exactly as for a query.
 */

export const ONLY_SUBSCRIPTIONS = 'Здесь принимаются только подписки: запросы и изменения отправляйте обычным POST на /graphql.';

/**
 * The gateway's authorization of an operation (`@authenticated`, `@requiresScopes`), the same as for
 * queries: it may narrow the operation before planning, and puts its refusals into each result.
 */
export type OperationGuard = (schema: GraphQLSchema, document: DocumentNode, viewer: Viewer) => { document: DocumentNode; rootRefused: boolean; complete(result: ExecutionResult): ExecutionResult };

export interface FederatedSubscriptionsOptions {
  planner: SubscriptionPlanner;
  upstream: UpstreamPool;
  /** The gateway's data source for a subgraph (what `buildService` gives `@apollo/gateway`). */
  dataSource(name: string): GraphQLDataSource;
  guard?: OperationGuard;
  /** Events that may wait for one slow subscription before its client is dropped. Default 100. */
  queueLimit?: number;
  /** Entity fetches of one caller starting within this many milliseconds go as one (entity-batches.ts). Default 2; 0: each alone. */
  entityBatchMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** A gateway connection's caller: its request context, as a query's (who, the token, the address and browser). */
export type GatewayCaller = GatewayContext & LiveCaller;
export type ClientConnection = LiveConnection<GatewayCaller>;

export interface SubscribeRequest {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
  connection: ClientConnection;
  /** The supergraph the operation was validated with: planned and executed with it, event after event. */
  schemas: PlanningSchemas;
}

/**
 * The stream of one client subscription (lib/live/stream.ts): upstream events wait in its bounded
 * queue and run through the plan one at a time as the transport reads; one that overflows ends the
 * client's connection (slow consumer).
 */
export type FederatedStream = LiveStream<UpstreamEvent>;

/**
 * The request context `executeQueryPlan` gets for one event. Of it, executeQueryPlan reads
 * `logger`, `metrics` (traces stay off; it appends error paths to it, so each event has its own),
 * `request.variables`, and hands `context` and the whole object (`incomingRequestContext`) to the
 * data sources, which read `overallCachePolicy` (none: an event is never cached). The rest is what
 * Apollo Server's request pipeline fills in; given here their true values for this subscription
 * (its schema, document, text and hashes) and a cache that keeps nothing, since nothing on the
 * event path caches.
 */
function eventRequestContext(
  schemas: PlanningSchemas,
  document: DocumentNode,
  source: string,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  context: GatewayCaller,
): () => GatewayGraphQLRequestContext<GatewayCaller> {
  const operationName = operation.name?.value ?? null;
  const base = {
    logger: log,
    request: { query: source, ...(operationName ? { operationName } : {}), variables },
    context,
    schema: schemas.schema,
    // A branded string: Apollo Server brands its own hash the same way.
    schemaHash: schemas.hash as GatewaySchemaHash,
    document,
    source,
    operationName,
    operation,
    queryHash: createHash('sha256').update(source).digest('hex'),
    cache: NO_CACHE,
    overallCachePolicy: undefined,
  } satisfies Omit<GatewayGraphQLRequestContext<GatewayCaller>, 'metrics'>;
  return () => ({ ...base, metrics: {} });
}

const NO_CACHE: GatewayGraphQLRequestContext['cache'] = { get: async () => undefined, set: async () => {}, delete: async () => {} };

/**
 * A subgraph's response as the entity fetches of one event see it. A subgraph that fails answers
 * with an error at each entity's path instead, so the event still goes out, partial
 * (docs/subscriptions.md, "Efficiency"). Fetches of the same caller and selection that start
 * together go as one (entity-batches.ts), and identical ones in flight are joined by the gateway's
 * data sources (gateway/fetch-dedup.ts), for subscriptions as for queries.
 */
class EntityFetches {
  constructor(private readonly log: (message: string, error?: unknown) => void) {}

  wrap(name: string, inner: GraphQLDataSource): GraphQLDataSource {
    return { process: (options) => this.fetch(name, inner, options) };
  }

  private async fetch(name: string, inner: GraphQLDataSource, options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    try {
      const { data, errors, extensions } = await inner.process(options);
      return { ...(data !== undefined ? { data } : {}), ...(errors ? { errors } : {}), ...(extensions ? { extensions } : {}) };
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      const refused = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
      // SUBGRAPH_UNAVAILABLE: the data source has logged it already, with the subgraph's details.
      if (!refused && code !== 'SUBGRAPH_UNAVAILABLE') this.log(`subgraph ${name} failed during a subscription event`, error);
      const message = refused ? (error as Error).message : `Сервис «${name}» временно не отвечает: эти поля придут в следующих событиях.`;
      const extensions = { code: refused ? code : 'SUBGRAPH_UNAVAILABLE' };
      const representations = representationsOf(options);
      return {
        errors: representations ? representations.map((_, index) => ({ message, path: ['_entities', index], extensions })) : [{ message, extensions }],
      };
    }
  }
}

/** A subgraph's own errors, as the client sees them: as they are, with the subgraph's name (lib/live/stream.ts, clientError, leaves them unmasked). */
const fromSubgraph = (errors: readonly GraphQLFormattedError[], service: string): GraphQLError[] =>
  errors.map((error) => new GraphQLError(error.message, { path: error.path, extensions: { ...error.extensions, serviceName: service } }));

/** The primary fetch of one event: the event itself, as the owning subgraph sent it. */
const eventSource = (payload: UpstreamEvent): GraphQLDataSource => ({
  process: async () => ({ ...(payload.data !== undefined ? { data: payload.data } : {}), ...(payload.errors ? { errors: payload.errors } : {}) }) as GatewayGraphQLResponse,
});

export class FederatedSubscriptions {
  private readonly fetches: EntityFetches;
  private readonly dataSources = new Map<string, GraphQLDataSource>();
  private readonly streams = new Set<FederatedStream>();
  private readonly shared = new SharedExecutions();
  private readonly log: (message: string, error?: unknown) => void;

  constructor(private readonly options: FederatedSubscriptionsOptions) {
    this.log = options.log ?? ((message, error) => log.error({ err: error }, message));
    this.fetches = new EntityFetches(this.log);
  }

  stats() {
    return { streams: this.streams.size, shared: this.shared.stats(), upstream: this.options.upstream.stats() };
  }

  /**
   * Subscribes a client to a validated operation: a stream of results, or one result with the
   * errors that refuse it (variables, planning, authorization).
   */
  subscribe(request: SubscribeRequest): ExecutionResult | FederatedStream {
    const { connection } = request;
    const variables = request.variables ?? {};
    let { document } = request;
    let operation = getOperationAST(document, request.operationName);
    if (!operation) return { errors: [graphQLError('BAD_USER_INPUT', 'Не удалось определить операцию: укажите operationName.')] };
    if (operation.operation !== 'subscription') return { errors: [graphQLError('BAD_USER_INPUT', ONLY_SUBSCRIPTIONS)] };

    const { schemas } = request;
    // Validated with a supergraph the gateway has replaced meanwhile: subscribed again, it is validated with the new one.
    if (!this.options.planner.ready || schemas !== this.options.planner.schemas()) return { errors: [graphQLError(LIVE_ENDS.schemaChanged.errorCode, LIVE_ENDS.schemaChanged.reason)] };
    const coerced = getVariableValues(schemas.schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors.map((error) => graphQLError('BAD_USER_INPUT', error.message, { nodes: error.nodes })) };

    let complete = (result: ExecutionResult) => result;
    if (this.options.guard) {
      const guarded = this.options.guard(schemas.schema, document, connection.context.viewer);
      complete = guarded.complete;
      if (guarded.rootRefused) return complete({ data: {} });
      document = guarded.document;
      operation = getOperationAST(document, request.operationName)!;
    }

    let planned: SubscriptionPlan;
    try {
      planned = schemas.plan(document, operation);
    } catch (error) {
      // Our own coded refusal as it is; a planner's failure logged and masked.
      return { errors: [clientError(error, 'gateway')] };
    }

    const source = print(document);
    const operationName = operation.name?.value ?? null;
    const { authorization } = connection.context;
    const key = replays(operation, variables) ? null : shareKey(authorization, source, operationName, variables);
    const execution = this.shared.join(key, planned, () => ({
      execute: this.executor(planned, schemas, document, source, operation, variables, connection, complete),
      subscribe: (sink) => {
        const { primary } = planned;
        const primaryVariables = Object.fromEntries((primary.variableUsages ?? []).filter((name) => variables[name] !== undefined).map((name) => [name, variables[name]]));
        return this.options.upstream.subscribe(primary.serviceName, authorization, { query: primary.operation, variables: primaryVariables, operationName: primary.operationName }, sink);
      },
    }));
    const stream: FederatedStream = new LiveStream(execution.run, {
      limit: this.options.queueLimit ?? 100,
      onOverflow: () => connection.end(LIVE_ENDS.slowConsumer),
      onEnd: () => {
        this.streams.delete(stream);
        connection.untrack(stream);
      },
    });
    this.streams.add(stream);
    connection.track(stream);
    if (connection.isClosed) return stream;
    try {
      stream.start((target) =>
        execution.add({
          next: (payload) => target.push({ kind: 'event', payload }),
          complete: () => target.finish(),
          error: (failure) => this.upstreamFailed(failure, target, connection, planned.primary.serviceName),
        }),
      );
    } catch (error) {
      stream.end();
      this.log('subscribing upstream failed', error);
      return { errors: [graphQLError('INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE)] };
    }
    return stream;
  }

  private upstreamFailed(failure: UpstreamFailure, stream: FederatedStream, connection: ClientConnection, service: string): void {
    // The subgraph saw the session end first: the whole connection ends with it, as the gateway's own check would end it.
    const ended = failure.kind === 'errors' ? failure.errors.map((error) => error.extensions?.code).find(isSessionEndCode) : sessionEndOfClose(failure.code, failure.reason);
    if (ended) {
      stream.end();
      connection.end(sessionEnd(ended));
      return;
    }
    if (failure.kind === 'errors') {
      // The subgraph refused the operation: its errors go to the client as the subscription's last result.
      stream.push({ kind: 'errors', errors: fromSubgraph(failure.errors, service) });
      stream.finish();
      return;
    }
    stream.end();
    if (failure.code === 4401) connection.end(unauthorized(failure.reason));
    else {
      if (failure.code !== 1001) this.log(`the ${service} subscription connection closed (${failure.code} ${failure.reason})`);
      connection.end(LIVE_ENDS.upstreamLost);
    }
  }

  /** Runs the plan for one event of the primary subscription, over the supergraph it was planned with. */
  private executor(
    planned: SubscriptionPlan,
    schemas: PlanningSchemas,
    document: DocumentNode,
    source: string,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    connection: ClientConnection,
    complete: (result: ExecutionResult) => ExecutionResult,
  ) {
    const { schema, supergraphSchema, apiSchema } = schemas;
    const requestContext = eventRequestContext(schemas, document, source, operation, variables, connection.context);
    const operationName = operation.name?.value;
    const shared: ServiceMap = Object.fromEntries(planned.entityServices.map((name) => [name, this.entityDataSource(name)]));
    // The stream keeps the supergraph it was planned with, so the operation's context is built once.
    const operationContext = buildOperationContext({ schema, operationDocument: document, operationName });
    return async (payload: UpstreamEvent): Promise<ExecutionResult> => {
      if (payload.data == null) {
        // Nothing to build on: the subgraph's errors are the event.
        return complete({ errors: fromSubgraph(payload.errors ?? [{ message: INTERNAL_ERROR_MESSAGE }], planned.primary.serviceName) });
      }
      const serviceMap: ServiceMap = { ...shared, [planned.primary.serviceName]: eventSource(payload) };
      try {
        const { data, errors } = await executeQueryPlan(planned.plan, serviceMap, requestContext(), operationContext, supergraphSchema, apiSchema);
        // Errors are masked by the stream (lib/live/stream.ts, maskResult), as on every transport.
        return complete({ data: data ?? null, ...(errors?.length ? { errors } : {}) });
      } catch (error) {
        this.log('executing a subscription event failed', error);
        return complete({ data: null, errors: [graphQLError('INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE)] });
      }
    };
  }

  private entityDataSource(name: string): GraphQLDataSource {
    let source = this.dataSources.get(name);
    if (!source) {
      source = this.fetches.wrap(name, batchingEntityFetches(name, this.options.dataSource(name), this.options.entityBatchMs ?? 2));
      this.dataSources.set(name, source);
    }
    return source;
  }

  /** Ends every stream (the gateway is stopping). */
  endAll(): void {
    for (const stream of [...this.streams]) stream.end();
  }
}
