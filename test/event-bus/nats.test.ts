import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as profileTables from '../../subgraphs/profile/db/schema.ts';
import { createTestDatabase } from '../database.ts';
import { eventsAbout, titles } from '../event-fixtures.ts';
import { NATS_URL, natsUnavailable } from '../nats.ts';
import { connect as connectDatabase } from '../../lib/db.ts';
import { connectEventBus, type EventOf } from '../../lib/events/bus.ts';
import type { DomainEvent } from '../../lib/events/catalogue.ts';
import { startNatsEventBus, type NatsEventBus, type NatsEventBusOptions } from '../../lib/events/nats.ts';
import { recordEvent } from '../../lib/events/outbox.ts';
import { startRelay } from '../../lib/events/relay.ts';

const unavailable = await natsUnavailable();

// Every stream of this run is named after it; each test has its own stream and subjects.
const run = randomUUID().slice(0, 8);
let admin: NatsConnection | undefined;
let stream = '';
let subjectPrefix = '';
let testNumber = 0;
const buses: NatsEventBus[] = [];

/** A bus on this test's stream; closed after the test. Handler failures are expected here, so they are not logged. */
async function startBus(options: Partial<NatsEventBusOptions> = {}): Promise<NatsEventBus> {
  const bus = await startNatsEventBus({ servers: NATS_URL, stream, subjectPrefix, onError: () => {}, ...options });
  buses.push(bus);
  return bus;
}

async function deleteStreams(names: string[]) {
  const jsm = await admin!.jetstreamManager();
  for (const name of names) await jsm.streams.delete(name).catch(() => {});
}

const userId = randomUUID();
const { securityEvent, accountDeleted } = eventsAbout(userId);

