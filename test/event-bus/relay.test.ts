import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import * as tables from '../../subgraphs/profile/db/schema.ts';
import { connect, type Database } from '../../lib/db.ts';
import { startPostgresEventBus, type EventBus, type EventOf, type PostgresEventBus } from '../../lib/events/bus.ts';
import type { DomainEvent } from '../../lib/events/catalogue.ts';
import { recordEvent } from '../../lib/events/outbox.ts';
import { startRelay, type Relay } from '../../lib/events/relay.ts';

/** Profile's outbox stands in for any subgraph's: the relay only knows the table. */
const { outbox } = tables;

let database: TestDatabase;
let subgraph: Database<typeof tables>;
let bus: PostgresEventBus;
let received: EventOf[];
let relays: Relay[];

beforeEach(async () => {
  database = await createTestDatabase();
  subgraph = connect(database.url, tables, { max: 4 });
  bus = await startPostgresEventBus({ url: database.url, max: 4 });
  received = [];
  relays = [];
  bus.subscribe('listener', ['profile.data-check-completed'], async (event) => void received.push(event));
});

afterEach(async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  await bus.close();
  await subgraph.close();
  await database.drop();
});

async function relay(options: { pollIntervalMs?: number; bus?: EventBus } = {}): Promise<Relay> {
  const started = await startRelay(subgraph, outbox, options.bus ?? bus, { pollIntervalMs: options.pollIntervalMs ?? 100 });
  relays.push(started);
  return started;
}

function checkCompleted(reason: string) {
  return { userId: randomUUID(), checkId: randomUUID(), outcome: 'FAILED' as const, reason, passport: null, snils: null };
}

/** Records one event in a transaction of its own, as a mutation of the subgraph would. */
const record = (reason: string) => subgraph.db.transaction((tx) => recordEvent(tx, outbox, 'profile.data-check-completed', checkCompleted(reason)));

const reasons = (events: EventOf[]) => events.map((event) => (event.type === 'profile.data-check-completed' ? event.payload.reason : null));

describe('Outbox relay', () => {
  it('publishes recorded events in the order they were recorded and marks them published', async () => {
    const recorded: DomainEvent[] = [await record('1'), await record('2')];
    await subgraph.db.transaction(async (tx) => {
      recorded.push(await recordEvent(tx, outbox, 'profile.data-check-completed', checkCompleted('3')));
      recorded.push(await recordEvent(tx, outbox, 'profile.data-check-completed', checkCompleted('4')));
    });
    const running = await relay();

    await expect.poll(() => received.length).toBe(4);
    expect(received).toEqual(recorded);
    expect(await running.pending()).toBe(0);
    const rows = await subgraph.db.select().from(outbox).orderBy(asc(outbox.position));
    expect(rows.map((row) => ({ id: row.id, published: row.publishedAt instanceof Date }))).toEqual(recorded.map((event) => ({ id: event.id, published: true })));
  });

  it('never publishes an event recorded in a transaction that rolled back', async () => {
    await relay();
    await expect(
      subgraph.db.transaction(async (tx) => {
        await recordEvent(tx, outbox, 'profile.data-check-completed', checkCompleted('откат'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const committed = await record('фиксация');

    await expect.poll(() => received.length).toBe(1);
    expect(received).toEqual([committed]);
    expect((await subgraph.db.select().from(outbox)).map((row) => row.id)).toEqual([committed.id]);
  });

  it('is woken by the commit, not by its poll', async () => {
    const running = await relay({ pollIntervalMs: 60_000 });
    await expect.poll(() => running.pending()).toBe(0);

    const event = await record('1');
    await expect.poll(() => received, { timeout: 3_000 }).toEqual([event]);
  });

  it('publishes every event once and in order when two instances relay one outbox', async () => {
    const published: string[] = [];
    const counting: EventBus = { ...bus, publish: (events) => (published.push(...events.map((event) => event.id)), bus.publish(events)) };
    await relay({ bus: counting });
    await relay({ bus: counting });

    const recorded: DomainEvent[] = [];
    for (let n = 0; n < 30; n++) recorded.push(await record(String(n)));

    await expect.poll(() => received.length).toBe(30);
    expect(reasons(received)).toEqual(recorded.map((_, n) => String(n)));
    expect(published).toEqual(recorded.map((event) => event.id));
  });
});
