import { createHash, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import type { SubgraphName } from './config.ts';

/**
 * Subgraphs accept only the gateway. Every request the gateway sends to a subgraph carries a
 * credential the gateway signs: short-lived, addressed to that subgraph, and bound to the caller's
 * token and to the operation, so a credential seen on the wire cannot carry another person's token or
 * another query. A subgraph refuses anything else, `_entities` and `_service` included.
 *
 * HS256 with a secret shared by the gateway and the subgraphs (GATEWAY_SECRET): the subgraphs trust
 * each other anyway; what must not reach them is a request that did not pass the gateway.
 */

export const GATEWAY_CREDENTIAL_HEADER = 'x-gateway-credential';
const ISSUER = 'epgu-gateway';
/** Long enough for a slow subgraph call, short enough that a captured credential is soon worthless. */
const LIFETIME_SECONDS = 60;

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** What binds a credential to one operation: its text and variables as sent. */
export const operationDigest = (query: string, variables: unknown) => digest(`${query}\n${JSON.stringify(variables ?? {})}`);
/** What binds it to the caller: the `Authorization` header the gateway forwards (empty for anonymous). */
export const callerDigest = (authorization: string | undefined | null) => digest(authorization ?? '');

export async function signGatewayCredential(
  secret: string,
  request: { subgraph: SubgraphName; authorization: string | undefined | null; query: string; variables: unknown },
): Promise<string> {
  return new SignJWT({ tok: callerDigest(request.authorization), op: operationDigest(request.query, request.variables) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(request.subgraph)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(keyOf(secret));
}

/** Why a credential is refused, or null when it is the gateway's for this caller and operation. */
export async function credentialProblem(
  secret: string,
  credential: string | undefined,
  expected: { subgraph: SubgraphName; authorization: string | undefined | null; operation?: { query: string; variables: unknown } },
): Promise<string | null> {
  if (!credential) return 'no gateway credential';
  try {
    const { payload } = await jwtVerify(credential, keyOf(secret), { issuer: ISSUER, audience: expected.subgraph, algorithms: ['HS256'] });
    if (payload.tok !== callerDigest(expected.authorization)) return 'credential of another caller';
    if (expected.operation && payload.op !== operationDigest(expected.operation.query, expected.operation.variables)) return 'credential of another operation';
    return null;
  } catch {
    return 'invalid or expired gateway credential';
  }
}

/**
 * Express middleware for a subgraph's `/graphql`: refuses with 403 whatever the gateway did not sign
 * for this caller and operation. Runs after the JSON body is parsed.
 */
export function requireGatewayCredential(secret: string, subgraph: SubgraphName) {
  return async (req: Request, res: Response, next: NextFunction) => {
    // The landing page and other GETs carry no operation; only GraphQL requests are guarded.
    if (req.method !== 'POST') return next();
    const body = (req.body ?? {}) as { query?: unknown; variables?: unknown };
    const problem = await credentialProblem(secret, req.get(GATEWAY_CREDENTIAL_HEADER), {
      subgraph,
      authorization: req.get('authorization'),
      operation: { query: typeof body.query === 'string' ? body.query : '', variables: body.variables },
    });
    if (!problem) return next();
    res.status(403).json({ errors: [{ message: 'Подграф принимает запросы только от шлюза.', extensions: { code: 'FORBIDDEN', reason: problem } }] });
  };
}
