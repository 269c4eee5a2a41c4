import { randomUUID } from 'node:crypto';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { requireViewer } from '../../lib/auth.ts';
import { decodeTimeIdCursor, encodeCursor, timeIdKey, type TimeIdCursor } from '../../lib/connection.ts';
import type { EventBus, EventOf } from '../../lib/events/bus.ts';
import { backoffMs } from '../../lib/events/worker.ts';
import { LIVE_ENDS } from '../../lib/live/ends.ts';
import { EventQueue } from '../../lib/live/stream.ts';
import type { SocketControl, SubscriptionContext } from '../../lib/subscriptions.ts';
import { feedItemsNewerThan, itemsByIds, unreadCountsOf, type UnreadCounts } from './db/feed.ts';
import type { FeedItem } from './db/schema.ts';
import type { NotificationsDatabase } from './db/store.ts';
import { presentItem } from './domain/present.ts';
import type { Resolvers } from './generated/schema-types.ts';
import type { NotificationsContext } from './resolvers.ts';
import { logger } from '../../lib/log.ts';

/**
 * The live feed of one notifications process (docs/notifications.md, "Live feed"). Whichever
 * instance adds an item, `addItem` records `notifications.item-added` and
 * `notifications.unread-changed`; the relay puts them on the bus. Every process runs one ephemeral
 * bus consumer of its own, starting at the stream's head, and fans each event out in memory to the
 * subscriptions of that person on this process only.
 */

const LIVE_TYPES = ['notifications.item-added', 'notifications.unread-changed'] as const;
type LiveType = (typeof LIVE_TYPES)[number];
type LiveEvent = EventOf<LiveType>;

export type { UnreadCounts };

export interface LiveFeedOptions {
  bus: EventBus;
  database: NotificationsDatabase;
  /** Events that may wait for one subscription before its socket is closed as a slow consumer. Default 100. */
  queueLimit?: number;
  /** Items a replay reads per query. Default 50. */
  replayBatch?: number;
  /** Events that may wait to be read before the bus consumer waits for them. Default 1,000. */
  maxWaiting?: number;
}

/** Pauses before reading a batch again after a failure: doubling from 1 s up to 30 s. */
const READ_RETRY = { baseMs: 1_000, maxMs: 30_000 };

export interface LiveFeed {
  /** This process's consumer name on the bus (`notifications-live-<uuid>`). */
  readonly consumer: string;
  /**
   * The person's new items: with `after`, first every item of the feed after that cursor, oldest
   * first, then live ones; none twice.
   */
  items(userId: string, after: TimeIdCursor | null, socket: SocketControl): AsyncIterableIterator<FeedItem>;
  /** The person's unread counts each time they change. */
  unreadCounts(userId: string, socket: SocketControl): AsyncIterableIterator<UnreadCounts>;
  /** How many streams of the person this process holds (for tests and metrics). */
  streams(userId: string): number;
  /** Ends every stream and removes the bus consumer. */
  stop(): Promise<void>;
}

/** Ids already sent on one stream; the oldest are forgotten beyond `max`. */
class SentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max = 10_000) {}
  /** True when `id` is new (and remembers it). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

/** The streams of each person on this process, as listeners by user id. */
type Listeners<T> = Map<string, Set<(value: T) => void>>;

/** Adds a person's listener; returns how to remove it. */
function listen<T>(registry: Listeners<T>, userId: string, listener: (value: T) => void): () => void {
  const set = registry.get(userId) ?? new Set();
  registry.set(userId, set);
  set.add(listener);
  return () => {
    set.delete(listener);
    if (!set.size && registry.get(userId) === set) registry.delete(userId);
  };
}

/** Reads a batch's items and counts, one query each, and tells each person's listeners in the batch's order. */
async function deliverBatch(database: NotificationsDatabase, batch: readonly LiveEvent[], itemListeners: Listeners<FeedItem>, countListeners: Listeners<UnreadCounts>): Promise<void> {
  const itemIds = batch.flatMap((event) => (event.type === 'notifications.item-added' ? [event.payload.itemId] : []));
  const countsOf = [...new Set(batch.flatMap((event) => (event.type === 'notifications.unread-changed' ? [event.payload.userId] : [])))];
  const [rows, counts] = await Promise.all([itemIds.length ? itemsByIds(database.db, itemIds) : [], unreadCountsOf(database.db, countsOf)]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const event of batch) {
    const { userId } = event.payload;
    if (event.type === 'notifications.item-added') {
      const row = byId.get(event.payload.itemId);
      // Gone already (the account was deleted), or not this person's: nothing to tell.
      if (row?.userId === userId) for (const listener of [...(itemListeners.get(userId) ?? [])]) listener(row);
    } else {
      // Read once for the batch, after all its events: the person's counts are told once.
      const current = counts.get(userId);
      counts.delete(userId);
      if (current) for (const listener of [...(countListeners.get(userId) ?? [])]) listener(current);
    }
  }
}

/**
 * Sends the person's feed after `after`, oldest first, `batch` items a query, as the stream's queue
 * makes room. Resolves with whether it reached the end (not when the stream ended first).
 */
async function replayFeed(database: NotificationsDatabase, userId: string, after: TimeIdCursor, batch: number, queue: EventQueue<FeedItem>, deliver: (row: FeedItem) => void): Promise<boolean> {
  let cursor = after;
  for (;;) {
    await queue.roomFor(batch);
    if (queue.done) return false;
    const rows = await feedItemsNewerThan(database.db, userId, cursor, batch);
    rows.forEach(deliver);
    const last = rows.at(-1);
    if (!last || rows.length < batch) return true;
    cursor = { at: last.createdAt.toISOString(), id: last.id };
  }
}

