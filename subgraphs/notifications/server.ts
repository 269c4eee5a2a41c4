import type { JWTVerifyGetKey } from 'jose';
import { createSubgraphService, type Service } from '../../lib/service.ts';
import type { NotificationsDatabase } from './db/queries.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type NotificationsContext } from './resolvers.ts';

/** Builds the notifications service without listening, so tests can serve it on a free port. */
export function buildNotificationsService({ database, tokenKeys }: { database: NotificationsDatabase; tokenKeys: JWTVerifyGetKey }): Promise<Service> {
  return createSubgraphService<NotificationsContext>({
    name: 'notifications',
    resolvers,
    database,
    tokenKeys,
    context: (viewer) => ({ viewer, database, loaders: createLoaders(database) }),
  });
}
