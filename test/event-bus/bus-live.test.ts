import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { postgresTestBuses } from '../event-fixtures.ts';
import { startPostgresEventBus, type EventOf, type PostgresEventBus } from '../../lib/events/bus.ts';
import { newEvent } from '../../lib/events/catalogue.ts';

/** Live consumers of the PostgreSQL bus: starting at the head, and leaving no row behind. */

// A fresh database per test, and the buses started on it (closed after each test).
const { start: startBus, database } = postgresTestBuses();

const itemAdded = (itemId: string) => newEvent('notifications.item-added', { userId: randomUUID(), itemId });

const names = async (bus: PostgresEventBus) => (await bus.consumers()).map((consumer) => consumer.name);

describe('PostgreSQL event bus: live consumers', () => {
  it('starts a consumer at the head when asked: only events published after it is ready reach it', async () => {
    const bus = await startBus();
    await bus.publish([itemAdded('before-1'), itemAdded('before-2')]);
    const seen: EventOf[] = [];
    const live = bus.subscribe('live-head', ['notifications.item-added'], async (event) => void seen.push(event), { startAt: 'head', ephemeral: true });
    await live.ready?.();
    await bus.publish([itemAdded('after-1'), itemAdded('after-2')]);

    await expect.poll(() => live.pending()).toBe(0);
    await expect.poll(() => seen.length).toBe(2);
    expect(seen.map((event) => (event.type === 'notifications.item-added' ? event.payload.itemId : event.type))).toEqual(['after-1', 'after-2']);
  });

  it('forgets an ephemeral consumer when it stops and when its bus closes; keeps a durable one', async () => {
    const bus = await startBus();
    const other = await startPostgresEventBus({ url: database().url, max: 2, onError: () => {} });
    const stopped = bus.subscribe('live-stopped', ['notifications.item-added'], async () => {}, { startAt: 'head', ephemeral: true });
    const durable = bus.subscribe('durable', ['notifications.item-added'], async () => {});
    const closed = other.subscribe('live-closed', ['notifications.item-added'], async () => {}, { startAt: 'head', ephemeral: true });
    await Promise.all([stopped.ready?.(), durable.ready?.(), closed.ready?.()]);
    expect(await names(bus)).toEqual(['durable', 'live-closed', 'live-stopped']);

    await stopped.stop();
    await other.close();
    await durable.stop();
    expect(await names(bus)).toEqual(['durable']);
  });

  it('removes an ephemeral consumer whose process died once it has expired, when the next one starts', async () => {
    const sql = postgres(database().url, { max: 1, onnotice: () => {} });
    try {
      const bus = await startBus();
      await sql`insert into event_bus.consumers (name, expires_at) values ('live-dead', now() - interval '1 minute'), ('live-alive', now() + interval '5 minutes')`;
      const live = bus.subscribe('live-new', ['notifications.item-added'], async () => {}, { startAt: 'head', ephemeral: true });
      await live.ready?.();
      expect(await names(bus)).toEqual(['live-alive', 'live-new']);
    } finally {
      await sql.end();
    }
  });
});
