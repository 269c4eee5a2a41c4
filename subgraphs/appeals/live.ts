import { randomUUID } from 'node:crypto';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { requireViewer } from '../../lib/auth.ts';
import type { EventBus, EventOf } from '../../lib/events/bus.ts';
import { CLOSE_REASONS, EventQueue, SUBSCRIPTION_CLOSE, type SocketControl, type SubscriptionContext } from '../../lib/subscriptions.ts';
import { appealsByIds, type AppealsDatabase } from './db/queries.ts';
import type { AppealRow } from './db/schema.ts';
import type { AppealsContext } from './resolvers.ts';

/**
 * Live statuses of a citizen's own appeals (`appealStatusChanged`), the same way as the live feed of
 * notifications (subgraphs/notifications/live.ts): every transition records `appeals.status-changed`,
 * the relay puts it on the bus, and each appeals process runs one ephemeral consumer from the bus's
 * head that hands the changed appeal to the author's streams on this process.
 */

type StatusChanged = EventOf<'appeals.status-changed'>;

export interface LiveStatuses {
  readonly consumer: string;
  changes(userId: string, socket: SocketControl): AsyncIterableIterator<AppealRow>;
  streams(userId: string): number;
  stop(): Promise<void>;
}

export async function startLiveStatuses({ bus, database, queueLimit = 100 }: { bus: EventBus; database: AppealsDatabase; queueLimit?: number }): Promise<LiveStatuses> {
  const consumer = `appeals-live-${randomUUID()}`;
  const listeners = new Map<string, Set<(appeal: AppealRow) => void>>();
  const queues = new Set<EventQueue<AppealRow>>();

  // Only authors with a stream here cost a query; the appeal is read as it is now.
  async function handle(event: StatusChanged): Promise<void> {
    const streams = listeners.get(event.payload.userId);
    if (!streams?.size) return;
    const [appeal] = await appealsByIds(database.db, [event.payload.appealId]);
    if (!appeal || appeal.authorId !== event.payload.userId) return;
    for (const listener of [...streams]) listener(appeal);
  }

  const subscription = bus.subscribe(consumer, ['appeals.status-changed'], handle, { startAt: 'head', ephemeral: true });
  await subscription.ready?.();

  return {
    consumer,
    changes(userId, socket) {
      const set = listeners.get(userId) ?? new Set();
      listeners.set(userId, set);
      const queue: EventQueue<AppealRow> = new EventQueue<AppealRow>({
        limit: queueLimit,
        onOverflow: () => socket.close(SUBSCRIPTION_CLOSE.SLOW_CONSUMER, CLOSE_REASONS.slowConsumer),
        onEnd: () => {
          queues.delete(queue);
          set.delete(listener);
          if (!set.size && listeners.get(userId) === set) listeners.delete(userId);
        },
      });
      const listener = (appeal: AppealRow) => void queue.push(appeal);
      set.add(listener);
      queues.add(queue);
      return queue;
    },
    streams: (userId) => listeners.get(userId)?.size ?? 0,
    async stop() {
      await subscription.stop();
      for (const queue of [...queues]) await queue.return();
    },
  };
}

/** The `Subscription` resolver; it runs only over WebSocket, where the context has the socket. */
export function liveResolvers(live: LiveStatuses): GraphQLResolverMap<AppealsContext> {
  return {
    Subscription: {
      appealStatusChanged: {
        subscribe: (_root: unknown, _args: unknown, context: AppealsContext) => {
          const { viewer, socket } = context as SubscriptionContext<AppealsContext>;
          return live.changes(requireViewer(viewer).userId, socket);
        },
        resolve: (appeal: AppealRow) => appeal,
      },
    },
  };
}
