import type { NextFunction, Request, Response } from 'express';
import type { ExecutionResult } from 'graphql';
import { createHandler, type RequestParams } from 'graphql-sse';
import type { LiveConnections } from '../../lib/live/connection.ts';
import { LIVE_ENDS, type LiveEnd } from '../../lib/live/ends.ts';
import type { ClientConnection, FederatedSubscriptions, GatewayCaller } from './execute.ts';
import { LOADING, type SubscriptionPlanner } from './planner.ts';
import { endError, openHttpConnection, refuse, type ClientAddress } from './http.ts';
import type { RequestPreparer } from './validation.ts';
import { logger } from '../../lib/log.ts';
import { graphQLError, INTERNAL_ERROR_MESSAGE } from '../../lib/errors.ts';

/**
 * GraphQL over Server-Sent Events (graphql-sse's protocol, "distinct connections" mode: one
 * subscription per request) on the gateway's `/graphql`, for a request with
 * `Accept: text/event-stream`: a GET with `query`, `variables`, `operationName` in the URL (what a
 * browser's EventSource can send) or a POST with the JSON body. The token comes in the
 * `Authorization` header and is verified before anything is streamed (401 otherwise). An adapter of
 * the live core: a `LiveEnd` is a last `next` with its error, then `complete` (or a cut response).
 */
export interface SseTransportOptions {
  connections: LiveConnections<GatewayCaller>;
  subscriptions: FederatedSubscriptions;
  planner: SubscriptionPlanner;
  prepare: RequestPreparer;
  maxBufferedBytes: number;
  clientAddress: ClientAddress;
}

type SseContext = { connection: ClientConnection };

export const acceptsEventStream = (req: Request): boolean => (req.headers.accept ?? '').split(',').some((type) => type.trim().split(';')[0]!.trim().toLowerCase() === 'text/event-stream');

/** A result as graphql-sse takes it from `onSubscribe`: an object with `data`. */
const single = (result: ExecutionResult): ExecutionResult => ({ data: null, ...result });

const sseMessage = (event: 'next' | 'complete', data?: unknown) => `event: ${event}\ndata:${data === undefined ? '' : ` ${JSON.stringify(data)}`}\n\n`;

export function eventStreamMiddleware(options: SseTransportOptions) {
  const { connections, subscriptions, planner, prepare, maxBufferedBytes } = options;
  const handler = createHandler<Request, SseContext>({
    // Distinct connections only: no stream is reserved by a token (the "single connection" mode's PUT).
    authenticate: () => null,
    onSubscribe: (req, params: RequestParams) => {
      const { connection } = req.context;
      if (!planner.ready) return single({ errors: [graphQLError('SERVICE_UNAVAILABLE', LOADING)] });
      const schemas = planner.schemas();
      const { document, errors } = prepare(schemas.schema, params.query, { operationName: params.operationName, variables: params.variables });
      if (!document) return single({ errors });
      const result = subscriptions.subscribe({ document, operationName: params.operationName, variables: params.variables as Record<string, unknown> | undefined, connection, schemas });
      return Symbol.asyncIterator in result ? result : single(result);
    },
  });

  return async (req: Request, res: Response, next: NextFunction) => {
    if (!acceptsEventStream(req) || (req.method !== 'GET' && req.method !== 'POST')) return next();
    let body: AsyncGenerator<string, void, undefined> | null = null;
    const end = (liveEnd: LiveEnd) => {
      if (liveEnd.cut) res.destroy();
      else if (!res.writableEnded && res.headersSent) res.end(sseMessage('next', { errors: [endError(liveEnd)] }) + sseMessage('complete'));
      void body?.return();
    };
    const connection = await openHttpConnection(req, res, connections, { end }, options.clientAddress);
    if (!connection) return;
    try {
      const [response, init] = await handler({
        method: req.method,
        // The URL under /graphql: trusted documents (gateway/trusted-documents.ts) rewrite it to the manifest text.
        url: req.url,
        headers: {
          // graphql-sse expects exactly `text/event-stream`; a browser's EventSource may add more.
          get: (key: string) => (key.toLowerCase() === 'accept' ? 'text/event-stream' : (req.get(key) ?? null)),
        },
        body: (req.body as Record<string, unknown> | undefined) ?? null,
        raw: req,
        context: { connection },
      });
      if (!response || typeof response === 'string') {
        res.writeHead(init.status, init.statusText, init.headers).end(response ?? undefined);
        return;
      }
      body = response;
      res.writeHead(init.status, init.statusText, { ...init.headers, 'x-accel-buffering': 'no' });
      const stop = () => void response.return();
      res.once('close', stop);
      for await (const chunk of response) {
        if (!res.writable) break;
        res.write(chunk);
        // Everything the client has not read yet waits in this buffer: past the limit the client is dropped.
        if (res.writableLength > maxBufferedBytes) {
          connection.end(LIVE_ENDS.slowConsumer);
          break;
        }
      }
      res.off('close', stop);
      if (!res.writableEnded) res.end();
    } catch (error) {
      logger('gateway').error({ err: error }, 'SSE subscription failed');
      if (!res.headersSent) refuse(res, 500, INTERNAL_ERROR_MESSAGE, 'INTERNAL_SERVER_ERROR');
      else res.end();
    } finally {
      connection.close();
    }
  };
}
