import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import type { Disposable, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Viewer } from '../auth.ts';
import { isProduction } from '../config.ts';
import type { Refusal } from '../gateway-credential.ts';
import { SESSION_END_MESSAGES } from '../sessions.ts';
import type { LiveCaller, LiveConnection, LiveConnections } from './connection.ts';
import { closeReason, LIVE_ENDS, type LiveEnd } from './ends.ts';

/**
 * The graphql-ws adapter (`graphql-transport-ws`) of the live core, for the gateway's `/graphql`
 * and each subgraph's alike: it only translates. `connection_init` → `LiveConnections.authenticate`
 * and `open`; a `LiveEnd` → an `error` to each subscription for a session's end, then a close with
 * the end's code and reason; `subscribe` → `LiveConnection.admit`, then the service's `prepare`
 * and `subscribe`; a socket whose send buffer grows past `maxBufferedBytes` → the slow consumer's end.
 */
export interface GraphQLWsOptions<Caller extends LiveCaller> {
  connections: LiveConnections<Caller>;
  path: string;
  keepAliveMs: number;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  /** The schema graphql-ws validates against when `prepare` returns none (a subgraph's; the gateway's comes with each subscription). */
  schema?: GraphQLSchema;
  /** Refuses an upgrade before its handshake, from its headers (a subgraph: one without the gateway's credential). */
  admitUpgrade?: (request: IncomingMessage) => Refusal | null;
  /** A subgraph: `connection_init` may not name another caller than the upgrade's `Authorization` (4403). */
  callerOfUpgradeOnly?: boolean;
  /** The caller of a connection, from its verified token and its upgrade request. */
  caller(authenticated: { viewer: Viewer; authorization: string }, request: IncomingMessage): Caller;
  /** A `subscribe` message as the service executes it, or the errors that refuse it. */
  prepare(connection: LiveConnection<Caller>, payload: SubscribePayload, request: IncomingMessage): ExecutionArgs | readonly GraphQLError[];
  subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> | AsyncGenerator<ExecutionResult> | ExecutionResult;
}

type SocketExtra<Caller extends LiveCaller> = { connection?: LiveConnection<Caller> };

/**
 * How a graphql-ws socket says an end. A session's end first sends each subscription an `error`
 * with its code (what Apollo Client's GraphQLWsLink and graphql-ws clients hand to the subscription
 * as GraphQL errors), then closes with 4401 (not retried) and the coded reason, for a client with
 * no subscription open.
 */
export function endSocket(socket: { send(data: string): void; close(code: number, reason: string): void }, subscriptionIds: string[], end: LiveEnd): void {
  if (end.session) {
    const payload = [{ message: SESSION_END_MESSAGES[end.session], extensions: { code: end.session } }];
    for (const id of subscriptionIds) socket.send(JSON.stringify({ id, type: 'error', payload }));
  }
  socket.close(end.code, closeReason(end.reason));
}

/**
 * Serves graphql-ws on `server`'s upgrades at `path`; returns how to stop: graphql-ws closes the
 * sockets still open with 1001, and those that do not answer are cut.
 */
export function serveGraphQLWs<Caller extends LiveCaller>(server: Server, options: GraphQLWsOptions<Caller>): () => Promise<void> {
  const { connections, maxBufferedBytes } = options;
  return attachWebSocketServer(
    server,
    options.path,
    options.maxPayloadBytes,
    (wss) =>
      useServer<Record<string, unknown> | undefined, SocketExtra<Caller>>(
        {
          isProd: isProduction(),
          ...(options.schema ? { schema: options.schema } : {}),
          async onConnect(ctx) {
            const { socket, request } = ctx.extra;
            const refuse = (end: LiveEnd) => {
              socket.close(end.code, closeReason(end.reason));
              return false; // graphql-ws would close with 4403; the socket is already closing with our code
            };
            const param = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
            const upgraded = request.headers.authorization;
            const authorization = typeof param === 'string' && param ? param : upgraded;
            // The caller is the one the upgrade named (the gateway's credential was checked for them): connection_init names no other.
            if (options.callerOfUpgradeOnly && upgraded && authorization !== upgraded) return refuse(LIVE_ENDS.notTheGateway);
            const authenticated = await connections.authenticate(authorization);
            if (!authenticated.ok) return refuse(authenticated.end);
            const connection = connections.open(options.caller(authenticated, request), { end: (end) => endSocket(socket, Object.keys(ctx.subscriptions), end) });
            if (!connection) return refuse(LIVE_ENDS.tooManyConnections);
            // The socket may have gone while the token was being verified: it gets no onClose.
            if (socket.readyState !== socket.OPEN) {
              connection.close();
              return false;
            }
            ctx.extra.connection = connection;
            return true;
          },
          onClose(ctx) {
            ctx.extra.connection?.close();
          },
          async onSubscribe(ctx, _id, payload) {
            const connection = ctx.extra.connection!;
            // graphql-ws counts this one already.
            const refused = await connection.admit(Object.keys(ctx.subscriptions).length);
            if (refused) return [refused];
            const prepared = options.prepare(connection, payload, ctx.extra.request);
            return Array.isArray(prepared) ? prepared : (prepared as ExecutionArgs);
          },
          subscribe: (args: ExecutionArgs) => options.subscribe(args),
          onNext(ctx) {
            // Earlier messages still sit in the socket's buffer: the client is not reading.
            if (ctx.extra.socket.bufferedAmount > maxBufferedBytes) ctx.extra.connection?.end(LIVE_ENDS.slowConsumer);
          },
        },
        wss,
        options.keepAliveMs,
      ),
    options.admitUpgrade,
  );
}

/**
 * A WebSocket server on `server`'s upgrades at `path` (other paths get 404, those `admit` refuses its
 * status and body), served by graphql-ws through `serve`. Its stop detaches it and cuts peers that
 * do not answer the close handshake within a second, so a stop never waits on them.
 */
function attachWebSocketServer(server: Server, path: string, maxPayloadBytes: number, serve: (wss: WebSocketServer) => Disposable, admit?: (request: IncomingMessage) => Refusal | null): () => Promise<void> {
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
