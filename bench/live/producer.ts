import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../lib/db.ts';
import type * as notificationsTables from '../../subgraphs/notifications/db/schema.ts';
import { addItem } from '../../subgraphs/notifications/domain/feed.ts';
import type { LivePerson } from './audience.ts';

/**
 * Feed events made the way real ones are: `addItem` (notifications' domain) in a transaction of its
 * own, which stores the item and records `notifications.item-added` in the outbox together; the
 * relay, the bus and every live feed take it from there. Here the transaction stands for the
 * consumer of `appeals.status-changed` that makes these items in production (an appeal's new status).
 */
export interface CommittedEvent {
  person: number;
  /** performance.now() when the commit was acknowledged: the earliest the event can exist for anyone. */
  committedAt: number;
}

/** A performance.now() time as milliseconds since the epoch, to compare with the database's clock. */
export const epochMs = (at: number) => performance.timeOrigin + at;

export interface ProducedEvents {
  /** By item id. */
  events: Map<string, CommittedEvent>;
  /** Events per second actually committed over the run (the target rate when the database keeps up). */
  achievedRate: number;
  /** Transactions that failed (their items never existed). */
  failures: string[];
  /** Commit duration (from the call, waiting for a pooled connection included, to the acknowledged COMMIT) p50 and p99, ms. */
  commitP50: number;
  commitP99: number;
}

const MAX_IN_FLIGHT = 64;

type NotificationsDatabase = Database<typeof notificationsTables>;

/** Creates one event per `1/rate` s for `seconds`, for `people` in turn (round-robin, so spread evenly), without waiting for one to commit before the next starts. */
export async function produceEvents({
  database,
  people,
  indexes,
  rate,
  seconds,
}: {
  database: NotificationsDatabase;
  people: LivePerson[];
  /** Which people, in the order they get events; every one of them by default. */
  indexes?: number[];
  rate: number;
  seconds: number;
}): Promise<ProducedEvents> {
  const order = indexes ?? people.map((_, i) => i);
  const total = Math.round(rate * seconds);
  const events = new Map<string, CommittedEvent>();
  const failures: string[] = [];
  const commitTimes: number[] = [];
  const inFlight = new Set<Promise<void>>();

  const create = async (n: number) => {
    const person = order[n % order.length]!;
    const { userId, appealId } = people[person]!;
    const id = randomUUID();
    const started = performance.now();
    try {
      await database.db.transaction(async (tx) => {
        await addItem(tx, {
          id,
          userId,
          category: 'APPEAL',
          kind: 'OTHER',
          appealId,
          link: `/appeals/${appealId}`,
          title: 'Обращение: взято в работу',
          body: 'Администрация городского округа Химки. Срок ответа — через 30 дней.',
          details: { status: 'IN_WORK' },
        });
      });
      const committedAt = performance.now();
      events.set(id, { person, committedAt });
      commitTimes.push(committedAt - started);
    } catch (error) {
      failures.push((error as Error).message);
    }
  };

  const start = performance.now();
  let launched = 0;
  while (launched < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    // At most MAX_IN_FLIGHT transactions open or queued: a database that cannot keep up shows as a lower achieved rate.
    while (launched < due && inFlight.size < MAX_IN_FLIGHT) {
      const promise = create(launched++).finally(() => inFlight.delete(promise));
      inFlight.add(promise);
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  commitTimes.sort((a, b) => a - b);
  return { events, achievedRate: events.size / Math.max(elapsed, seconds), failures, commitP50: percentile(commitTimes, 0.5), commitP99: percentile(commitTimes, 0.99) };
}

/** The value below which `share` of the sorted `values` fall (NaN for none). */
export const percentile = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;
