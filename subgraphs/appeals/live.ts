import { randomUUID } from 'node:crypto';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { requireViewer } from '../../lib/auth.ts';
import { decodeCursor, encodeCursor } from '../../lib/connection.ts';
import { badUserInput, forbidden, graphQLError } from '../../lib/errors.ts';
import type { EventBus, EventOf } from '../../lib/events/bus.ts';
import { followLog } from '../../lib/log-stream.ts';
import { LIVE_ENDS } from '../../lib/live/ends.ts';
import { EventQueue } from '../../lib/live/stream.ts';
import type { SocketControl, SubscriptionContext } from '../../lib/subscriptions.ts';
import { appealsByIds } from './db/appeals.ts';
import type { AppealsDatabase } from './db/store.ts';
import { lastTimelinePosition, timelineChangesAfter, timelineHasPosition, type ChangeScope, type TimelineChangeRow } from './db/timeline.ts';
import { mayReadAppeal } from './domain/access.ts';
import { officialAuthorityOf, type AppealsContext } from './resolvers.ts';

/**
 * Live changes of appeals (docs/appeals.md, "Live changes"): a citizen's own appeals
 * (`appealStatusChanged`) and an official's authority queue (`authorityQueueChanged`). The timeline
 * is the log of changes: its positions commit in order (db/timeline.ts, appendTimelineEntry), so a
 * stream reads "after the last position it sent" and misses nothing, repeats nothing
 * (lib/log-stream.ts). Every change also records an event; each appeals process runs one ephemeral
 * bus consumer from the head that wakes the streams on this process it may concern, and each woken
 * stream reads what is new for it.
 */

const LIVE_TYPES = ['appeals.status-changed', 'appeals.overdue-marked'] as const;
type LiveType = (typeof LIVE_TYPES)[number];
type LiveEvent = EventOf<LiveType>;

export interface LiveStatuses {
  readonly consumer: string;
  /**
   * The changes of `scope` (an author's appeals, or an authority's queue for `viewerId`, an
   * official of it): after `after` first, oldest first, then live ones.
   */
  changes(viewerId: string, scope: ChangeScope, after: number | null, socket: SocketControl): AsyncIterableIterator<TimelineChangeRow>;
  /** How many streams of the person this process holds (for tests and metrics). */
  streams(userId: string): number;
  stop(): Promise<void>;
}

export async function startLiveStatuses({ bus, database, queueLimit = 100, replayBatch = 50 }: { bus: EventBus; database: AppealsDatabase; queueLimit?: number; replayBatch?: number }): Promise<LiveStatuses> {
  const consumer = `appeals-live-${randomUUID()}`;
  /** Wake-ups of the streams on this process, by the author or authority whose changes they read. */
  const wakers = new Map<string, Set<() => void>>();
  const byViewer = new Map<string, number>();
  const queues = new Set<EventQueue<TimelineChangeRow>>();

  const wake = (key: string) => [...(wakers.get(key) ?? [])].forEach((waker) => waker());

  // Only those with a stream here cost a query: each of their streams reads what is new for it. A
  // redirect also leaves an authority that the event does not name: every queue here looks.
  async function handle(event: LiveEvent): Promise<void> {
    if (event.type === 'appeals.overdue-marked') return event.payload.authorityIds.forEach((id) => wake(`authority:${id}`));
    wake(`author:${event.payload.userId}`);
    if (event.payload.action === 'REDIRECTED' || !event.payload.authorityId) {
      for (const key of wakers.keys()) if (key.startsWith('authority:')) wake(key);
    } else wake(`authority:${event.payload.authorityId}`);
  }

  const subscription = bus.subscribe<LiveType>(consumer, LIVE_TYPES, handle, { startAt: 'head', ephemeral: true });
  await subscription.ready?.();

  return {
    consumer,
    changes(viewerId, scope, after, socket) {
      const key = 'authorityId' in scope ? `authority:${scope.authorityId}` : `author:${scope.authorId}`;
      const set = wakers.get(key) ?? new Set();
      wakers.set(key, set);
      let read = () => {};
      const waker = () => read();
      const queue: EventQueue<TimelineChangeRow> = new EventQueue<TimelineChangeRow>({
        limit: queueLimit,
        onOverflow: () => socket.end(LIVE_ENDS.slowConsumer),
        onEnd: () => {
          queues.delete(queue);
          set.delete(waker);
          if (!set.size && wakers.get(key) === set) wakers.delete(key);
          const left = (byViewer.get(viewerId) ?? 1) - 1;
          if (left) byViewer.set(viewerId, left);
          else byViewer.delete(viewerId);
        },
      });
      // Listening starts before the first read: a change is in that read, or its event comes after.
      set.add(waker);
      byViewer.set(viewerId, (byViewer.get(viewerId) ?? 0) + 1);
      queues.add(queue);
      read = followLog(queue, {
        after,
        head: () => lastTimelinePosition(database.db),
        read: (position, limit) => timelineChangesAfter(database.db, scope, position, limit),
        position: (change) => change.position,
        batch: replayBatch,
      });
      return queue;
    },
    streams: (userId) => byViewer.get(userId) ?? 0,
    async stop() {
      await subscription.stop();
      for (const queue of [...queues]) await queue.return();
    },
  };
}

