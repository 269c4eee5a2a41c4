import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import { CloseCode, type Disposable } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import WebSocket, { WebSocketServer } from 'ws';
import type { TokenVerifier, Viewer } from './auth.ts';
import { isProduction } from './config.ts';
import { maskedError } from './errors.ts';
import { NOT_THE_GATEWAY, type Refusal } from './gateway-credential.ts';
import { logger } from './log.ts';
import { isSessionEndCode, SESSION_END_CLOSE_CODE, SESSION_END_MESSAGES, sessionEndCloseReason, type SessionEndCode, type SessionWatch } from './sessions.ts';

// graphql-js checks that a schema comes from its own copy of the module. The subgraph schema is
// built by @apollo/subgraph (CommonJS) and graphql-ws loads graphql as CommonJS too, so this file
// takes the same copy: an `import` would get `index.mjs` under vitest, a second copy of graphql.
const { createSourceEventStream, execute, getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate } =
  createRequire(import.meta.url)('graphql') as typeof import('graphql');
type GraphQLError = import('graphql').GraphQLError;

/** An error made by our own code (lib/errors.ts): it carries a stable code, whichever graphql copy made it. */
const codeOf = (error: unknown): string | undefined => {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, subprotocol `graphql-transport-ws`) on the same
 * HTTP server and path as a subgraph's queries. Apollo Server's plugins do not run here, so what
 * must hold for subscriptions is applied here: the caller's token at connection, masked internal
 * errors, no introspection in production, limits on messages and buffers.
 *
 * Close codes a client sees (besides graphql-ws's own protocol codes 4400, 4406, 4408, 4409, 4429):
 */
export const SUBSCRIPTION_CLOSE = {
  /** No token, a bad token, or the token expired while connected: sign in or refresh, then connect again. */
  UNAUTHORIZED: CloseCode.Unauthorized, // 4401
  /**
   * The client does not read fast enough: its buffer filled up. Connect again and resume (for the
   * feed: with the cursor of the last item received). graphql-ws clients retry this code.
   */
  SLOW_CONSUMER: 1013,
  /** Identity's keys are out of reach, so the token cannot be checked now: connect again later. graphql-ws clients retry this code. */
  TRY_AGAIN_LATER: 1013,
  /** The service is stopping. graphql-ws clients retry this code. */
  GOING_AWAY: 1001,
  /** `connection_init` named another caller than the upgrade the gateway's credential was checked on. */
  NOT_THE_GATEWAY: CloseCode.Forbidden, // 4403
} as const;

export const CLOSE_REASONS = {
  noToken: 'Нужен токен доступа: передайте authorization в connection_init.',
  expired: 'Срок действия токена истёк: подключитесь снова с новым токеном.',
  slowConsumer: 'Клиент не успевает принимать события: подключитесь снова.',
} as const;

/** A WebSocket close reason may hold at most 123 bytes of UTF-8: longer text is cut at a character. */
export function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

/** Why a token was refused, as a close reason: a session's end carries its code first (lib/sessions.ts). */
export function refusalReason(error: unknown): string {
  const code = codeOf(error);
  if (isSessionEndCode(code)) return sessionEndCloseReason(code);
  return code === 'UNAUTHENTICATED' ? (error as Error).message : 'Токен доступа недействителен. Войдите снова.';
}

/**
 * Ends a socket whose session ended: first an `error` message to each of its subscriptions, with
 * the code in `extensions` (what Apollo Client's GraphQLWsLink and graphql-ws clients hand to the
 * subscription as GraphQL errors), then a close with 4401 (not retried) and the coded reason, for
 * a client with no subscription open.
 */
export function endForSession(socket: { send(data: string): void; close(code: number, reason: string): void }, subscriptionIds: string[], code: SessionEndCode): void {
  const payload = [{ message: SESSION_END_MESSAGES[code], extensions: { code } }];
  for (const id of subscriptionIds) socket.send(JSON.stringify({ id, type: 'error', payload }));
  socket.close(SESSION_END_CLOSE_CODE, sessionEndCloseReason(code));
}

/** What a subscription may do to its connection: end it when the client cannot keep up. */
export interface SocketControl {
  close(code: number, reason: string): void;
}

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

/** The context every subscription's resolvers get: the service's own, plus control over its socket. */
export type SubscriptionContext<TContext> = TContext & { socket: SocketControl };

type ConnectionExtra = {
  viewer: Viewer;
  expiry: NodeJS.Timeout;
  unwatch?: () => void;
};

const ONLY_SUBSCRIPTIONS = 'По WebSocket принимаются только подписки: запросы и изменения отправляйте по HTTP (POST).';

/**
 * Serves subscriptions on `server`'s WebSocket upgrades at `path`; other upgrade paths get 404.
 * Returns how to stop: open sockets are closed with 1001, those that do not answer are cut.
 */
export function serveSubscriptions<TContext extends object>(server: Server, options: SubscriptionServerOptions<TContext>): () => Promise<void> {
  const {
    name,
    schema,
    verify,
    admit,
    path = '/graphql',
    keepAliveMs = 12_000,
    maxSubscriptionsPerConnection = 20,
    maxPayloadBytes = 64 * 1024,
    maxBufferedBytes = 1024 * 1024,
  } = options;
  const rules = isProduction() ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  /** Fresh contexts for each event, by the context of the subscription's source stream. */
  const freshContexts = new WeakMap<object, () => object>();

  const socketControl = (extra: Extra): SocketControl => ({
    close: (code, reason) => extra.socket.close(code, closeReason(reason)),
  });

  return attachWebSocketServer(server, path, maxPayloadBytes, (wss) => useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      isProd: isProduction(),
      schema,
      async onConnect(ctx) {
        const refuse = (reason: string) => {
          ctx.extra.socket.close(SUBSCRIPTION_CLOSE.UNAUTHORIZED, closeReason(reason));
          return false; // graphql-ws would close with 4403; the socket is already closing with 4401
        };
        const param = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const upgraded = ctx.extra.request.headers.authorization;
        const authorization = typeof param === 'string' && param ? param : upgraded;
        // The caller is the one the upgrade named (the gateway's credential was checked for them): connection_init names no other.
        if (upgraded && authorization !== upgraded) {
          ctx.extra.socket.close(SUBSCRIPTION_CLOSE.NOT_THE_GATEWAY, closeReason(NOT_THE_GATEWAY));
          return false;
        }
        if (!authorization) return refuse(CLOSE_REASONS.noToken);
        let viewer: Viewer | null;
        try {
          viewer = await verify(authorization);
        } catch (error) {
          if (codeOf(error) === 'SERVICE_UNAVAILABLE') {
            ctx.extra.socket.close(SUBSCRIPTION_CLOSE.TRY_AGAIN_LATER, closeReason((error as Error).message));
            return false;
          }
          return refuse(refusalReason(error));
        }
        if (!viewer) return refuse(CLOSE_REASONS.noToken);
        ctx.extra.viewer = viewer;
        // A socket gone during the checks gets no onClose: nothing may watch for it.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
        ctx.extra.unwatch = options.sessions?.watch(viewer, authorization, (code) => endForSession(ctx.extra.socket, Object.keys(ctx.subscriptions), code));
        // Authenticated at connection, for as long as the token lives: then the client reconnects with a new one.
        const exp = decodeJwt(authorization.trim().replace(/^Bearer\s+/i, '')).exp;
        if (exp) {
          const ms = Math.min(exp * 1000 - Date.now(), 2 ** 31 - 1);
          ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(SUBSCRIPTION_CLOSE.UNAUTHORIZED, closeReason(CLOSE_REASONS.expired)), Math.max(0, ms));
          ctx.extra.expiry.unref();
        }
        return true;
      },
      onClose(ctx) {
        clearTimeout(ctx.extra.expiry);
        ctx.extra.unwatch?.();
      },
      onSubscribe(ctx, _id, payload) {
        if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerConnection) {
          return [new GraphQLError(`Не больше ${maxSubscriptionsPerConnection} подписок на одно соединение.`, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError(String((error as Error)?.message ?? error))];
        }
        const errors = validate(schema, document, rules);
        if (errors.length) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') return [new GraphQLError(ONLY_SUBSCRIPTIONS, { extensions: { code: 'BAD_USER_INPUT' } })];
        const viewer = ctx.extra.viewer!;
        const socket = socketControl(ctx.extra);
        const fresh = (): object => Object.assign(options.context(viewer, ctx.extra.request), { socket });
        const contextValue = fresh();
        freshContexts.set(contextValue, fresh);
        return { schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null, contextValue };
      },
      subscribe: (args) => subscribeWithFreshContexts(args, freshContexts.get(args.contextValue as object) ?? (() => args.contextValue), name),
      onNext(ctx, _id, _payload, _args, result) {
        // The previous messages still sit in the socket's buffer: the client is not reading.
        if (ctx.extra.socket.bufferedAmount > maxBufferedBytes) {
          ctx.extra.socket.close(SUBSCRIPTION_CLOSE.SLOW_CONSUMER, closeReason(CLOSE_REASONS.slowConsumer));
        }
        return result.errors ? { ...result, errors: result.errors.map((error) => maskError(error as GraphQLError, name).toJSON()) } : undefined;
      },
    },
    wss,
    keepAliveMs,
  ), admit);
}

