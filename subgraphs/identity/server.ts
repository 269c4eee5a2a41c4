import { requestDatabase } from '../../lib/db.ts';
import { createTokenVerifier } from '../../lib/auth.ts';
import { SESSION_STATUS_BATCH_BYTES, SESSION_STATUS_BATCH_MAX, SESSION_STATUSES_PATH, type SessionStatusAnswer } from '../../lib/sessions.ts';
import { gatewaySecret } from '../../lib/config.ts';
import type { MessageSender } from '../../lib/delivery.ts';
import { CLIENT_ADDRESS_HEADER, gatewaySignedBody } from '../../lib/gateway-credential.ts';
import { refuseRequest } from '../../lib/http-errors.ts';
import { createSubgraphService, type Configured, type Service } from '../../lib/service.ts';
import type { IdentityDatabase } from './db/store.ts';
import { sessionStatus, sessionStatuses } from './domain/sessions.ts';
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
      database: requestDatabase(database, req),
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
      // The gateway and the other subgraphs ask whether the sessions of their callers' tokens are
      // still live, and if not why (lib/sessions.ts), a batch of tokens at a time: their credential
      // for exactly this body, no operation. Each token is verified; one that does not verify (it
      // expired on the way) gets its own UNAUTHENTICATED answer, and the rest one statement.
      const verify = createTokenVerifier(tokens.verificationKeys);
      app.post(SESSION_STATUSES_PATH, ...gatewaySignedBody(secret, 'identity', 'session-statuses', SESSION_STATUS_BATCH_BYTES), async (req, res) => {
        res.set('cache-control', 'no-store');
        const { authorizations } = req.body as { authorizations?: unknown };
        if (!Array.isArray(authorizations) || !authorizations.every((one) => typeof one === 'string')) {
          refuseRequest(res, 400, 'Ожидается {"authorizations": ["Bearer …", …]}.', 'BAD_REQUEST');
          return;
        }
        if (authorizations.length > SESSION_STATUS_BATCH_MAX) {
          refuseRequest(res, 413, `Не больше ${SESSION_STATUS_BATCH_MAX} токенов в одном запросе.`, 'PAYLOAD_TOO_LARGE');
          return;
        }
        const viewers = await Promise.all(authorizations.map((authorization: string) => verify(authorization).catch(() => null)));
        const asked = viewers.flatMap((viewer) => (viewer?.sessionId ? [{ accountId: viewer.userId, sessionId: viewer.sessionId }] : []));
        const statuses = (await sessionStatuses(database.db, asked)).values();
        res.json({
          statuses: viewers.map((viewer): SessionStatusAnswer => (viewer?.sessionId ? statuses.next().value! : { live: null, reason: 'UNAUTHENTICATED' })),
        });
      });
    },
    ...(configured ? { configured } : {}),
  });
  return { ...service, stop: () => (clearInterval(rotation), service.stop()) };
}