/**
 * Events of people with a stream on this process wait for the next batch; others cost nothing.
 * The bus hands each over at once, so the events that arrive together (a bus batch, or whatever
 * came while the previous batch was read) cost one read of their items and one of their people's
 * counts, however many they are. Batches are read one after another and delivered in the bus's
 * order, so each person's events keep their order. A failed read is tried again (with the events
 * that came meanwhile) after a growing pause.
 */
function batchedReader(database: NotificationsDatabase, itemListeners: Listeners<FeedItem>, countListeners: Listeners<UnreadCounts>, maxWaiting: number) {
  const waiting: LiveEvent[] = [];
  let draining: Promise<void> | null = null;
  const stopping = new AbortController();

  async function drain(): Promise<void> {
    await setImmediate(); // the events handed over in this turn join the first batch
    for (let failures = 0; waiting.length && !stopping.signal.aborted;) {
      const batch = waiting.slice();
      try {
        await deliverBatch(database, batch, itemListeners, countListeners);
        waiting.splice(0, batch.length);
        failures = 0;
      } catch (error) {
        const delay = backoffMs(++failures, READ_RETRY);
        logger('notifications').error({ err: error, events: batch.length, attempt: failures, nextInMs: delay }, 'live feed: reading events failed');
        await sleep(delay, undefined, { signal: stopping.signal }).catch(() => {});
      }
    }
    draining = null;
  }

  return {
    async handle(event: LiveEvent): Promise<void> {
      const listeners = (event.type === 'notifications.item-added' ? itemListeners : countListeners).get(event.payload.userId);
      if (!listeners?.size) return;
      waiting.push(event);
      draining ??= drain();
      // Memory stays bounded: the bus waits once the batches fall this far behind.
      if (waiting.length >= maxWaiting) await draining;
    },
    /** Stops retrying and waits for the batch being read. */
    async stop(): Promise<void> {
      stopping.abort();
      await draining;
    },
  };
}

/** Subscribes this process to the bus (from its head) and resolves once its position is fixed. */
export async function startLiveFeed({ bus, database, queueLimit = 100, replayBatch = 50, maxWaiting = 1_000 }: LiveFeedOptions): Promise<LiveFeed> {
  const consumer = `notifications-live-${randomUUID()}`;
  const itemListeners: Listeners<FeedItem> = new Map();
  const countListeners: Listeners<UnreadCounts> = new Map();
  const queues = new Set<EventQueue<unknown>>();
  const reader = batchedReader(database, itemListeners, countListeners, maxWaiting);

  const subscription = bus.subscribe<LiveType>(consumer, LIVE_TYPES, reader.handle, { startAt: 'head', ephemeral: true });
  // Streams replay from the database up to "now": the consumer must already be at the head by then.
  await subscription.ready?.();

  function queueFor<T>(socket: SocketControl, onEnd: () => void): EventQueue<T> {
    const queue: EventQueue<T> = new EventQueue<T>({
      limit: queueLimit,
      onOverflow: () => socket.end(LIVE_ENDS.slowConsumer),
      onEnd: () => {
        queues.delete(queue as EventQueue<unknown>);
        onEnd();
      },
    });
    queues.add(queue as EventQueue<unknown>);
    return queue;
  }

  return {
    consumer,

    items(userId, after, socket) {
      const sent = new SentIds();
      let replaying = after !== null;
      /** Live items that arrive while the replay runs: sent after it, minus what it already sent. */
      const held: FeedItem[] = [];
      let stopListening = () => {};
      const queue = queueFor<FeedItem>(socket, () => stopListening());
      const deliver = (row: FeedItem) => {
        if (sent.add(row.id)) queue.push(row);
      };
      // Listening starts before the replay reads: an item is in the replay, or its event comes after.
      stopListening = listen(itemListeners, userId, (row) => {
        if (!replaying) return deliver(row);
        if (held.length < queueLimit) return void held.push(row);
        void queue.return();
        socket.end(LIVE_ENDS.slowConsumer);
      });
      if (after) {
        void (async () => {
          if (!(await replayFeed(database, userId, after, replayBatch, queue, deliver))) return;
          replaying = false;
          held.splice(0).forEach(deliver);
        })().catch((error: unknown) => queue.fail(error));
      }
      return queue;
    },

    unreadCounts(userId, socket) {
      let last = '';
      let stopListening = () => {};
      const queue = queueFor<UnreadCounts>(socket, () => stopListening());
      stopListening = listen(countListeners, userId, (counts) => {
        const text = JSON.stringify(counts);
        if (text === last) return; // an event that changed nothing the person sees
        last = text;
        queue.push(counts);
      });
      return queue;
    },

    streams: (userId) => (itemListeners.get(userId)?.size ?? 0) + (countListeners.get(userId)?.size ?? 0),

    async stop() {
      await subscription.stop();
      await reader.stop();
      for (const queue of [...queues]) await queue.return();
    },
  };
}

/**
 * `Subscription` resolvers over this process's live feed. They run only over WebSocket, where
 * lib/subscriptions.ts adds the `socket` to the context.
 */
export function liveResolvers(feed: LiveFeed): Resolvers<SubscriptionContext<NotificationsContext>> {
  return {
    Subscription: {
      notificationAdded: {
        subscribe: (_root, { after }, { viewer, socket }) => feed.items(requireViewer(viewer).userId, decodeTimeIdCursor(after), socket),
        resolve: (row: FeedItem) => ({ cursor: encodeCursor(timeIdKey(row.createdAt, row.id)), node: presentItem(row) }),
      },
      unreadCountChanged: {
        subscribe: (_root, _args, { viewer, socket }) => feed.unreadCounts(requireViewer(viewer).userId, socket),
        resolve: (counts: UnreadCounts) => counts,
      },
    },
  };
}
