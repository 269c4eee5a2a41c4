import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { startPostgresEventBus, type EventOf, type PostgresEventBus, type PostgresEventBusOptions } from '../lib/events/bus.ts';
import { newEvent } from '../lib/events/catalogue.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** Events about one person for the event bus tests: a titled security event, and the account's deletion. */
export function eventsAbout(userId: string) {
  return {
    securityEvent: (title: string) => newEvent('identity.security-event', { userId, eventId: randomUUID(), kind: 'LOGIN', title, body: '', occurredAt: new Date().toISOString() }),
    accountDeleted: () => newEvent('identity.account-deleted', { userId }),
  };
}

/** What a consumer received, by the security events' titles (other events by their type). */
export const titles = (events: EventOf[]) => events.map((event) => (event.type === 'identity.security-event' ? event.payload.title : event.type));

/**
 * PostgreSQL buses for a test file, as natsTestBuses (test/nats.ts) for NATS: a fresh database per
 * test, and `start` for a bus on it (handler failures are expected in these tests, so not logged);
 * buses closed and the database dropped after each test.
 */
export function postgresTestBuses(): { start(options?: Omit<PostgresEventBusOptions, 'url'>): Promise<PostgresEventBus>; database(): TestDatabase } {
  let database: TestDatabase;
  const buses: PostgresEventBus[] = [];
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await database.drop();
  });
  return {
    async start(options = {}) {
      const bus = await startPostgresEventBus({ url: database.url, max: 4, onError: () => {}, ...options });
      buses.push(bus);
      return bus;
    },
    database: () => database,
  };
}
