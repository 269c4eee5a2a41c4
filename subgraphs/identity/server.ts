import { createTokenVerifier } from '../../lib/auth.ts';
import { SESSION_STATUS_PATH, type SessionStatus } from '../../lib/sessions.ts';
import { gatewaySecret } from '../../lib/config.ts';
import type { MessageSender } from '../../lib/delivery.ts';
import { CLIENT_ADDRESS_HEADER, requireGatewayCaller } from '../../lib/gateway-credential.ts';
import { refuseRequest } from '../../lib/http-errors.ts';
import { createSubgraphService, type Configured, type Service } from '../../lib/service.ts';
import type { IdentityDatabase } from './db/store.ts';
import { sessionStatus } from './domain/sessions.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type IdentityConfig, type IdentityContext } from './resolvers.ts';
import { loadTokenIssuer } from './tokens.ts';
import { logger } from '../../lib/log.ts';

/** How often an instance checks whether the signing key is due for rotation. */
const KEY_CHECK_MS = 60 * 60_000;

/** Builds the identity service without listening, so tests can serve it on a free port. */
export async function buildIdentityService({
  database,
  sender,
  config,
  keySeal = null,
  configured,
}: {
  database: IdentityDatabase;
  sender: MessageSender;
  config: IdentityConfig;
  keySeal?: Buffer | null;
  configured?: Configured;
}): Promise<Service> {
  const secret = configured?.gatewaySecret ?? gatewaySecret();
  const tokens = await loadTokenIssuer(database, new Date(), keySeal);
  const rotation = setInterval(() => void tokens.rotateIfDue().catch((error: unknown) => logger('identity').error({ err: error }, 'signing key rotation failed')), KEY_CHECK_MS);
  rotation.unref();
  const service = await createSubgraphService<IdentityContext>({
    name: 'identity',
    resolvers,
    database,
    // Identity verifies with its own keys, not a round trip to its own JWKS endpoint.
    tokenKeys: tokens.verificationKeys,
    // Identity answers about sessions from its own tables.
    sessionStatus: (viewer) => sessionStatus(database.db, viewer.userId, viewer.sessionId!),
    context: (viewer, req) => ({
      viewer,
      database,
      loaders: createLoaders(database),
      tokens,
      sender,
      config,
      // The address the gateway signed into its credential (the perimeter refuses another one).
      device: { clientAddress: req.get(CLIENT_ADDRESS_HEADER) ?? req.ip ?? null, userAgent: req.get('user-agent') ?? null },
    }),
    routes: (app) => {
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.set('cache-control', 'public, max-age=300').json(tokens.jwks());
      });
      // The gateway and the other subgraphs ask whether the session of the caller's token is still
      // live, and if not why (lib/sessions.ts): their credential for that caller, no operation and no
      // body read. A token that does not verify (it expired on the way) gets 401: the asker lets its
      // own expiry check speak.
      const verify = createTokenVerifier(tokens.verificationKeys);
      app.post(SESSION_STATUS_PATH, requireGatewayCaller(secret, 'identity'), async (req, res) => {
        const viewer = await verify(req.headers.authorization).catch(() => null);
        res.set('cache-control', 'no-store');
        if (!viewer?.sessionId) {
          refuseRequest(res, 401, 'Токен доступа недействителен.', 'UNAUTHENTICATED');
          return;
        }
        res.json((await sessionStatus(database.db, viewer.userId, viewer.sessionId)) satisfies SessionStatus);
      });
    },
    ...(configured ? { configured } : {}),
  });
  return { ...service, stop: () => (clearInterval(rotation), service.stop()) };
}
