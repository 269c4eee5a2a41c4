import type { JWTVerifyGetKey } from 'jose';
import { createSubgraphService, type Service } from '../../lib/service.ts';
import type { ProfileDatabase } from './db/queries.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type ProfileContext } from './resolvers.ts';

/** Builds the profile service without listening, so tests can serve it on a free port. */
export function buildProfileService({ database, tokenKeys }: { database: ProfileDatabase; tokenKeys: JWTVerifyGetKey }): Promise<Service> {
  return createSubgraphService<ProfileContext>({
    name: 'profile',
    resolvers,
    database,
    tokenKeys,
    context: (viewer) => ({ viewer, loaders: createLoaders(database) }),
  });
}
