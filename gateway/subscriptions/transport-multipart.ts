import type { NextFunction, Request, Response } from 'express';
import type { ExecutionResult } from 'graphql';
import type { LiveConnections } from '../../lib/live/connection.ts';
import { LIVE_ENDS, type LiveEnd } from '../../lib/live/ends.ts';
import type { FederatedStream, FederatedSubscriptions, GatewayCaller } from './execute.ts';
import { getOperationAST, parse } from '../../lib/live/graphql.ts';
import { endError, openHttpConnection, refuse, type ClientAddress } from './http.ts';
import { LOADING, type SubscriptionPlanner } from './planner.ts';
import type { RequestPreparer } from './validation.ts';

/**
 * Apollo's multipart HTTP subscriptions (what Apollo Client's `HttpLink` and Explorer use without a
 * WebSocket): a POST of the subscription with `Accept: multipart/mixed;subscriptionSpec="1.0"`
 * (Apollo Client sends `multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json`)
 * is answered with `Content-Type: multipart/mixed;boundary="graphql";subscriptionSpec="1.0"` and a
 * body of parts, each `Content-Type: application/json`:
 *
 * - `{}`: a heartbeat, at once and then every `heartbeatMs` (clients ignore it);
 * - `{"payload": {"data": …, "errors": […]}}`: an event (errors in it are not fatal);
 * - `{"payload": null, "errors": […]}`: the end of the stream for a transport reason (the token
 *   expired, a subgraph went away, the supergraph changed: a `LiveEnd` of the live core), after
 *   which the response ends.
 *
 * Each part is followed by the next boundary at once, so a client reads an event as soon as it is
 * sent. A subscription POSTed without that `Accept` is refused with 400 and a message naming the
 * transports (Apollo Server would fail it with 500).
 */
export interface MultipartTransportOptions {
  connections: LiveConnections<GatewayCaller>;
  subscriptions: FederatedSubscriptions;
  planner: SubscriptionPlanner;
  prepare: RequestPreparer;
  /** Apollo Server's parse options (the token limit), for telling a subscription from a query. */
  parseOptions: { maxTokens?: number };
  heartbeatMs: number;
  maxBufferedBytes: number;
  clientAddress: ClientAddress;
}

export const SUBSCRIPTION_TRANSPORTS = 'Подписки принимаются по WebSocket (graphql-ws, ws://…/graphql), по SSE (Accept: text/event-stream) или multipart HTTP (Accept: multipart/mixed;subscriptionSpec=1.0).';

export const acceptsMultipartSubscription = (accept: string | undefined): boolean => /multipart\/mixed/i.test(accept ?? '') && /subscriptionSpec\s*=\s*"?1\.0"?/i.test(accept ?? '');

const BOUNDARY = 'graphql';
const part = (json: string) => `\r\nContent-Type: application/json\r\n\r\n${json}\r\n--${BOUNDARY}`;

/** The subscription a request carries, or null when it carries a query or mutation (Apollo Server's). */
function subscriptionOf(req: Request, parseOptions: { maxTokens?: number }) {
  const params = (req.method === 'POST' ? req.body : req.query) as { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
  const query = params?.query;
  if (typeof query !== 'string' || !/\bsubscription\b/.test(query)) return null;
  let document;
  try {
    document = parse(query, parseOptions);
  } catch {
    return null; // Apollo Server reports it
  }
  const operationName = typeof params?.operationName === 'string' ? params.operationName : undefined;
  if (getOperationAST(document, operationName)?.operation !== 'subscription') return null;
  const variables = params?.variables && typeof params.variables === 'object' ? (params.variables as Record<string, unknown>) : undefined;
  return { document, operationName, variables };
}

export function multipartMiddleware(options: MultipartTransportOptions) {
  const { connections, subscriptions, planner, prepare, parseOptions, heartbeatMs, maxBufferedBytes } = options;

  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' && req.method !== 'GET') return next();
    const operation = subscriptionOf(req, parseOptions);
    if (!operation) return next();
    if (req.method !== 'POST' || !acceptsMultipartSubscription(req.headers.accept)) return refuse(res, 400, SUBSCRIPTION_TRANSPORTS, 'BAD_REQUEST');

    let stream: FederatedStream | null = null;
    let heartbeat: NodeJS.Timeout | null = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (heartbeat) clearInterval(heartbeat);
      if (res.headersSent && !res.writableEnded) res.end('--\r\n');
      void stream?.return();
    };
    const write = (json: string) => {
      if (finished || !res.writable) return;
      res.write(part(json));
      // Everything the client has not read yet waits in this buffer: past the limit the client is dropped.
      if (res.writableLength > maxBufferedBytes) connection?.end(LIVE_ENDS.slowConsumer);
    };
    const end = (liveEnd: LiveEnd) => {
      if (liveEnd.cut) {
        finished = true;
        if (heartbeat) clearInterval(heartbeat);
        res.destroy();
        void stream?.return();
        return;
      }
      write(JSON.stringify({ payload: null, errors: [endError(liveEnd)] }));
      finish();
    };
    const connection = await openHttpConnection(req, res, connections, { end }, options.clientAddress);
    if (!connection) return;
    res.once('close', finish);

    if (!planner.ready) return refuse(res, 503, LOADING, 'SERVICE_UNAVAILABLE');
    const schemas = planner.schemas();
    const { document, errors } = prepare(schemas.schema, operation.document, operation);
    if (!document) {
      res.status(400).json({ errors });
      return;
    }
    const result = subscriptions.subscribe({ ...operation, document, connection, schemas });

    res.writeHead(200, {
      'content-type': `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`,
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    res.write(`\r\n--${BOUNDARY}`);
    if (!(Symbol.asyncIterator in result)) {
      write(JSON.stringify({ payload: result as ExecutionResult }));
      return finish();
    }
    stream = result;
    write('{}');
    heartbeat = setInterval(() => write('{}'), heartbeatMs);
    try {
      for await (const event of result) {
        if (finished) break;
        write(JSON.stringify({ payload: event }));
      }
    } finally {
      finish();
    }
  };
}
