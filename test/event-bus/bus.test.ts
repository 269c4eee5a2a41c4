import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { eventsAbout, postgresTestBuses, titles } from '../event-fixtures.ts';
import type { EventOf } from '../../lib/events/bus.ts';

// A fresh database per test, and the buses started on it (closed after each test).
const { start: startBus, database } = postgresTestBuses();

const userId = randomUUID();
const { securityEvent, accountDeleted } = eventsAbout(userId);

describe('PostgreSQL event bus', () => {
  it('delivers every event of its types to each consumer in the order they were published', async () => {
    const publisher = await startBus();
    const consumer = await startBus();
    const all: EventOf[] = [];
    const deletions: EventOf[] = [];
    const everything = consumer.subscribe('everything', ['identity.security-event', 'identity.account-deleted'], async (event) => void all.push(event));
    const onlyDeletions = consumer.subscribe('deletions', ['identity.account-deleted'], async (event) => void deletions.push(event));

    const deleted = accountDeleted();
    await publisher.publish([securityEvent('1'), securityEvent('2')]);
    await publisher.publish([deleted]);
    await consumer.publish([securityEvent('3'), securityEvent('4')]);

    await expect.poll(() => everything.pending()).toBe(0);
    await expect.poll(() => onlyDeletions.pending()).toBe(0);
    expect(titles(all)).toEqual(['1', '2', 'identity.account-deleted', '3', '4']);
    expect(deletions).toEqual([deleted]);
  });

  it('stores an event published twice once, so its consumer receives it once', async () => {
    const bus = await startBus();
    const received: EventOf[] = [];
    const subscription = bus.subscribe('feed', ['identity.security-event'], async (event) => void received.push(event));
    const first = securityEvent('1');
    const second = securityEvent('2');

    await bus.publish([first]);
    await bus.publish([first, second, second]);
    await bus.publish([first]);

    await expect.poll(() => subscription.pending()).toBe(0);
    expect(received).toEqual([first, second]);
  });

  it('retries a failing handler later, in order, without holding up other consumers', async () => {
    const bus = await startBus({ retry: { baseMs: 20, maxMs: 200 } });
    let healthy = false;
    const attempts: string[] = [];
    const handledByFlaky: EventOf[] = [];
    const handledBySteady: EventOf[] = [];
    const flaky = bus.subscribe('flaky', ['identity.security-event'], async (event) => {
      attempts.push(titles([event])[0]!);
      if (event.payload.title === '2' && !healthy) throw new Error('нет связи с хранилищем');
      handledByFlaky.push(event);
    });
    const steady = bus.subscribe('steady', ['identity.security-event'], async (event) => void handledBySteady.push(event));

    await bus.publish([securityEvent('1'), securityEvent('2'), securityEvent('3')]);
    await expect.poll(() => steady.pending()).toBe(0);
    const flakyState = async () => (await bus.consumers()).find((consumer) => consumer.name === 'flaky')!;
    await expect.poll(async () => (await flakyState()).attempts).toBeGreaterThanOrEqual(3);
    expect(titles(handledBySteady)).toEqual(['1', '2', '3']);
    expect(titles(handledByFlaky)).toEqual(['1']);
    const failing = await flakyState();
    expect({ ...failing, attempts: failing.attempts >= 3, retryAt: failing.retryAt instanceof Date }).toEqual({
      name: 'flaky',
      position: 1,
      attempts: true,
      retryAt: true,
      lastError: `identity.security-event ${handledBySteady[1]!.id}: нет связи с хранилищем`,
    });

    healthy = true;
    await expect.poll(() => flaky.pending()).toBe(0);
    expect(titles(handledByFlaky)).toEqual(['1', '2', '3']);
    expect(attempts.filter((title) => title !== '2')).toEqual(['1', '3']);
    expect(await bus.consumers()).toEqual([
      { name: 'flaky', position: 3, attempts: 0, retryAt: null, lastError: null },
      { name: 'steady', position: 3, attempts: 0, retryAt: null, lastError: null },
    ]);
  });

  it('runs one consumer name in two processes without handling an event twice or two at once', async () => {
    const first = await startBus();
    const second = await startBus();
    const handled: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const handler = async (event: EventOf) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await sleep(2);
      handled.push(event.id);
      inFlight--;
    };
    const subscriptions = [first.subscribe('shared', ['identity.security-event'], handler), second.subscribe('shared', ['identity.security-event'], handler)];

    const events = Array.from({ length: 20 }, (_, n) => securityEvent(String(n)));
    for (let n = 0; n < events.length; n += 4) await (n % 8 ? first : second).publish(events.slice(n, n + 4));

    await expect.poll(() => subscriptions[0]!.pending()).toBe(0);
    expect({ handled, mostInFlight }).toEqual({ handled: events.map((event) => event.id), mostInFlight: 1 });
  });

  it('wakes a consumer with a notification, without waiting for the next poll', async () => {
    const consumer = await startBus({ pollIntervalMs: 60_000 });
    const received: EventOf[] = [];
    const subscription = consumer.subscribe('feed', ['identity.security-event'], async (event) => void received.push(event));
    await expect.poll(async () => (await consumer.consumers()).length).toBe(1);

    const event = securityEvent('1');
    await (await startBus()).publish([event]);
    await expect.poll(() => received, { timeout: 3_000 }).toEqual([event]);
    expect(await subscription.pending()).toBe(0);
  });

  it('finds an event whose notification never came on its next poll', async () => {
    const bus = await startBus({ pollIntervalMs: 100 });
    const received: EventOf[] = [];
    bus.subscribe('feed', ['identity.security-event'], async (event) => void received.push(event));
    await expect.poll(async () => (await bus.consumers()).length).toBe(1);

    const event = securityEvent('1');
    const sql = postgres(database().url, { max: 1 });
    await sql`insert into event_bus.events (id, type, payload, occurred_at) values (${event.id}, ${event.type}, ${sql.json(event.payload)}, ${event.occurredAt})`;
    await sql.end();
    await expect.poll(() => received, { timeout: 3_000 }).toEqual([event]);
  });
});
