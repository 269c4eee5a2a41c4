import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { isProduction } from '../../lib/config.ts';
import { attachWebSocketServer, closeReason, endForSession, SUBSCRIPTION_CLOSE } from '../../lib/subscriptions.ts';
import { GATEWAY_CLOSE_REASONS, refusalCloseReason, STREAM_ENDS, type ClientConnection, type ClientConnections } from './connections.ts';
import { ONLY_SUBSCRIPTIONS, type FederatedSubscriptions } from './execute.ts';
import type { ClientAddress } from './http.ts';
import { getOperationAST, GraphQLError } from './graphql.ts';
import type { SubscriptionPlanner } from './planner.ts';
import type { RequestPreparer } from './validation.ts';

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's `/graphql`: what Apollo Client's
 * `GraphQLWsLink` and Apollo Explorer speak. The token is verified at `connection_init`; each
 * `subscribe` is validated like a query and executed by FederatedSubscriptions.
 */
export interface WsTransportOptions {
  connections: ClientConnections;
  subscriptions: FederatedSubscriptions;
  planner: SubscriptionPlanner;
  prepare: RequestPreparer;
  path: string;
  keepAliveMs: number;
  maxSubscriptionsPerConnection: number;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  clientAddress: ClientAddress;
}

type ConnectionExtra = { connection?: ClientConnection };

export function serveWebSocket(server: Server, options: WsTransportOptions): () => Promise<void> {
  const { connections, subscriptions, planner, prepare, path, keepAliveMs, maxSubscriptionsPerConnection, maxPayloadBytes, maxBufferedBytes } = options;
  return attachWebSocketServer(server, path, maxPayloadBytes, (wss) => useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      isProd: isProduction(),
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        const refuse = (code: number, reason: string) => {
          socket.close(code, closeReason(reason));
          return false; // graphql-ws would close with 4403; the socket is already closing with our code
        };
        const param = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const authorization = typeof param === 'string' && param ? param : ctx.extra.request.headers.authorization;
        const authenticated = await connections.authenticate(authorization);
        if (!authenticated.ok) {
          return authenticated.code === 'SERVICE_UNAVAILABLE'
            ? refuse(SUBSCRIPTION_CLOSE.TRY_AGAIN_LATER, authenticated.reason)
            : refuse(CloseCode.Unauthorized, refusalCloseReason(authenticated));
        }
        const request = ctx.extra.request;
        const connection = connections.open(
          {
            viewer: authenticated.viewer,
            authorization: authenticated.authorization,
            clientAddress: options.clientAddress(request),
            userAgent: request.headers['user-agent'],
          },
          { end: (end) => (end.session ? endForSession(socket, Object.keys(ctx.subscriptions), end.session) : socket.close(end.code, closeReason(end.reason))) },
        );
        if (!connection) return refuse(4429, GATEWAY_CLOSE_REASONS.tooManyConnections);
        // The socket may have gone while the token was being verified.
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
        if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerConnection) {
          return [new GraphQLError(`Не больше ${maxSubscriptionsPerConnection} подписок на одно соединение.`, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        const refused = await ctx.extra.connection!.admit();
        if (refused) return [refused];
        if (!planner.ready) return [new GraphQLError('Шлюз ещё загружает схему. Подключитесь снова через несколько секунд.', { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
        const { schema } = planner.schemas();
        const { document, errors } = prepare(schema, payload.query, payload);
        if (!document) return [...errors];
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          return [new GraphQLError(ONLY_SUBSCRIPTIONS, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        return { schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null, contextValue: ctx.extra };
      },
      subscribe: (args: ExecutionArgs) => {
        const { connection } = args.contextValue as ConnectionExtra;
        return subscriptions.subscribe({ document: args.document, operationName: args.operationName, variables: args.variableValues as Record<string, unknown> | null, connection: connection! });
      },
      onNext(ctx) {
        // Earlier messages still sit in the socket's buffer: the client is not reading.
        const socket = (ctx.extra as Extra & ConnectionExtra).socket;
        if (socket.bufferedAmount > maxBufferedBytes) ctx.extra.connection?.end(STREAM_ENDS.slowConsumer);
      },
    },
    wss,
    keepAliveMs,
  ));
}
