import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import WebSocket from 'ws';
import type { TokenVerifier, Viewer } from './auth.ts';
import { isProduction } from './config.ts';
import type { Refusal } from './gateway-credential.ts';
import { LiveConnections, type LiveConnection } from './live/connection.ts';
import { createSourceEventStream, execute, getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate } from './live/graphql.ts';
import { serveGraphQLWs } from './live/graphql-ws.ts';
import { clientError, maskResult } from './live/stream.ts';
import type { SessionWatch } from './sessions.ts';
import { graphQLError } from './errors.ts';

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, subprotocol `graphql-transport-ws`) on the same
 * HTTP server and path as a subgraph's queries: the live core's graphql-ws adapter (lib/live/)
 * over the subgraph's own schema. Apollo Server's plugins do not run here, so what must hold for
 * subscriptions is applied by the core: the caller's token at connection and its expiry, the
 * session's end, limits on messages, buffers and subscriptions, masked internal errors; no
 * introspection in production. Close codes: `LIVE_ENDS` (lib/live/ends.ts).
 */

/** What a subscription may do to its connection: end it when the client cannot keep up (`LIVE_ENDS.slowConsumer`). */
export type SocketControl = Pick<LiveConnection, 'end'>;

export interface SubscriptionServerOptions<TContext> {
  /** The service, for logs. */
  name: string;
  /** The subgraph's schema (buildSubgraphSchema's): the same one that serves queries. */
  schema: GraphQLSchema;
  /** Verifies `Authorization: Bearer …`, as for queries. */
  verify: TokenVerifier;
  /** Tells when the session of a connection's token ends: its subscriptions end then (lib/sessions.ts). */
  sessions?: SessionWatch;
  /**
   * Builds a context for the verified caller: once for the subscription's source stream, then a
   * fresh one for every event it sends, so per-request DataLoaders never serve a stale row.
   */
  context: (viewer: Viewer, request: IncomingMessage) => TContext;
  /**
   * Refuses an upgrade before its handshake, from its headers (a subgraph: what does not carry the
   * gateway's credential for its caller, lib/gateway-credential.ts): no WebSocket, no message read.
   */
  admit?: (request: IncomingMessage) => Refusal | null;
  /** Default `/graphql`. */
  path?: string;
  /** Interval of WebSocket pings; a peer that does not answer one within it is dropped. Default 12 s. */
  keepAliveMs?: number;
  /** Subscriptions one connection may hold at once. Default 20. */
  maxSubscriptionsPerConnection?: number;
  /** Largest message a client may send. Default 64 KiB. */
  maxPayloadBytes?: number;
  /** Bytes waiting in a socket's send buffer beyond which it is closed as a slow consumer. Default 1 MiB. */
  maxBufferedBytes?: number;
}

/** The context every subscription's resolvers get: the service's own, plus control over its connection. */
export type SubscriptionContext<TContext> = TContext & { socket: SocketControl };

const ONLY_SUBSCRIPTIONS = 'По WebSocket принимаются только подписки: запросы и изменения отправляйте по HTTP (POST).';

/**
 * Serves subscriptions on `server`'s WebSocket upgrades at `path`; other upgrade paths get 404.
 * Returns how to stop: open sockets are closed with 1001, those that do not answer are cut.
 */
export function serveSubscriptions<TContext extends object>(server: Server, options: SubscriptionServerOptions<TContext>): () => Promise<void> {
  const { name, schema } = options;
  const rules = isProduction() ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  /** Fresh contexts for each event, by the context of the subscription's source stream. */
  const freshContexts = new WeakMap<object, () => object>();
  // The gateway holds the per-person limit; a subgraph's connections are the gateway's, per caller.
  const connections = new LiveConnections(options.verify, { sessions: options.sessions, maxSubscriptions: options.maxSubscriptionsPerConnection ?? 20 });

  return serveGraphQLWs(server, {
    connections,
    schema,
    path: options.path ?? '/graphql',
    keepAliveMs: options.keepAliveMs ?? 12_000,
    maxPayloadBytes: options.maxPayloadBytes ?? 64 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    admitUpgrade: options.admit,
    callerOfUpgradeOnly: true,
    caller: (authenticated) => authenticated,
    prepare(connection, payload, request) {
      let document;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [error instanceof GraphQLError ? error : new GraphQLError(String((error as Error)?.message ?? error))];
      }
      const errors = validate(schema, document, rules);
      if (errors.length) return errors;
      const operation = getOperationAST(document, payload.operationName);
      if (operation?.operation !== 'subscription') return [graphQLError('BAD_USER_INPUT', ONLY_SUBSCRIPTIONS)];
      const socket: SocketControl = { end: (end) => connection.end(end) };
      const fresh = (): object => Object.assign(options.context(connection.context.viewer, request), { socket });
      const contextValue = fresh();
      freshContexts.set(contextValue, fresh);
      return { schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null, contextValue };
    },
    subscribe: (args) => subscribeWithFreshContexts(args, freshContexts.get(args.contextValue as object) ?? (() => args.contextValue), name),
  });
}

/**
 * A `ws` client class for graphql-ws's `webSocketImpl` that puts `headers()` (made afresh for each
 * socket) on the upgrade: what a subgraph checks before its handshake. A browser cannot; a server can.
 */
export function webSocketWithHeaders(headers: () => Record<string, string>) {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: headers() });
    }
  };
}

/**
 * graphql-js's `subscribe`, except that every event executes with a fresh context, and a failure of
 * the source stream reaches the client masked.
 */
async function subscribeWithFreshContexts(args: ExecutionArgs, fresh: () => unknown, name: string): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(source))) return source as ExecutionResult;
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const close = async () => {
    await iterator.return?.();
  };
  // A plain iterator rather than an async generator: `return()` must end a pending `next()` at once,
  // or a closed socket would wait for the next event to let go of its subscription.
  const mapped: AsyncGenerator<ExecutionResult> = {
    async next() {
      let step: IteratorResult<unknown>;
      try {
        step = await iterator.next();
      } catch (error) {
        await close().catch(() => {});
        throw clientError(error, name);
      }
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: maskResult(await execute({ ...args, rootValue: step.value, contextValue: fresh() }), name) };
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
    async throw(error) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}
