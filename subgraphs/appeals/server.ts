import type { JWTVerifyGetKey } from 'jose';
import { createSubgraphService, type Service } from '../../lib/service.ts';
import type { AppealsDatabase } from './db/queries.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type AppealsContext } from './resolvers.ts';

/** Builds the appeals service without listening, so tests can serve it on a free port. */
export function buildAppealsService({ database, tokenKeys }: { database: AppealsDatabase; tokenKeys: JWTVerifyGetKey }): Promise<Service> {
  return createSubgraphService<AppealsContext>({
    name: 'appeals',
    resolvers,
    database,
    tokenKeys,
    context: (viewer) => ({ viewer, database, loaders: createLoaders(database) }),
  });
}
