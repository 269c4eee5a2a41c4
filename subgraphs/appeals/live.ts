import { randomUUID } from 'node:crypto';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { requireViewer } from '../../lib/auth.ts';
import { decodeCursor, encodeCursor } from '../../lib/connection.ts';
import { badUserInput, forbidden, graphQLError } from '../../lib/errors.ts';
import type { EventBus, EventOf } from '../../lib/events/bus.ts';
import { followLog } from '../../lib/log-stream.ts';
import { CLOSE_REASONS, EventQueue, SUBSCRIPTION_CLOSE, type SocketControl, type SubscriptionContext } from '../../lib/subscriptions.ts';
import { appealsByIds, lastTimelinePosition, statusChangesAfter, timelineHasPosition, type AppealsDatabase, type StatusChangeRow } from './db/queries.ts';
import type { AppealsContext } from './resolvers.ts';

/**
 * Live status changes of a citizen's own appeals (`appealStatusChanged`, docs/appeals.md "Live
 * status changes"). The timeline is the log of changes: its positions commit in order
 * (domain/appeals.ts, record), so a stream reads "after the last position it sent" and misses
 * nothing, repeats nothing (lib/log-stream.ts). Every transition also records
 * `appeals.status-changed`; each appeals process runs one ephemeral bus consumer from the head that
 * wakes the author's streams on this process, and each woken stream reads what is new for it.
 */

type StatusChanged = EventOf<'appeals.status-changed'>;

export interface LiveStatuses {
  readonly consumer: string;
  /** The author's status changes (of one appeal, with `appealId`): after `after` first, oldest first, then live ones. */
  changes(userId: string, filter: { after: number | null; appealId: string | null }, socket: SocketControl): AsyncIterableIterator<StatusChangeRow>;
  streams(userId: string): number;
  stop(): Promise<void>;
}

export async function startLiveStatuses({ bus, database, queueLimit = 100, replayBatch = 50 }: { bus: EventBus; database: AppealsDatabase; queueLimit?: number; replayBatch?: number }): Promise<LiveStatuses> {
  const consumer = `appeals-live-${randomUUID()}`;
  const listeners = new Map<string, Set<() => void>>();
  const queues = new Set<EventQueue<StatusChangeRow>>();

  // Only authors with a stream here cost a query: each of their streams reads what is new for it.
  async function handle(event: StatusChanged): Promise<void> {
    for (const wake of [...(listeners.get(event.payload.userId) ?? [])]) wake();
  }

  const subscription = bus.subscribe(consumer, ['appeals.status-changed'], handle, { startAt: 'head', ephemeral: true });
  await subscription.ready?.();

  return {
    consumer,
    changes(userId, { after, appealId }, socket) {
      const set = listeners.get(userId) ?? new Set();
      listeners.set(userId, set);
      let wake = () => {};
      const listener = () => wake();
      const queue: EventQueue<StatusChangeRow> = new EventQueue<StatusChangeRow>({
        limit: queueLimit,
        onOverflow: () => socket.close(SUBSCRIPTION_CLOSE.SLOW_CONSUMER, CLOSE_REASONS.slowConsumer),
        onEnd: () => {
          queues.delete(queue);
          set.delete(listener);
          if (!set.size && listeners.get(userId) === set) listeners.delete(userId);
        },
      });
      // Listening starts before the first read: a change is in that read, or its event comes after.
      set.add(listener);
      queues.add(queue);
      wake = followLog(queue, {
        after,
        head: () => lastTimelinePosition(database.db),
        read: (position, limit) => statusChangesAfter(database.db, { authorId: userId, appealId }, position, limit),
        position: (change) => change.position,
        batch: replayBatch,
      });
      return queue;
    },
    streams: (userId) => listeners.get(userId)?.size ?? 0,
    async stop() {
      await subscription.stop();
      for (const queue of [...queues]) await queue.return();
    },
  };
}

const BAD_CURSOR = 'Некорректный курсор: возьмите его из поля cursor последнего полученного изменения.';

/** A position of the timeline from a cursor the API handed out; anything else is BAD_USER_INPUT. */
export async function timelinePositionOf(database: AppealsDatabase, cursor: string | null | undefined): Promise<number | null> {
  if (cursor == null) return null;
  let key: (string | number)[] | null;
  try {
    key = decodeCursor(cursor, 2);
  } catch {
    throw badUserInput(BAD_CURSOR);
  }
  const [kind, position] = key!;
  if (kind !== 'timeline' || !Number.isSafeInteger(position) || (position as number) < 1 || !(await timelineHasPosition(database.db, position as number))) throw badUserInput(BAD_CURSOR);
  return position as number;
}

export const timelineCursor = (position: number) => encodeCursor(['timeline', position]);

/** The `Subscription` resolver; it runs only over WebSocket, where the context has the socket. */
export function liveResolvers(live: LiveStatuses): GraphQLResolverMap<AppealsContext> {
  return {
    Subscription: {
      appealStatusChanged: {
        subscribe: async (_root: unknown, args: { after?: string | null; appealId?: string | null }, context: AppealsContext) => {
          const { viewer, socket, database } = context as SubscriptionContext<AppealsContext>;
          const { userId } = requireViewer(viewer);
          const after = await timelinePositionOf(database, args.after);
          const appealId = args.appealId ?? null;
          if (appealId !== null) {
            const [appeal] = /^[0-9a-f-]{36}$/i.test(appealId) ? await appealsByIds(database.db, [appealId]) : [];
            if (!appeal || appeal.status === 'DRAFT') throw graphQLError('NOT_FOUND', 'Обращение не найдено.');
            if (appeal.authorId !== userId) throw forbidden('Следить можно только за своими обращениями.');
          }
          return live.changes(userId, { after, appealId }, socket);
        },
        resolve: (change: StatusChangeRow) => change,
      },
    },
    AppealStatusChange: {
      cursor: (change: StatusChangeRow) => timelineCursor(change.position),
      appeal: (change: StatusChangeRow, _args: unknown, { loaders }: AppealsContext) => loaders.appealById.load(change.appealId),
      by: (change: StatusChangeRow) => change.actor,
    },
  };
}
