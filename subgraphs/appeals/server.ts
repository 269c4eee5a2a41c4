import type { JWTVerifyGetKey } from 'jose';
import type { SessionStatusSource } from '../../lib/sessions.ts';
import type { Viewer } from '../../lib/auth.ts';
import type { EventBus } from '../../lib/events/bus.ts';
import { mergeResolvers } from '../../lib/resolvers.ts';
import { createSubgraphService, type Configured, type Service } from '../../lib/service.ts';
import type { AppealsDatabase } from './db/queries.ts';
import { liveResolvers, startLiveStatuses, type LiveStatuses } from './live.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type AppealsContext } from './resolvers.ts';

/**
 * Builds the appeals service without listening, so tests can serve it on a free port. With `bus`,
 * it also serves live statuses over WebSocket (live.ts).
 */
export async function buildAppealsService({
  database,
  tokenKeys,
  sessionStatus,
  bus = null,
  configured,
}: {
  database: AppealsDatabase;
  tokenKeys: JWTVerifyGetKey;
  sessionStatus: SessionStatusSource;
  bus?: EventBus | null;
  configured?: Configured;
}): Promise<Service & { live: LiveStatuses | null }> {
  const live = bus ? await startLiveStatuses({ bus, database }) : null;
  const context = (viewer: Viewer | null): AppealsContext => ({ viewer, database, loaders: createLoaders(database) });
  const service = await createSubgraphService<AppealsContext>({
    name: 'appeals',
    resolvers: mergeResolvers(resolvers, ...(live ? [liveResolvers(live)] : [])),
    database,
    tokenKeys,
    sessionStatus,
    context,
    ...(live ? { subscriptions: { context } } : {}),
    ...(configured ? { configured } : {}),
  });
  return { ...service, live, stop: () => (live ? live.stop().then(service.stop) : service.stop()) };
}
