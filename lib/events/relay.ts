import { asc, count, inArray, isNull, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Database } from '../db.ts';
import type { EventBus } from './bus.ts';
import type { DomainEvent, EventType } from './catalogue.ts';
import { outboxChannel, type OutboxTable } from './outbox.ts';
import { startWorker } from './worker.ts';
import { logger } from '../log.ts';

export interface RelayOptions {
  /** Longest wait before looking at the outbox when no notification came. Default 5 s. */
  pollIntervalMs?: number;
  /** Events published per transaction. Default 100. */
  batchSize?: number;
  /** Where publishing failures go (the relay retries them). Default: logged (lib/log.ts). */
  onError?: (error: unknown) => void;
}

export interface Relay {
  /** Looks at the outbox now. */
  wake(): void;
  /** Events recorded and not yet published. */
  pending(): Promise<number>;
  /** Stops relaying; waits for a batch in flight. */
  stop(): Promise<void>;
}

/**
 * Publishes a subgraph's outbox to the bus, oldest `position` first, and marks what it published.
 * Woken by the NOTIFY that `recordEvent` sends at commit, and by a slow poll.
 *
 * Several instances of a subgraph may run a relay: each batch is taken under a transaction-scoped
 * advisory lock on the outbox, and an instance that does not get it skips the round (the holder
 * will see the new rows). Rows are not shared out with `skip locked`: two instances publishing
 * different rows at once could put a later event on the bus before an earlier one.
 * A crash between publishing and marking publishes the batch again; the bus stores an id once.
 */
export async function startRelay<TSchema extends Record<string, unknown>>(
  { db, sql: client }: Pick<Database<TSchema>, 'db' | 'sql'>,
  outbox: OutboxTable,
  bus: EventBus,
  { pollIntervalMs = 5_000, batchSize = 100, onError = (error) => logger('relay').error({ err: error }, 'publishing the outbox failed, retried') }: RelayOptions = {},
): Promise<Relay> {
  const lockKey = `epgu-graph:relay:${getTableConfig(outbox).schema}.${getTableConfig(outbox).name}`;

  const step = () =>
    db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(sql`/* lockOutbox */ select pg_try_advisory_xact_lock(hashtext(${lockKey})) as locked`);
      if (!lock?.locked) return {};
      const rows = await tx.select().from(outbox).where(isNull(outbox.publishedAt)).orderBy(asc(outbox.position)).limit(batchSize);
      if (!rows.length) return {};
      await bus.publish(rows.map(toDomainEvent));
      await tx
        .update(outbox)
        .set({ publishedAt: sql`now()` })
        .where(
          inArray(
            outbox.position,
            rows.map((row) => row.position),
          ),
        );
      return { again: rows.length === batchSize };
    });

  const worker = startWorker(step, { pollIntervalMs, onError });
  const listening = await client.listen(outboxChannel(outbox), worker.wake, worker.resume);
  return {
    wake: worker.wake,
    async pending() {
      const [row] = await db.select({ pending: count() }).from(outbox).where(isNull(outbox.publishedAt));
      return row?.pending ?? 0;
    },
    async stop() {
      await listening.unlisten();
      await worker.stop();
    },
  };
}

function toDomainEvent(row: OutboxTable['$inferSelect']): DomainEvent {
  return { id: row.id, type: row.type as EventType, payload: row.payload as DomainEvent['payload'], occurredAt: row.occurredAt.toISOString() };
}
