/**
 * A consumer process for test/faults/bus-consumer-kill.test.ts, run with `node --import tsx` and
 * killed with SIGKILL by it: notifications' own consumers (feed items from identity's security
 * events) and a counter whose every run inserts one row (`fault_effects`, no key: a second run of
 * an event is a second row), both behind the inbox, as every consumer is. The bus is
 * FAULT_BUS=postgres (on FAULT_DATABASE_URL) or FAULT_BUS=nats (FAULT_NATS_URL, FAULT_NATS_STREAM,
 * FAULT_NATS_PREFIX). Says "ready" on stdout once subscribed.
 */
import { sql } from 'drizzle-orm';
import { connect } from '../../lib/db.ts';
import { startPostgresEventBus, type EventBus } from '../../lib/events/bus.ts';
import { idempotentConsumer } from '../../lib/events/inbox.ts';
import { startNatsEventBus } from '../../lib/events/nats.ts';
import * as notificationsTables from '../../subgraphs/notifications/db/schema.ts';
import { notificationsEvents } from '../../subgraphs/notifications/events.ts';

const env = process.env;
const database = connect(env.FAULT_DATABASE_URL!, notificationsTables, { max: 4 });
// Short waits, so the kill's consequences show within the test: a poll of 200 ms, and an event in
// the dead process's hands redelivered after 1 s on NATS.
const bus: EventBus =
  env.FAULT_BUS === 'nats'
    ? await startNatsEventBus({ servers: env.FAULT_NATS_URL!, stream: env.FAULT_NATS_STREAM!, subjectPrefix: env.FAULT_NATS_PREFIX!, ackWaitMs: 1_000, onError: () => {} })
    : await startPostgresEventBus({ url: env.FAULT_DATABASE_URL!, max: 4, pollIntervalMs: 200, onError: () => {} });
const counter = idempotentConsumer('fault-counter', database, notificationsTables.inbox, {
  'identity.security-event': async (tx, event) => {
    await tx.execute(sql`insert into public.fault_effects (event_id) values (${event.id}::uuid)`);
  },
});
for (const consumer of [...notificationsEvents.consumers!(database), counter]) {
  const subscription = bus.subscribe(consumer.name, consumer.types, (event) => consumer.handle(event));
  await subscription.ready?.();
}
process.stdout.write('ready\n');
