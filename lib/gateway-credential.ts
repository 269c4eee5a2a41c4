import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { SubgraphName } from './config.ts';
import type { GraphQLErrorCode } from './errors.ts';

/**
 * Subgraphs accept only the gateway. Every request the gateway sends to a subgraph carries a
 * credential the gateway signs: short-lived, addressed to that subgraph, for one use (an operation,
 * a WebSocket upgrade, identity's session statuses), and bound to the caller's token and, for an
 * operation, to its text and the caller's address the gateway forwards (for the session statuses,
 * to the request's body, the tokens asked about), so a credential seen on the wire cannot carry
 * another person's token, another query, another address or other tokens, nor open a socket.
 * A subgraph refuses anything else, `_entities` and `_service` included.
 *
 * HS256 with a secret shared by the gateway and the subgraphs (GATEWAY_SECRET): the subgraphs trust
 * each other anyway; what must not reach them is a request that did not pass the gateway.
 *
 * A plain JWT (`{"alg":"HS256"}`, RFC 7519), signed and checked with node:crypto's HMAC at once
 * rather than through WebCrypto's asynchronous jobs: the gateway signs one for every subgraph
 * fetch, so this is on the path of every request (docs/gateway.md, "Performance").
 */

export const GATEWAY_CREDENTIAL_HEADER = 'x-gateway-credential';
/** The caller's address as the gateway decided it (gateway/client-address.ts), for identity's throttles and event log. */
export const CLIENT_ADDRESS_HEADER = 'x-client-address';
const ISSUER = 'epgu-gateway';
/** Long enough for a slow subgraph call, short enough that a captured credential is soon worthless. */
const LIFETIME_SECONDS = 60;

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest();
const base64url = (text: string) => Buffer.from(text).toString('base64url');
/** The only header the gateway writes, and so the only one accepted: no `alg` choice is left to the token. */
const HEADER = base64url(JSON.stringify({ alg: 'HS256' }));

/** What binds a credential to one operation: its text and variables as sent. */
export const operationDigest = (query: string, variables: unknown) => digest(`${query}\n${JSON.stringify(variables ?? {})}`);
/** What binds it to the caller: the `Authorization` header the gateway forwards (empty for anonymous). */
export const callerDigest = (authorization: string | undefined | null) => digest(authorization ?? '');

/**
 * What a credential may be used for, each checked where it is accepted: an operation at `/graphql`,
 * a subgraph's WebSocket upgrade, identity's `/session-statuses`. Neither of the last two carries an
 * operation, so without this a credential for one would pass at the others.
 */
export type CredentialUse = 'operation' | 'socket' | 'session-statuses';

/**
 * What the gateway signs for: an operation (the default use), with the address it forwards; a
 * caller's socket; or a body it sends on its own behalf (no caller's `Authorization`), bound whole.
 */
export type CredentialRequest = { subgraph: SubgraphName } & (
  | { use?: 'operation'; authorization: string | undefined | null; query: string; variables: unknown; clientAddress?: string | null }
  | { use: 'socket'; authorization: string | undefined | null }
  | { use: 'session-statuses'; body: string }
);

/** What binds a credential to a body as sent: its digest. */
const bodyDigest = digest;

