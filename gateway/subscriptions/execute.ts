import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { FormattedExecutionResult } from 'graphql-ws';
import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type GraphQLDataSourceProcessOptions, type ServiceMap } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Viewer } from '../../lib/auth.ts';
import { isSessionEndCode, sessionEndOfClose } from '../../lib/sessions.ts';
import { sessionStreamEnd, STREAM_ENDS, unauthorizedEnd, type ClientConnection } from './connections.ts';
import { getOperationAST, getVariableValues, GraphQLError, print } from './graphql.ts';
import type { SubscriptionPlan, SubscriptionPlanner } from './planner.ts';
import { batchingEntityFetches } from './entity-batches.ts';
import { replays, SharedExecutions, shareKey } from './shared-executions.ts';
import type { UpstreamFailure, UpstreamPool } from './upstream.ts';
import { logger } from '../../lib/log.ts';

const log = logger('gateway');

type OperationContext = ReturnType<typeof buildOperationContext>;

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

const INTERNAL = 'Внутренняя ошибка сервиса. Попробуйте позже.';
export const ONLY_SUBSCRIPTIONS = 'Здесь принимаются только подписки: запросы и изменения отправляйте обычным POST на /graphql.';

/**
 * The gateway's authorization of an operation (`@authenticated`, `@requiresScopes`), the same as for
 * queries: it may narrow the operation before planning, and puts its refusals into each result.
 */
export type OperationGuard = (
  schema: GraphQLSchema,
  document: DocumentNode,
  viewer: Viewer,
) => { document: DocumentNode; rootRefused: boolean; complete(result: ExecutionResult): ExecutionResult };

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

export interface SubscribeRequest {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
  connection: ClientConnection;
}

/** A planning failure as the client sees it: our own coded error as it is, anything else masked. */
const asError = (error: unknown): GraphQLError =>
  error instanceof GraphQLError ? error : new GraphQLError(INTERNAL, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });

type Item = { kind: 'event'; payload: FormattedExecutionResult<Record<string, unknown>, unknown> } | { kind: 'errors'; errors: readonly GraphQLError[] };

/**
 * The stream of one client subscription: upstream events wait in a bounded queue and are executed
 * one at a time as the transport reads. `return()` ends it at once, even while a `next()` waits, and
 * unsubscribes upstream; a queue that overflows ends the client's connection (slow consumer).
 */
