import { SESSION_ENDED, type SessionStatus, type TokenVerifier } from '../lib/auth.ts';
import { unauthenticated } from '../lib/errors.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../lib/gateway-credential.ts';
import { logger } from '../lib/log.ts';

/**
 * A revoked session stops at the gateway, for every subgraph. An access token lives 15 minutes and
 * says nothing of its session's end (logout, "end my other sessions", a password change, a reused
 * refresh token): only identity knows. So the gateway asks identity's `/session-status` about each
 * session it sees, at most once per `ttlMs` (and once for any number of requests in flight), and
 * refuses a token of an ended session with 401 as it refuses an expired one.
 */
export interface SessionCheckOptions {
  /** Identity's SESSION_STATUS_PATH endpoint. */
  statusUrl: string;
  /** The gateway's credential secret: identity answers only the gateway. */
  secret: string | null;
  /** How long an answer holds; a revoked session may still pass for this long. Default 5 s. */
  ttlMs?: number;
  /** How long identity may take before the request goes on unchecked. Default 2 s. */
  timeoutMs?: number;
}

export function verifyingLiveSessions(verify: TokenVerifier, { statusUrl, secret, ttlMs = 5_000, timeoutMs = 2_000 }: SessionCheckOptions): TokenVerifier {
  const answers = new Map<string, { live: Promise<boolean | null>; until: number }>();
  let lastSweep = Date.now();
  let lastLogged = 0;

  const ask = async (authorization: string): Promise<boolean | null> => {
    try {
      const credential = secret ? signGatewayCredential(secret, { subgraph: 'identity', authorization, query: '', variables: undefined }) : null;
      const response = await fetch(statusUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization, ...(credential ? { [GATEWAY_CREDENTIAL_HEADER]: credential } : {}) },
        body: '{}',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return ((await response.json()) as SessionStatus).live === true;
    } catch (error) {
      // Identity down must not take the whole portal down with it: the token's signature and
      // expiry still hold, and sign-in itself is unavailable meanwhile anyway.
      if (Date.now() - lastLogged > 10_000) {
        lastLogged = Date.now();
        logger('gateway').error({ err: error }, 'session check failed, requests go on unchecked');
      }
      return null;
    }
  };

  const isLive = (sessionId: string, authorization: string): Promise<boolean | null> => {
    const now = Date.now();
    if (now - lastSweep > 60_000) {
      lastSweep = now;
      for (const [key, answer] of answers) if (answer.until <= now) answers.delete(key);
    }
    const cached = answers.get(sessionId);
    if (cached && cached.until > now) return cached.live;
    const live = ask(authorization);
    answers.set(sessionId, { live, until: now + ttlMs });
    // A failed check is not remembered: the next request asks again.
    void live.then((answer) => answer === null && answers.get(sessionId)?.live === live && answers.delete(sessionId));
    return live;
  };

  return async (authorization) => {
    const viewer = await verify(authorization);
    if (!viewer?.sessionId || !authorization) return viewer;
    if ((await isLive(viewer.sessionId, authorization)) === false) throw unauthenticated(SESSION_ENDED);
    return viewer;
  };
}
