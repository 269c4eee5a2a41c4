import type { IncomingMessage } from 'node:http';
import { requestDatabase } from '../../lib/db.ts';
import type { JWTVerifyGetKey } from 'jose';
import type { SessionStatusSource } from '../../lib/sessions.ts';
import type { Viewer } from '../../lib/auth.ts';
import type { EventBus } from '../../lib/events/bus.ts';
import { mergeResolvers } from '../../lib/resolvers.ts';
import { createSubgraphService, type Configured, type Service } from '../../lib/service.ts';
import type { AppealsDatabase } from './db/store.ts';
import { logger } from '../../lib/log.ts';
import { markOverdueAppeals } from './domain/appeals.ts';
import { liveResolvers, startLiveStatuses, type LiveStatuses } from './live.ts';
import { createLoaders } from './loaders.ts';
import { resolvers, type AppealsContext } from './resolvers.ts';

/** How often each instance marks the appeals that went past their due date (markOverdueAppeals). */
const OVERDUE_CHECK_MS = 60_000;

/**
 * Builds the appeals service without listening, so tests can serve it on a free port. With `bus`,
 * it also serves live changes over WebSocket (live.ts) and marks overdue appeals every
 * `overdueCheckMs`, for the officials' live queues.
 */
export async function buildAppealsService({
  database,
  tokenKeys,
  sessionStatus,
  bus = null,
  configured,
  overdueCheckMs = OVERDUE_CHECK_MS,
}: {
  database: AppealsDatabase;
  tokenKeys: JWTVerifyGetKey;
  sessionStatus: SessionStatusSource;
  bus?: EventBus | null;
  configured?: Configured;
  overdueCheckMs?: number;
}): Promise<Service & { live: LiveStatuses | null }> {
  const live = bus ? await startLiveStatuses({ bus, database }) : null;
  // A request's database rolls back what ends past the gateway's deadline; a subscription has none.
  const context = (viewer: Viewer | null, req?: Pick<IncomingMessage, 'headers'>): AppealsContext => {
    const scoped = requestDatabase(database, req);
    return { viewer, database: scoped, loaders: createLoaders(scoped) };
  };
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
  // Every instance runs the job: markOverdueAppeals marks each appeal once however many run it at once.
  const overdue = live ? setInterval(() => void markOverdueAppeals(database.db).catch((error: unknown) => logger('appeals').error({ err: error }, 'marking overdue appeals failed')), overdueCheckMs) : null;
  overdue?.unref();
  const stop = () => {
    clearInterval(overdue ?? undefined);
    return live ? live.stop().then(service.stop) : service.stop();
  };
  return { ...service, live, stop };
}
