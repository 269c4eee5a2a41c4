import type { IncomingMessage } from 'node:http';
import { requestDatabase } from '../../lib/db.ts';
import type { JWTVerifyGetKey } from 'jose';
import type { SessionStatusSource } from '../../lib/sessions.ts';
import type { Viewer } from '../../lib/auth.ts';
import type { EventBus } from '../../lib/events/bus.ts';
import { createSubgraphService, type Configured, type Service } from '../../lib/service.ts';
import { liveResolvers, startLiveFeed, type LiveFeed } from './live.ts';
import type { NotificationsDatabase } from './db/store.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type NotificationsContext } from './resolvers.ts';
import { mergeResolvers } from '../../lib/resolvers.ts';
import { preferencesResolvers } from './preferences-resolvers.ts';

/**
 * Builds the notifications service without listening, so tests can serve it on a free port. With
 * `bus`, it also runs this process's live feed and serves the subscriptions over WebSocket (live.ts).
 */
export async function buildNotificationsService({
  database,
  tokenKeys,
  sessionStatus,
  bus = null,
  configured,
}: {
  database: NotificationsDatabase;
  tokenKeys: JWTVerifyGetKey;
  sessionStatus: SessionStatusSource;
  bus?: EventBus | null;
  configured?: Configured;
}): Promise<Service & { live: LiveFeed | null }> {
  const live = bus ? await startLiveFeed({ bus, database }) : null;
  // A request's database rolls back what ends past the gateway's deadline; a subscription has none.
  const context = (viewer: Viewer | null, req?: Pick<IncomingMessage, 'headers'>): NotificationsContext => {
    const scoped = requestDatabase(database, req);
    return { viewer, database: scoped, loaders: createLoaders(scoped) };
  };
  const service = await createSubgraphService<NotificationsContext>({
    name: 'notifications',
    resolvers: mergeResolvers(resolvers, preferencesResolvers, ...(live ? [liveResolvers(live)] : [])),
    database,
    tokenKeys,
    sessionStatus,
    context,
    ...(live ? { subscriptions: { context } } : {}),
    ...(configured ? { configured } : {}),
  });
  return { ...service, live, stop: () => (live ? live.stop().then(service.stop) : service.stop()) };
}
