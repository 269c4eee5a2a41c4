import { createSubgraphService, type Service } from '../../lib/service.ts';
import type { IdentityDatabase } from './db/queries.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type IdentityContext } from './resolvers.ts';
import { loadTokenIssuer } from './tokens.ts';

/** Builds the identity service without listening, so tests can serve it on a free port. */
export async function buildIdentityService({ database }: { database: IdentityDatabase }): Promise<Service> {
  const tokens = await loadTokenIssuer(database);
  return createSubgraphService<IdentityContext>({
    name: 'identity',
    resolvers,
    database,
    // Identity verifies with its own keys, not a round trip to its own JWKS endpoint.
    tokenKeys: tokens.verificationKeys,
    context: (viewer) => ({ viewer, database, loaders: createLoaders(database), tokens }),
    routes: (app) => {
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.set('cache-control', 'public, max-age=300').json(tokens.jwks);
      });
    },
  });
}
