import type { IncomingMessage, Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { ValidationRule } from 'graphql';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { TokenVerifier } from '../../lib/auth.ts';
import type { SessionWatch } from '../../lib/sessions.ts';
import { LiveConnections, type LiveAdmission } from '../../lib/live/connection.ts';
import { LIVE_ENDS } from '../../lib/live/ends.ts';
import type { ClientAddress } from './http.ts';
import { FederatedSubscriptions, type GatewayCaller, type OperationGuard } from './execute.ts';
import { SubscriptionPlanner } from './planner.ts';
import { multipartMiddleware } from './transport-multipart.ts';
import { eventStreamMiddleware } from './transport-sse.ts';
import { serveWebSocket } from './transport-ws.ts';
import { UpstreamPool, type UpstreamPoolOptions } from './upstream.ts';
import type { TrustedDocuments } from '../trusted-documents.ts';
import { checkingRequests, preparer, sharingPreparedDocuments, type OperationPreparer, type RequestCheck } from './validation.ts';

/**
 * Federated subscriptions at the gateway (docs/subscriptions.md): one execution path behind three
 * transports on the gateway's `/graphql` — graphql-ws (WebSocket upgrades), GraphQL over SSE
 * (`Accept: text/event-stream`) and Apollo's multipart HTTP subscriptions
 * (`Accept: multipart/mixed;subscriptionSpec=1.0`) — each an adapter of the live core (lib/live/:
 * connections, streams, ends). Queries and mutations stay with Apollo Server.
 */

export interface SubscriptionLimits {
  /** Subscriptions one graphql-ws connection may hold at once. Default 20. */
  maxSubscriptionsPerConnection: number;
  /** Subscription connections (graphql-ws sockets, SSE and multipart responses) one person may hold at once. Default 10. */
  maxConnectionsPerUser: number;
  /** graphql-ws: WebSocket pings this often; a client that does not answer within it is dropped. Default 12 s. */
  keepAliveMs: number;
  /** Multipart: a heartbeat part this often. Default 5 s. (SSE: graphql-sse's comment line every 12 s.) */
  heartbeatMs: number;
  /** graphql-ws: the largest message a client may send. Default 64 KiB. */
  maxPayloadBytes: number;
  /** Bytes waiting unread in a client's socket beyond which it is dropped as a slow consumer. Default 1 MiB. */
  maxBufferedBytes: number;
  /** Upstream events that may wait for one subscription beyond which its client is dropped. Default 100. */
  queueLimit: number;
  /** How long an upstream connection without subscriptions stays open. Default 1 s. */
  upstreamLingerMs: number;
  /** Subscriptions one upstream connection carries (the subgraphs' own limit). Default 20. */
  upstreamMaxSubscriptionsPerConnection: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = {
  maxSubscriptionsPerConnection: 20,
  maxConnectionsPerUser: 10,
  keepAliveMs: 12_000,
  heartbeatMs: 5_000,
  maxPayloadBytes: 64 * 1024,
  maxBufferedBytes: 1024 * 1024,
  queueLimit: 100,
  upstreamLingerMs: 1_000,
  upstreamMaxSubscriptionsPerConnection: 20,
};

export interface GatewaySubscriptionsOptions {
  /** The gateway whose supergraph is planned over: its `onSchemaLoadOrUpdate` rebuilds the planner. */
  gateway: Pick<GatewayInterface, 'onSchemaLoadOrUpdate'>;
  /** The token verifier of queries. */
  verify: TokenVerifier;
  /** Its session checks: a connection ends when its session does (lib/sessions.ts). */
  sessions?: SessionWatch;
  /** Counts a subscription against the caller's rate limits, as a query is counted; throws `RATE_LIMITED` over them. */
  admit?: LiveAdmission<GatewayCaller>;
  /** Each subgraph's WebSocket URL (not in the supergraph): `subgraphWsUrls`. */
  wsUrls: Record<string, string>;
  /** The gateway's data source of a subgraph, for entity fetches. */
  dataSource(name: string): GraphQLDataSource;
  /**
   * Parses and validates an operation as Apollo Server does for queries (the gateway's
   * `operationLimits().prepareOperation`: token limit, graphql-js's rules, depth, cost…).
   */
  prepareOperation?: OperationPreparer;
  /** Checks of a request with its variables after `prepareOperation` (the gateway's `operationLimits().checkRequest`: the cost). */
  checkRequest?: RequestCheck;
  /** Without `prepareOperation`: extra validation rules and parse options on top of graphql-js's. */
  validationRules?: readonly ValidationRule[];
  parseOptions?: { maxTokens?: number };
  /** The gateway's authorization of an operation, as for queries. */
  guard?: OperationGuard;
  limits?: Partial<SubscriptionLimits>;
  path?: string;
  /** More headers of the upstream WebSocket upgrade than the caller's token (UpstreamPoolOptions.headers). */
  upstreamHeaders?: UpstreamPoolOptions['headers'];
  /** The caller's address, as queries take it (gateway/client-address.ts); by default the connection's peer. */
  clientAddress?: ClientAddress;
  /** graphql-ws runs only these (gateway/trusted-documents.ts); SSE and multipart get them from /graphql's gate. Unset: any document. */
  trustedDocuments?: TrustedDocuments;
}

/**
 * Where the gateway reaches each subgraph's subscriptions: `<NAME>_WS_URL` (e.g.
 * `NOTIFICATIONS_WS_URL`), or else the subgraph's HTTP URL with `ws://` (`wss://` for `https://`).
 */
export function subgraphWsUrls(httpUrls: Record<string, string>, env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(httpUrls).map(([name, url]) => [name, env[`${name.toUpperCase()}_WS_URL`] ?? url.replace(/^http/i, 'ws')]));
}

export function createGatewaySubscriptions(options: GatewaySubscriptionsOptions) {
  const limits = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...options.limits };
  const planner = new SubscriptionPlanner();
  const upstream = new UpstreamPool({
    urls: options.wsUrls,
    lingerMs: limits.upstreamLingerMs,
    maxSubscriptionsPerConnection: limits.upstreamMaxSubscriptionsPerConnection,
    keepAliveMs: limits.keepAliveMs,
    headers: options.upstreamHeaders,
  });
  const connections = new LiveConnections<GatewayCaller>(options.verify, {
    sessions: options.sessions,
    admission: options.admit,
    maxConnectionsPerUser: limits.maxConnectionsPerUser,
    maxSubscriptions: limits.maxSubscriptionsPerConnection,
  });
  // A stream keeps the supergraph it was planned with; when another one comes, every stream ends
  // and its client subscribes again over the new one (LIVE_ENDS.schemaChanged), never mixing the two.
  options.gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    if (planner.update(coreSupergraphSdl, apiSchema)) connections.endAll(LIVE_ENDS.schemaChanged);
  });
  const subscriptions = new FederatedSubscriptions({ planner, upstream, dataSource: options.dataSource, guard: options.guard, queueLimit: limits.queueLimit });
  const prepare = checkingRequests(sharingPreparedDocuments(options.prepareOperation ?? preparer(options.validationRules, options.parseOptions)), options.checkRequest);
  const clientAddress = options.clientAddress ?? ((request: IncomingMessage) => request.socket.remoteAddress);
  const shared = { connections, subscriptions, planner, prepare, maxBufferedBytes: limits.maxBufferedBytes, clientAddress };
  const eventStream = eventStreamMiddleware(shared);
  const multipart = multipartMiddleware({ ...shared, parseOptions: options.parseOptions ?? {}, heartbeatMs: limits.heartbeatMs });

  const stop = async () => {
    connections.endAll(LIVE_ENDS.goingAway);
    subscriptions.endAll();
    await upstream.close();
  };

  return {
    /** Express middleware for `/graphql`, after CORS and the JSON body parser, before Apollo Server: SSE and multipart subscriptions. */
    http: (req: Request, res: Response, next: NextFunction) => {
      eventStream(req, res, (error?: unknown) => (error ? next(error) : void multipart(req, res, next).catch(next))).catch(next);
    },
    /**
     * Serves graphql-ws on the server's upgrades at `path`; returns how to close it: every client, on
     * each transport at once, is told to reconnect (graphql-ws 1001, SSE and multipart a last error).
     */
    attach(server: Server): () => Promise<void> {
      const detach = serveWebSocket(server, { ...shared, trustedDocuments: options.trustedDocuments, path: options.path ?? '/graphql', keepAliveMs: limits.keepAliveMs, maxPayloadBytes: limits.maxPayloadBytes });
      return async () => {
        connections.endAll(LIVE_ENDS.goingAway);
        await detach();
        await stop();
      };
    },
    /** Open client connections, subscription streams, shared executions and their subscribers, upstream connections and subscriptions. */
    stats: () => ({ connections: connections.count(), ...subscriptions.stats() }),
    /** Connections of one person. */
    connectionsOf: (userId: string) => connections.count(userId),
    stop,
  };
}

export type GatewaySubscriptions = ReturnType<typeof createGatewaySubscriptions>;
