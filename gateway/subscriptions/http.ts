import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { GraphQLErrorCode } from '../../lib/errors.ts';
import { refuseRequest } from '../../lib/http-errors.ts';
import type { LiveConnections, LiveTransport } from '../../lib/live/connection.ts';
import { endMessage, LIVE_ENDS, NO_TOKEN_OVER_HTTP, type LiveEnd } from '../../lib/live/ends.ts';
import type { ClientConnection, GatewayCaller } from './execute.ts';

/** The caller's address of a request or a WebSocket upgrade (gateway/client-address.ts: X-Forwarded-For only from trusted proxies). */
export type ClientAddress = (request: IncomingMessage) => string | undefined;

/** A refusal before anything is streamed, as the gateway refuses a query: JSON with a GraphQL error. */
export const refuse = refuseRequest;

/** An end said before anything is streamed: its HTTP status and the error of its code. */
const refuseWith = (res: Response, end: LiveEnd) => refuse(res, end.httpStatus ?? 503, end === LIVE_ENDS.noToken ? NO_TOKEN_OVER_HTTP : endMessage(end), end.errorCode);

/**
 * The live connection of an SSE or multipart subscription request (what the two HTTP adapters
 * share): the caller's token verified (401 without one or with a bad one), counted against the
 * person's connection limit and the rate limits (429). Null when refused (the response is then
 * already sent) or the client has gone.
 */
export async function openHttpConnection(req: Request, res: Response, connections: LiveConnections<GatewayCaller>, transport: LiveTransport, clientAddress: ClientAddress): Promise<ClientConnection | null> {
  // The client may hang up at any moment, even while its token is being verified: its
  // subscription ends with the response (LiveConnection.close ends the streams it carries).
  let gone = false;
  let connection: ClientConnection | null = null;
  res.once('close', () => {
    gone = true;
    connection?.close();
  });
  const authenticated = await connections.authenticate(req.headers.authorization);
  if (!authenticated.ok) {
    refuseWith(res, authenticated.end);
    return null;
  }
  if (gone) return null;
  connection = connections.open({ viewer: authenticated.viewer, authorization: authenticated.authorization, clientAddress: clientAddress(req), userAgent: req.get('user-agent') }, transport);
  if (!connection) {
    refuseWith(res, LIVE_ENDS.tooManyConnections);
    return null;
  }
  // One request, one subscription: counted like a query (429 and Retry-After over the limit).
  const refused = await connection.admit(1);
  if (refused) {
    connection.close();
    const { code, ...extensions } = refused.extensions as { code: GraphQLErrorCode; retryAfterSeconds?: number };
    if (!res.headersSent) {
      if (extensions.retryAfterSeconds) res.set('retry-after', String(extensions.retryAfterSeconds));
      refuse(res, code === 'RATE_LIMITED' ? 429 : 503, refused.message, code, extensions);
    }
    return null;
  }
  return gone ? null : connection;
}

/** The last error an SSE or multipart response ends with. */
export const endError = (end: LiveEnd) => ({ message: endMessage(end), extensions: { code: end.errorCode } });
