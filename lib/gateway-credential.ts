import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { SubgraphName } from './config.ts';

/**
 * Subgraphs accept only the gateway. Every request the gateway sends to a subgraph carries a
 * credential the gateway signs: short-lived, addressed to that subgraph, and bound to the caller's
 * token and to the operation, so a credential seen on the wire cannot carry another person's token or
 * another query. A subgraph refuses anything else, `_entities` and `_service` included.
 *
 * HS256 with a secret shared by the gateway and the subgraphs (GATEWAY_SECRET): the subgraphs trust
 * each other anyway; what must not reach them is a request that did not pass the gateway.
 *
 * A plain JWT (`{"alg":"HS256"}`, RFC 7519), signed and checked with node:crypto's HMAC at once
 * rather than through WebCrypto's asynchronous jobs: the gateway signs one for every subgraph
 * fetch, so this is on the path of every request (docs/gateway.md, "Performance").
 */

export const GATEWAY_CREDENTIAL_HEADER = 'x-gateway-credential';
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

export function signGatewayCredential(
  secret: string,
  request: { subgraph: SubgraphName; authorization: string | undefined | null; query: string; variables: unknown },
): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    tok: callerDigest(request.authorization),
    op: operationDigest(request.query, request.variables),
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

/** Why a credential is refused, or null when it is the gateway's for this caller and operation. */
export function credentialProblem(
  secret: string,
  credential: string | undefined,
  expected: { subgraph: SubgraphName; authorization: string | undefined | null; operation?: { query: string; variables: unknown } },
): string | null {
  if (!credential) return 'no gateway credential';
  const payload = verifiedClaims(secret, credential);
  if (!payload || payload.iss !== ISSUER || payload.aud !== expected.subgraph) return 'invalid or expired gateway credential';
  if (payload.tok !== callerDigest(expected.authorization)) return 'credential of another caller';
  if (expected.operation && payload.op !== operationDigest(expected.operation.query, expected.operation.variables)) return 'credential of another operation';
  return null;
}

/**
 * Express middleware for a subgraph's `/graphql`: refuses with 403 whatever the gateway did not sign
 * for this caller and operation. Runs after the JSON body is parsed.
 */
export function requireGatewayCredential(secret: string, subgraph: SubgraphName) {
  return (req: Request, res: Response, next: NextFunction) => {
    // The landing page and other GETs carry no operation; only GraphQL requests are guarded.
    if (req.method !== 'POST') return next();
    const body = (req.body ?? {}) as { query?: unknown; variables?: unknown };
    const problem = credentialProblem(secret, req.get(GATEWAY_CREDENTIAL_HEADER), {
      subgraph,
      authorization: req.get('authorization'),
      operation: { query: typeof body.query === 'string' ? body.query : '', variables: body.variables },
    });
    if (!problem) return next();
    res.status(403).json({ errors: [{ message: 'Подграф принимает запросы только от шлюза.', extensions: { code: 'FORBIDDEN', reason: problem } }] });
  };
}