/**
 * A WebSocket server on `server`'s upgrades at `path` (other paths get 404, those `admit` refuses its
 * status and body), served by graphql-ws through `serve`. Its stop detaches it and cuts peers that
 * do not answer the close handshake within a second, so a stop never waits on them. Subgraphs and
 * the gateway both serve subscriptions on it.
 */
export function attachWebSocketServer(
  server: Server,
  path: string,
  maxPayloadBytes: number,
  serve: (wss: WebSocketServer) => Disposable,
  admit?: (request: IncomingMessage) => Refusal | null,
): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const refusal = admit?.(request);
    if (refusal) {
      const body = JSON.stringify(refusal.body);
      const status = `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8`;
      socket.end(`${status}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);
  const disposable = serve(wss);
  return async () => {
    server.off('upgrade', onUpgrade);
    const cut = setTimeout(() => wss.clients.forEach((client) => client.terminate()), 1_000);
    try {
      await disposable.dispose();
    } finally {
      clearTimeout(cut);
    }
  };
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

/** A resolver's own error (it has a code) goes out as it is; anything else is logged and masked (lib/errors.ts, maskedError). */
function maskError(error: GraphQLError, name: string): GraphQLError {
  if (!error.originalError || error.extensions?.code) return error;
  const { message, extensions, cause } = maskedError(error.originalError);
  logger(name).error({ err: cause }, 'subscription event failed, masked for the client');
  return new GraphQLError(message, { path: error.path, extensions });
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
        if (codeOf(error)) throw error;
        const { message, extensions, cause } = maskedError(error);
        logger(name).error({ err: cause }, 'subscription source failed, masked for the client');
        throw new GraphQLError(message, { extensions });
      }
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: await execute({ ...args, rootValue: step.value, contextValue: fresh() }) };
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

/**
 * A bounded queue of events for one subscription, read as an async iterator. `push` never waits:
 * when `limit` events are already waiting, the queue ends and calls `onOverflow` (which closes the
 * slow socket). `return()` ends it at once, even while a `next()` waits; `onEnd` runs once, however
 * it ends, so the producer can let go.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private reader: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private roomWaiters: (() => void)[] = [];
  private failure: { error: unknown } | null = null;
  private ended = false;

  constructor(private readonly options: { limit: number; onOverflow: () => void; onEnd?: () => void }) {}

  get done(): boolean {
    return this.ended;
  }

  /** Adds an event; false when the queue has ended (or has just overflowed and ended). */
  push(item: T): boolean {
    if (this.ended) return false;
    if (this.reader) {
      const { resolve } = this.reader;
      this.reader = null;
      resolve({ done: false, value: item });
      return true;
    }
    if (this.items.length >= this.options.limit) {
      this.end();
      this.options.onOverflow();
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** Resolves once `count` more events fit (or the queue ended): for a producer that can wait, such as a replay. */
  async roomFor(count: number): Promise<void> {
    while (!this.ended && this.items.length + count > this.options.limit) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Ends the stream: the reader gets `error` once what is queued has been dropped. */
  fail(error: unknown): void {
    if (this.ended) return;
    if (this.reader) {
      const { reject } = this.reader;
      this.reader = null;
      this.end();
      reject(error);
      return;
    }
    this.failure = { error };
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) {
      const value = this.items.shift() as T;
      this.roomWaiters.splice(0).forEach((resolve) => resolve());
      return Promise.resolve({ done: false, value });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.items.length = 0;
    this.roomWaiters.splice(0).forEach((resolve) => resolve());
    if (this.reader) {
      const { resolve } = this.reader;
      this.reader = null;
      resolve({ done: true, value: undefined });
    }
    this.options.onEnd?.();
  }
}
