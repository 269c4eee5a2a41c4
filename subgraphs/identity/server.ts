import express from 'express';
import { createTokenVerifier, SESSION_STATUS_PATH, type SessionStatus } from '../../lib/auth.ts';
import { gatewaySecret } from '../../lib/config.ts';
import type { MessageSender } from '../../lib/delivery.ts';
import { requireGatewayCredential } from '../../lib/gateway-credential.ts';
import { createSubgraphService, type Service } from '../../lib/service.ts';
import type { IdentityDatabase } from './db/queries.ts';
import { isLiveSession } from './domain/sessions.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type IdentityConfig, type IdentityContext } from './resolvers.ts';
import { loadTokenIssuer } from './tokens.ts';
import { logger } from '../../lib/log.ts';

/** How often an instance checks whether the signing key is due for rotation. */
const KEY_CHECK_MS = 60 * 60_000;

/** Builds the identity service without listening, so tests can serve it on a free port. */
export async function buildIdentityService({ database, sender, config }: { database: IdentityDatabase; sender: MessageSender; config: IdentityConfig }): Promise<Service> {
  const tokens = await loadTokenIssuer(database);
  const rotation = setInterval(() => void tokens.rotateIfDue().catch((error: unknown) => logger('identity').error({ err: error }, 'signing key rotation failed')), KEY_CHECK_MS);
  rotation.unref();
  const service = await createSubgraphService<IdentityContext>({
    name: 'identity',
    resolvers,
    database,
    // Identity verifies with its own keys, not a round trip to its own JWKS endpoint.
    tokenKeys: tokens.verificationKeys,
    context: (viewer, req) => ({
      viewer,
      database,
      loaders: createLoaders(database),
      tokens,
      sender,
      config,
      device: { clientAddress: req.get('x-client-address') ?? req.ip ?? null, userAgent: req.get('user-agent') ?? null },
    }),
    routes: (app) => {
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.set('cache-control', 'public, max-age=300').json(tokens.jwks());
      });
      // The gateway asks whether the session of the caller's token is still live (gateway/sessions.ts).
      const secret = gatewaySecret();
      const verify = createTokenVerifier(tokens.verificationKeys);
      app.post(SESSION_STATUS_PATH, express.json(), ...(secret ? [requireGatewayCredential(secret, 'identity')] : []), async (req, res) => {
        const viewer = await verify(req.headers.authorization).catch(() => null);
        const live = viewer?.sessionId ? await isLiveSession(database.db, viewer.userId, viewer.sessionId) : false;
        res.set('cache-control', 'no-store').json({ live } satisfies SessionStatus);
      });
    },
  });
  return { ...service, stop: () => (clearInterval(rotation), service.stop()) };
}