export function signGatewayCredential(secret: string, request: CredentialRequest): string {
  const now = Math.floor(Date.now() / 1000);
  const bound =
    request.use === 'session-statuses'
      ? { tok: callerDigest(null), bdy: bodyDigest(request.body) }
      : request.use === 'socket'
        ? { tok: callerDigest(request.authorization) }
        : { tok: callerDigest(request.authorization), op: operationDigest(request.query, request.variables), adr: request.clientAddress ?? null };
  const claims = {
    use: request.use ?? 'operation',
    ...bound,
    iss: ISSUER,
    aud: request.subgraph,
    jti: randomUUID(),
    iat: now,
    exp: now + LIFETIME_SECONDS,
  };
  const signed = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signed}.${hmac(secret, signed).toString('base64url')}`;
}

/** The claims of a credential signed with `secret` and not expired, or null. */
function verifiedClaims(secret: string, credential: string): Record<string, unknown> | null {
  const [header, payload, signature, ...rest] = credential.split('.');
  if (header !== HEADER || payload === undefined || signature === undefined || rest.length) return null;
  const expected = Buffer.from(hmac(secret, `${header}.${payload}`).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return null;
    const { exp } = claims as { exp?: unknown };
    return typeof exp === 'number' && exp > Date.now() / 1000 ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Where and for whom a credential is presented: the `Authorization` and `X-Client-Address` it came with. */
interface Presented {
  subgraph: SubgraphName;
  use: CredentialUse;
  authorization: string | undefined | null;
  clientAddress: string | undefined | null;
}

/** The operation and body digests a credential covers, when it is the gateway's for this subgraph, use, caller and address; else why not. */
function checkCaller(secret: string, credential: string | undefined, expected: Presented): Covered | { problem: string } {
  if (!credential) return { problem: 'no gateway credential' };
  const payload = verifiedClaims(secret, credential);
  if (!payload || payload.iss !== ISSUER || payload.aud !== expected.subgraph) return { problem: 'invalid or expired gateway credential' };
  if (payload.use !== expected.use) return { problem: 'credential of another use' };
  if (payload.tok !== callerDigest(expected.authorization)) return { problem: 'credential of another caller' };
  // The address is refused, not just ignored, when it is not the signed one: the gateway writes both
  // from one value, so a mismatch is a replayed credential, and what the credential does not cover never runs.
  if ((payload.adr ?? null) !== (expected.clientAddress ?? null)) return { problem: 'credential of another client address' };
  return { operation: payload.op, body: payload.bdy };
}

interface Covered {
  operation: unknown;
  body: unknown;
}

const ANOTHER_OPERATION = 'credential of another operation';

/** Why a credential is refused, or null when it is the gateway's for this caller and operation. */
export function credentialProblem(
  secret: string,
  credential: string | undefined,
  expected: Omit<Presented, 'use' | 'clientAddress'> & Partial<Pick<Presented, 'use' | 'clientAddress'>> & { operation?: { query: string; variables: unknown } },
): string | null {
  const checked = checkCaller(secret, credential, { use: 'operation', clientAddress: null, ...expected });
  if ('problem' in checked) return checked.problem;
  if (expected.operation && checked.operation !== operationDigest(expected.operation.query, expected.operation.variables)) return ANOTHER_OPERATION;
  return null;
}

/**
 * A request refused at a subgraph's door: its HTTP status and a GraphQL-shaped body (a code and a
 * message a person reads). The same for HTTP requests and WebSocket upgrades.
 */
export interface Refusal {
  status: number;
  body: { errors: [{ message: string; extensions: { code: GraphQLErrorCode; reason?: string } }] };
}

const refusal = (status: number, code: GraphQLErrorCode, message: string, reason?: string): Refusal => ({
  status,
  body: { errors: [{ message, extensions: { code, ...(reason ? { reason } : {}) } }] },
});

export const NOT_THE_GATEWAY = 'Подграф принимает запросы только от шлюза.';

/**
 * The refusal of a request whose headers alone show it is not the gateway's for this subgraph and
 * caller (the `Authorization` it carries), or the operation digest its credential covers. Read
 * before anything of the body: an HTTP request, or a WebSocket upgrade before its handshake.
 */
function callerCheck(secret: string, subgraph: SubgraphName, use: CredentialUse, headers: IncomingHttpHeaders): Covered | { refusal: Refusal } {
  const credential = headers[GATEWAY_CREDENTIAL_HEADER];
  const clientAddress = headers[CLIENT_ADDRESS_HEADER];
  const checked = checkCaller(secret, typeof credential === 'string' ? credential : undefined, {
    subgraph,
    use,
    authorization: headers.authorization,
    // A repeated header is not one the gateway wrote: it matches no signed address.
    clientAddress: Array.isArray(clientAddress) ? clientAddress.join(',') : clientAddress,
  });
  return 'problem' in checked ? { refusal: refusal(403, 'FORBIDDEN', NOT_THE_GATEWAY, checked.problem) } : checked;
}

/** For a WebSocket upgrade to a subgraph: its refusal, or null when the gateway's credential for this caller is on it. */
export function upgradeRefusal(secret: string, subgraph: SubgraphName): (request: IncomingMessage) => Refusal | null {
  return (request) => {
    const checked = callerCheck(secret, subgraph, 'socket', request.headers);
    return 'refusal' in checked ? checked.refusal : null;
  };
}

const refuse = (res: Response, { status, body }: Refusal) => void res.status(status).json(body);

const ANOTHER_BODY = 'credential of another body';

/**
 * For a request the gateway sends on its own behalf (identity's session statuses): only the
 * gateway's credential for this use and no caller passes, checked from the headers before the body
 * is read; then a JSON body of at most `limitBytes` (413 `PAYLOAD_TOO_LARGE` above), exactly the one
 * the credential covers (403 otherwise: a captured credential carries no other tokens), parsed into
 * `req.body`.
 */
export function gatewaySignedBody(secret: string, subgraph: SubgraphName, use: CredentialUse, limitBytes: number): RequestHandler[] {
  const covered = new WeakMap<Request, unknown>();
  const readText = express.text({ type: 'application/json', limit: limitBytes });
  const tooLarge = refusal(413, 'PAYLOAD_TOO_LARGE', `Тело запроса больше ${limitBytes} байт.`);
  return [
    (req, res, next) => {
      const checked = callerCheck(secret, subgraph, use, req.headers);
      if ('refusal' in checked) return refuse(res, checked.refusal);
      if (!req.is('application/json')) return refuse(res, refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Тело запроса принимается только в формате application/json.'));
      covered.set(req, checked.body);
      next();
    },
    (req, res, next) =>
      readText(req, res, (error?: unknown) => {
        if (!error) return next();
        const { type } = error as { type?: unknown };
        refuse(res, type === 'entity.too.large' ? tooLarge : refusal(400, 'BAD_REQUEST', 'Тело запроса не прочитано.'));
      }),
    (req, res, next) => {
      const text: unknown = req.body;
      const notJson = refusal(400, 'BAD_REQUEST', 'Тело запроса — не JSON.');
      if (typeof text !== 'string') return refuse(res, notJson);
      if (covered.get(req) !== bodyDigest(text)) return refuse(res, refusal(403, 'FORBIDDEN', NOT_THE_GATEWAY, ANOTHER_BODY));
      try {
        req.body = JSON.parse(text) as unknown;
      } catch {
        return refuse(res, notJson);
      }
      next();
    },
  ];
}

/**
 * A subgraph's `/graphql` perimeter, in front of Apollo Server: the one way in is a POST of one
 * JSON operation that the gateway signed for this subgraph, caller and operation. Whatever else
 * could run an operation is refused before the body is parsed: any other method (a GET with a
 * query string), a missing, forged, expired or misaddressed credential, another caller's, any other
 * content type (multipart, text/plain, application/graphql). After parsing, a batch (an array) and
 * an operation the credential does not cover (another query or variables, a persisted-query hash
 * without its text) are refused too.
 */
export function gatewayPerimeter(secret: string, subgraph: SubgraphName): RequestHandler[] {
  const covered = new WeakMap<Request, unknown>();
  return [
    (req, res, next) => {
      if (req.method !== 'POST') {
        return refuse(res.set('allow', 'POST'), refusal(405, 'METHOD_NOT_ALLOWED', 'Подграф выполняет операции только по POST-запросу шлюза.'));
      }
      const checked = callerCheck(secret, subgraph, 'operation', req.headers);
      if ('refusal' in checked) return refuse(res, checked.refusal);
      if (!req.is('application/json')) return refuse(res, refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Подграф принимает операцию только в теле application/json.'));
      covered.set(req, checked.operation);
      next();
    },
    express.json({ limit: '1mb' }),
    (req, res, next) => {
      const body: unknown = req.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return refuse(res, refusal(400, 'BAD_REQUEST', 'Подграф принимает одну операцию в запросе (JSON-объект), не пакет операций.'));
      }
      const { query, variables } = body as { query?: unknown; variables?: unknown };
      if (typeof query !== 'string' || covered.get(req) !== operationDigest(query, variables)) {
        return refuse(res, refusal(403, 'FORBIDDEN', NOT_THE_GATEWAY, ANOTHER_OPERATION));
      }
      next();
    },
  ];
}