describe.skipIf(unavailable !== null)(unavailable ? `NATS JetStream event bus (skipped: ${unavailable})` : `NATS JetStream event bus at ${NATS_URL}`, () => {
  beforeEach(async () => {
    admin ??= await connect({ servers: NATS_URL });
    testNumber++;
    stream = `EPGU_TEST_${run}_${testNumber}`;
    subjectPrefix = `epgu-test.${run}.t${testNumber}`;
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await deleteStreams([stream]);
  });

  afterAll(async () => {
    if (!admin) return;
    // Whatever a failed test left behind.
    const jsm = await admin.jetstreamManager();
    const leftovers: string[] = [];
    for await (const name of jsm.streams.names()) if (name.startsWith(`EPGU_TEST_${run}_`)) leftovers.push(name);
    await deleteStreams(leftovers);
    await admin.close();
  });

  it('delivers an event published by one bus instance to a subscriber on another', async () => {
    const a = await startBus();
    const b = await startBus();
    const received: EventOf[] = [];
    const subscription = b.subscribe('feed', ['identity.security-event'], async (event) => void received.push(event));

    const event = securityEvent('1');
    await a.publish([event]);

    await expect.poll(() => received).toEqual([event]);
    expect(await subscription.pending()).toBe(0);
  });

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
    const first = securityEvent('1');
    const second = securityEvent('2');

    await bus.publish([first]);
    await bus.publish([first, second, second]);
    await bus.publish([first]);

    const received: EventOf[] = [];
    const subscription = bus.subscribe('feed', ['identity.security-event'], async (event) => void received.push(event));
    await expect.poll(() => subscription.pending()).toBe(0);
    expect(received).toEqual([first, second]);
    const jsm = await admin!.jetstreamManager();
    expect((await jsm.streams.info(stream)).state.messages).toBe(2);
  });

  it('counts the events a consumer has not handled yet, before and after it first runs', async () => {
    const bus = await startBus();
    await bus.publish([securityEvent('1'), accountDeleted(), securityEvent('2')]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const subscription = bus.subscribe('feed', ['identity.security-event'], () => gate);

    expect(await subscription.pending()).toBe(2);
    await expect.poll(async () => (await bus.consumers()).map((consumer) => [consumer.name, consumer.ackPending])).toEqual([['feed', 1]]);
    expect(await subscription.pending()).toBe(2);
    release();
    await expect.poll(() => subscription.pending()).toBe(0);
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
    await expect.poll(() => attempts.filter((title) => title === '2').length).toBeGreaterThanOrEqual(3);
    expect(titles(handledBySteady)).toEqual(['1', '2', '3']);
    expect(titles(handledByFlaky)).toEqual(['1']);
    expect(attempts.filter((title) => title !== '2')).toEqual(['1']);
    const flakyState = async () => (await bus.consumers()).find((consumer) => consumer.name === 'flaky')!;
    expect(await flakyState()).toEqual({ name: 'flaky', position: 1, pending: 1, ackPending: 1, redelivered: 1 });
    expect(await flaky.pending()).toBe(2);

    healthy = true;
    await expect.poll(() => flaky.pending()).toBe(0);
    expect(titles(handledByFlaky)).toEqual(['1', '2', '3']);
    expect(attempts.filter((title) => title !== '2')).toEqual(['1', '3']);
    expect(await bus.consumers()).toEqual([
      { name: 'flaky', position: 3, pending: 0, ackPending: 0, redelivered: 0 },
      { name: 'steady', position: 3, pending: 0, ackPending: 0, redelivered: 0 },
    ]);
  });

  it('runs one consumer name in two processes without handling an event twice or two at once', async () => {
    const first = await startBus();
    const second = await startBus();
    const handled: string[] = [];
    const handledBy = new Set<string>();
    let inFlight = 0;
    let mostInFlight = 0;
    const handler = (process: string) => async (event: EventOf) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await sleep(2);
      handled.push(event.id);
      handledBy.add(process);
      inFlight--;
    };
    const subscriptions = [first.subscribe('shared', ['identity.security-event'], handler('first')), second.subscribe('shared', ['identity.security-event'], handler('second'))];

    const events = Array.from({ length: 20 }, (_, n) => securityEvent(String(n)));
    for (let n = 0; n < events.length; n += 4) await (n % 8 ? first : second).publish(events.slice(n, n + 4));

    await expect.poll(() => subscriptions[0]!.pending()).toBe(0);
    expect({ handled, mostInFlight }).toEqual({ handled: events.map((event) => event.id), mostInFlight: 1 });
    // Not a guarantee, but with both pulling, both get some: the test really had two processes at work.
    expect([...handledBy].sort()).toEqual(['first', 'second']);
  });

  it('keeps an event that takes longer than the ack wait with the process that is handling it', async () => {
    const first = await startBus({ ackWaitMs: 300 });
    const second = await startBus({ ackWaitMs: 300 });
    const starts: string[] = [];
    const handler = async (event: EventOf) => {
      starts.push(titles([event])[0]!);
      await sleep(900);
    };
    const subscriptions = [first.subscribe('slow', ['identity.security-event'], handler), second.subscribe('slow', ['identity.security-event'], handler)];

    await first.publish([securityEvent('1')]);
    await expect.poll(() => subscriptions[0]!.pending(), { timeout: 3_000 }).toBe(0);
    expect(starts).toEqual(['1']);
  });

  it('keeps a consumer name’s position when its process stops: a new process goes on after it', async () => {
    const publisher = await startBus();
    const before: EventOf[] = [];
    const firstRun = (await startBus()).subscribe('feed', ['identity.security-event'], async (event) => void before.push(event));
    await publisher.publish([securityEvent('1'), securityEvent('2')]);
    await expect.poll(() => firstRun.pending()).toBe(0);
    await firstRun.stop();

    await publisher.publish([securityEvent('3')]);
    const after: EventOf[] = [];
    const secondRun = (await startBus()).subscribe('feed', ['identity.security-event'], async (event) => void after.push(event));
    await expect.poll(() => secondRun.pending()).toBe(0);
    expect([titles(before), titles(after)]).toEqual([['1', '2'], ['3']]);
  });

  it('starts a new ephemeral consumer at the head once ready, and forgets it when it stops', async () => {
    const bus = await startBus();
    await bus.publish([securityEvent('before')]);
    const received: EventOf[] = [];
    const live = bus.subscribe('live-1', ['identity.security-event'], async (event) => void received.push(event), { startAt: 'head', ephemeral: true });
    await live.ready!();
    expect(await live.pending()).toBe(0);

    await bus.publish([securityEvent('after')]);
    await expect.poll(() => titles(received)).toEqual(['after']);
    expect((await bus.consumers()).map((consumer) => consumer.name)).toEqual(['live-1']);
    await live.stop();
    expect(await bus.consumers()).toEqual([]);
  });

  it('carries events from an outbox, through two relays, to a consumer once each and in order', async () => {
    const database = await createTestDatabase();
    const subgraph = connectDatabase(database.url, profileTables, { max: 4 });
    const { outbox } = profileTables;
    try {
      const received: EventOf[] = [];
      const subscription = (await startBus()).subscribe('identity', ['profile.data-check-completed'], async (event) => void received.push(event));
      const relays = [await startRelay(subgraph, outbox, await startBus(), { pollIntervalMs: 100 }), await startRelay(subgraph, outbox, await startBus(), { pollIntervalMs: 100 })];
      const recorded: DomainEvent[] = [];
      for (let n = 0; n < 10; n++) {
        const payload = { userId, checkId: randomUUID(), outcome: 'FAILED' as const, reason: String(n), passport: null, snils: null };
        recorded.push(await subgraph.db.transaction((tx) => recordEvent(tx, outbox, 'profile.data-check-completed', payload)));
      }
      await expect.poll(() => received.length, { timeout: 3_000 }).toBe(10);
      expect(received).toEqual(recorded);
      expect(await subscription.pending()).toBe(0);
      await Promise.all(relays.map((relay) => relay.stop()));
    } finally {
      await subgraph.close();
      await database.drop();
    }
  });

  it('is chosen by EVENT_BUS=nats with NATS_URL, NATS_STREAM and NATS_SUBJECT_PREFIX', async () => {
    const env = { EVENT_BUS: 'nats', NATS_URL, NATS_STREAM: stream, NATS_SUBJECT_PREFIX: subjectPrefix };
    const bus = await connectEventBus('postgres://unused.invalid/none', { onError: () => {} }, env);
    buses.push(bus as NatsEventBus);
    const received: EventOf[] = [];
    bus.subscribe('feed', ['identity.account-deleted'], async (event) => void received.push(event));
    const event = accountDeleted();
    await (await startBus()).publish([event]);
    await expect.poll(() => received).toEqual([event]);
    expect((bus as NatsEventBus).stream).toBe(stream);
  });
});

describe('choosing the event bus', () => {
  it('refuses an EVENT_BUS it does not know', async () => {
    await expect(connectEventBus('postgres://unused.invalid/none', {}, { EVENT_BUS: 'kafka' })).rejects.toThrow('EVENT_BUS=kafka: expected postgres (the default) or nats.');
  });

  it('keeps PostgreSQL the default and says how to choose NATS when given a nats:// URL', async () => {
    await expect(connectEventBus('nats://127.0.0.1:4222', {}, {})).rejects.toThrow('for NATS set EVENT_BUS=nats and NATS_URL');
  });
});