export class FederatedStream implements AsyncGenerator<ExecutionResult, void, undefined> {
  private readonly items: Item[] = [];
  private reader: ((result: IteratorResult<ExecutionResult, void>) => void) | null = null;
  /** No more items will come: what is queued is still read. */
  private finishing = false;
  private ended = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly run: (payload: FormattedExecutionResult<Record<string, unknown>, unknown>) => Promise<ExecutionResult>,
    private readonly options: { limit: number; onOverflow(): void; onEnd(): void },
  ) {}

  /** Starts the upstream subscription; `subscribe` returns how to stop it. */
  start(subscribe: (stream: FederatedStream) => () => void): void {
    const unsubscribe = subscribe(this);
    if (this.ended) unsubscribe();
    else this.unsubscribe = unsubscribe;
  }

  /** An upstream event. */
  push(item: Item): void {
    if (this.ended || this.finishing) return;
    if (this.reader) {
      const resolve = this.reader;
      this.reader = null;
      void this.deliver(item).then(resolve);
      return;
    }
    if (this.items.length >= this.options.limit) {
      this.end();
      this.options.onOverflow();
      return;
    }
    this.items.push(item);
  }

  /** The upstream subscription completed: what is queued is still sent, then the stream ends. */
  finish(): void {
    if (this.ended) return;
    this.finishing = true;
    this.unsubscribe = null;
    if (!this.items.length) this.end();
  }

  /** Ends the stream now, dropping what is queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.items.length = 0;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    unsubscribe?.();
    if (this.reader) {
      const resolve = this.reader;
      this.reader = null;
      resolve({ done: true, value: undefined });
    }
    this.options.onEnd();
  }

  async next(): Promise<IteratorResult<ExecutionResult, void>> {
    const item = this.items.shift();
    if (item) {
      const result = await this.deliver(item);
      if (this.finishing && !this.items.length) this.end();
      return result;
    }
    if (this.ended || this.finishing) {
      this.end();
      return { done: true, value: undefined };
    }
    return new Promise((resolve) => (this.reader = resolve));
  }

  async return(): Promise<IteratorResult<ExecutionResult, void>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(): Promise<IteratorResult<ExecutionResult, void>> {
    this.end();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async deliver(item: Item): Promise<IteratorResult<ExecutionResult, void>> {
    if (item.kind === 'errors') {
      this.finishing = true;
      return { done: false, value: { errors: item.errors } };
    }
    return { done: false, value: await this.run(item.payload) };
  }
}

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
      const representations = (options.request.variables as { representations?: unknown[] } | undefined)?.representations;
      return {
        errors: Array.isArray(representations)
          ? representations.map((_, index) => ({ message, path: ['_entities', index], extensions }))
          : [{ message, extensions }],
      };
    }
  }
}

/** The primary fetch of one event: the event itself, as the owning subgraph sent it. */
const eventSource = (payload: FormattedExecutionResult<Record<string, unknown>, unknown>): GraphQLDataSource => ({
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
    if (!operation) return { errors: [new GraphQLError('Не удалось определить операцию: укажите operationName.', { extensions: { code: 'BAD_USER_INPUT' } })] };
    if (operation.operation !== 'subscription') return { errors: [new GraphQLError(ONLY_SUBSCRIPTIONS, { extensions: { code: 'BAD_USER_INPUT' } })] };

    let schemas;
    try {
      schemas = this.options.planner.schemas();
    } catch {
      return { errors: [new GraphQLError('Шлюз ещё загружает схему. Подключитесь снова через несколько секунд.', { extensions: { code: 'SERVICE_UNAVAILABLE' } })] };
    }
    const coerced = getVariableValues(schemas.schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } })) };

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
      planned = this.options.planner.plan(document, operation);
    } catch (error) {
      this.log('planning a subscription failed', error);
      return { errors: [asError(error)] };
    }

    const source = print(document);
    const operationName = operation.name?.value ?? null;
    const { authorization } = connection.context;
    const key = replays(operation, variables) ? null : shareKey(authorization, source, operationName, variables);
    const execution = this.shared.join(key, planned, () => ({
      execute: this.executor(planned, document, source, operation, variables, connection, complete),
      subscribe: (sink) => {
        const { primary } = planned;
        const primaryVariables = Object.fromEntries((primary.variableUsages ?? []).filter((name) => variables[name] !== undefined).map((name) => [name, variables[name]]));
        return this.options.upstream.subscribe(primary.serviceName, authorization, { query: primary.operation, variables: primaryVariables, operationName: primary.operationName }, sink);
      },
    }));
    const stream: FederatedStream = new FederatedStream(execution.run, {
      limit: this.options.queueLimit ?? 100,
      onOverflow: () => connection.end(STREAM_ENDS.slowConsumer),
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
      return { errors: [new GraphQLError(INTERNAL, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
    }
    return stream;
  }

  private upstreamFailed(failure: UpstreamFailure, stream: FederatedStream, connection: ClientConnection, service: string): void {
    // The subgraph saw the session end first: the whole connection ends with it, as the gateway's own check would end it.
    const sessionEnd = failure.kind === 'errors' ? failure.errors.map((error) => error.extensions?.code).find(isSessionEndCode) : sessionEndOfClose(failure.code, failure.reason);
    if (sessionEnd) {
      stream.end();
      connection.end(sessionStreamEnd(sessionEnd));
      return;
    }
    if (failure.kind === 'errors') {
      // The subgraph refused the operation: its errors go to the client as the subscription's last result.
      stream.push({ kind: 'errors', errors: failure.errors.map((error) => new GraphQLError(error.message, { path: error.path, extensions: { ...error.extensions, serviceName: service } })) });
      stream.finish();
      return;
    }
    stream.end();
    if (failure.code === 4401) connection.end(unauthorizedEnd(failure.reason));
    else {
      if (failure.code !== 1001) this.log(`the ${service} subscription connection closed (${failure.code} ${failure.reason})`);
      connection.end(STREAM_ENDS.upstreamLost);
    }
  }

  /** Runs the plan for one event of the primary subscription. */
  private executor(
    planned: SubscriptionPlan,
    document: DocumentNode,
    source: string,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    connection: ClientConnection,
    complete: (result: ExecutionResult) => ExecutionResult,
  ) {
    const operationName = operation.name?.value ?? null;
    const shared: ServiceMap = Object.fromEntries(planned.entityServices.map((name) => [name, this.entityDataSource(name)]));
    // The operation's fragments and definition over the schema: the same for every event until the schema changes.
    let operationContext: { schema: GraphQLSchema; context: OperationContext } | null = null;
    const operationContextOver = (schema: GraphQLSchema): OperationContext => {
      if (operationContext?.schema !== schema) operationContext = { schema, context: buildOperationContext({ schema, operationDocument: document, operationName: operationName ?? undefined }) };
      return operationContext.context;
    };
    return async (payload: FormattedExecutionResult<Record<string, unknown>, unknown>): Promise<ExecutionResult> => {
      if (payload.data == null) {
        // Nothing to build on: the subgraph's errors are the event.
        return complete({ errors: (payload.errors ?? [{ message: INTERNAL }]).map((error) => new GraphQLError(error.message, { path: error.path, extensions: { ...error.extensions, serviceName: planned.primary.serviceName } })) });
      }
      const { schema, supergraphSchema, apiSchema } = this.options.planner.schemas();
      const requestContext = {
        logger: log,
        request: { query: source, operationName: operationName ?? undefined, variables },
        context: connection.context,
        schema,
        schemaHash: '',
        document,
        source,
        operationName,
        operation,
        queryHash: '',
        metrics: {},
        cache: undefined,
        overallCachePolicy: undefined,
      } as unknown as GatewayGraphQLRequestContext;
      const serviceMap: ServiceMap = { ...shared, [planned.primary.serviceName]: eventSource(payload) };
      try {
        const result = await executeQueryPlan(planned.plan, serviceMap, requestContext, operationContextOver(schema), supergraphSchema, apiSchema);
        return complete(this.clientResult(result));
      } catch (error) {
        this.log('executing a subscription event failed', error);
        return complete({ data: null, errors: [new GraphQLError(INTERNAL, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
      }
    };
  }

  /** As Apollo Server formats a query's errors: a subgraph's and our own coded errors as they are, anything else masked. */
  private clientResult(result: { data?: Record<string, unknown> | null; errors?: readonly unknown[]; extensions?: Record<string, unknown> }): ExecutionResult {
    const errors = result.errors?.map((error) => {
      const { message, path, extensions } = error as { message?: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> };
      if (extensions?.serviceName || (typeof extensions?.code === 'string' && extensions.code !== 'INTERNAL_SERVER_ERROR')) {
        return new GraphQLError(message ?? INTERNAL, { path: path ?? undefined, extensions });
      }
      this.log('a subscription event failed', error);
      return new GraphQLError(INTERNAL, { path: path ?? undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    });
    return { data: result.data ?? null, ...(errors?.length ? { errors } : {}) };
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
