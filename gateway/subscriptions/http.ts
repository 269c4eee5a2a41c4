import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { refuseRequest } from '../../lib/http-errors.ts';
import { GATEWAY_CLOSE_REASONS, type ClientConnection, type ClientConnections, type StreamControl } from './connections.ts';

/** The caller's address of a request or a WebSocket upgrade (gateway/client-address.ts: X-Forwarded-For only from trusted proxies). */
export type ClientAddress = (request: IncomingMessage) => string | undefined;

/** A refusal before anything is streamed, as the gateway refuses a query: JSON with a GraphQL error. */
export const refuse = refuseRequest;

/**
 * The connection of an SSE or multipart subscription request: the caller's token verified (401
 * without one or with a bad one), counted against the person's connection limit and the rate
 * limits (429). Null when refused (the response is then already sent) or the client has gone.
 */
export async function openHttpConnection(req: Request, res: Response, connections: ClientConnections, control: StreamControl, clientAddress: ClientAddress): Promise<ClientConnection | null> {
  // The client may hang up at any moment, even while its token is being verified: its
  // subscription ends with the response (ClientConnection.close ends the streams it carries).
  let gone = false;
  let connection: ClientConnection | null = null;
  res.once('close', () => {
    gone = true;
    connection?.close();
  });
  const authenticated = await connections.authenticate(req.headers.authorization);
  if (!authenticated.ok) {
    if (authenticated.code === 'SERVICE_UNAVAILABLE') refuse(res, 503, authenticated.reason, authenticated.code);
    else refuse(res, 401, authenticated.reason === GATEWAY_CLOSE_REASONS.noToken ? GATEWAY_CLOSE_REASONS.noTokenHttp : authenticated.reason, authenticated.code);
    return null;
  }
  if (gone) return null;
  connection = connections.open(
    { viewer: authenticated.viewer, authorization: authenticated.authorization, clientAddress: clientAddress(req), userAgent: req.get('user-agent') },
    control,
  );
  if (!connection) {
    refuse(res, 429, GATEWAY_CLOSE_REASONS.tooManyConnections, 'TOO_MANY_CONNECTIONS');
    return null;
  }
  // One request, one subscription: counted like a query (429 and Retry-After over the limit).
  const refused = await connection.admit();
  if (refused) {
    connection.close();
    const { code, ...extensions } = refused.extensions as { code: string; retryAfterSeconds?: number };
    if (!res.headersSent) {
      if (extensions.retryAfterSeconds) res.set('retry-after', String(extensions.retryAfterSeconds));
      refuse(res, code === 'RATE_LIMITED' ? 429 : 503, refused.message, code, extensions);
    }
    return null;
  }
  return gone ? null : connection;
}