const BAD_CURSOR = 'Некорректный курсор: возьмите его из поля cursor последнего полученного изменения.';

/** A position of the timeline from a cursor the API handed out; anything else is BAD_USER_INPUT. */
async function timelinePositionOf(database: AppealsDatabase, cursor: string | null | undefined): Promise<number | null> {
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

const timelineCursor = (change: TimelineChangeRow) => encodeCursor(['timeline', change.position]);

/** What a change is to an authority's queue. */
function queueChangeKind(change: TimelineChangeRow, authorityId: string): 'NEW' | 'REASSIGNED_IN' | 'REASSIGNED_OUT' | 'STATUS_CHANGED' | 'OVERDUE' {
  if (change.action === 'SUBMITTED') return 'NEW';
  if (change.action === 'OVERDUE') return 'OVERDUE';
  if (change.action === 'REDIRECTED') return change.authorityId === authorityId ? 'REASSIGNED_IN' : 'REASSIGNED_OUT';
  return 'STATUS_CHANGED';
}

/** The `Subscription` resolvers; they run only over WebSocket, where the context has the socket. */
export function liveResolvers(live: LiveStatuses): GraphQLResolverMap<AppealsContext> {
  const change = {
    cursor: timelineCursor,
    appeal: (row: TimelineChangeRow, _args: unknown, { loaders }: AppealsContext) => loaders.appealById.load(row.appealId),
    by: (row: TimelineChangeRow) => row.actor,
  };
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
          return live.changes(userId, { authorId: userId, appealId }, after, socket);
        },
        resolve: (row: TimelineChangeRow) => row,
      },
      authorityQueueChanged: {
        subscribe: async (_root: unknown, args: { after?: string | null }, context: AppealsContext) => {
          const { viewer, socket, database, loaders } = context as SubscriptionContext<AppealsContext>;
          const caller = requireViewer(viewer);
          const authorityId = await officialAuthorityOf(caller, loaders);
          if (!authorityId) throw forbidden('Очередь обращений доступна только должностным лицам ведомства.');
          const after = await timelinePositionOf(database, args.after);
          return live.changes(caller.userId, { authorityId }, after, socket);
        },
        resolve: (row: TimelineChangeRow) => row,
      },
    },
    AppealStatusChange: change,
    AuthorityQueueChange: {
      ...change,
      kind: async (row: TimelineChangeRow, _args: unknown, { viewer, loaders }: AppealsContext) => queueChangeKind(row, (await officialAuthorityOf(requireViewer(viewer), loaders))!),
      // Redirected away, the appeal is another authority's: the official reads it no more.
      appeal: async (row: TimelineChangeRow, _args: unknown, { viewer, loaders }: AppealsContext) => {
        const caller = requireViewer(viewer);
        const appeal = await loaders.appealById.load(row.appealId);
        return appeal && mayReadAppeal(caller, appeal, await officialAuthorityOf(caller, loaders)) ? appeal : null;
      },
    },
  };
}
