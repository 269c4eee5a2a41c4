import { requestDatabase } from '../../lib/db.ts';
import type { JWTVerifyGetKey } from 'jose';
import type { SessionStatusSource } from '../../lib/sessions.ts';
import { createSubgraphService, type Configured, type Service } from '../../lib/service.ts';
import type { ProfileDatabase } from './db/store.ts';
import type { DataCheckRunner } from './domain/data-check.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type ProfileContext } from './resolvers.ts';

/** Builds the profile service without listening, so tests can serve it on a free port. */
export function buildProfileService({
  database,
  tokenKeys,
  sessionStatus,
  dataChecks,
  configured,
}: {
  database: ProfileDatabase;
  tokenKeys: JWTVerifyGetKey;
  sessionStatus: SessionStatusSource;
  dataChecks: DataCheckRunner;
  configured?: Configured;
}): Promise<Service> {
  return createSubgraphService<ProfileContext>({
    name: 'profile',
    resolvers,
    database,
    tokenKeys,
    sessionStatus,
    context: (viewer, req) => {
      const scoped = requestDatabase(database, req);
      return { viewer, database: scoped, loaders: createLoaders(scoped), dataChecks };
    },
    ...(configured ? { configured } : {}),
  });
}
