import type { Database } from '../db.ts';
import type { EventBus, EventOf, Subscription } from './bus.ts';
import type { EventType } from './catalogue.ts';
import { installEntityChanges, type EntitySource } from './entity-changes.ts';
import type { OutboxTable } from './outbox.ts';
import { startRelay, type Relay, type RelayOptions } from './relay.ts';

/** A named bus consumer: the event types it takes and what it does with each (see inbox.ts). */
export interface Consumer {
  name: string;
  types: readonly EventType[];
  handle(event: EventOf): Promise<void>;
}

/**
 * A subgraph's part in the event pipeline, exported by its `events.ts` and handed to `runSubgraph`
 * (and to the test graph): the outbox it produces into, the consumers it runs.
 */
export interface SubgraphEvents<TSchema extends Record<string, unknown>> {
  /** The subgraph's `outboxTable(...)`, when it produces events: a relay publishes it. */
  outbox?: OutboxTable;
  /** Its consumers, built on its own database connection. */
  consumers?: (database: Database<TSchema>) => Consumer[];
  /** Its tables that feed cached entities (needs `outbox`): their changes become `<subgraph>.entities-changed`. */
  entitySources?: readonly EntitySource[];
}

/** A subgraph's relay and subscriptions, running. */
export interface RunningEvents {
  relay: Relay | null;
  subscriptions: Subscription[];
  stop(): Promise<void>;
}

/** Starts the subgraph's relay (if it has an outbox) and subscribes its consumers to `bus`. */
export async function startSubgraphEvents<TSchema extends Record<string, unknown>>(
  bus: EventBus,
  database: Database<TSchema>,
  events: SubgraphEvents<TSchema>,
  options: { relay?: RelayOptions } = {},
): Promise<RunningEvents> {
  if (events.entitySources && events.outbox) await installEntityChanges(database.sql, events.outbox, events.entitySources);
  const relay = events.outbox ? await startRelay(database, events.outbox, bus, options.relay) : null;
  const subscriptions = (events.consumers?.(database) ?? []).map((consumer) => bus.subscribe(consumer.name, consumer.types, (event) => consumer.handle(event)));
  return {
    relay,
    subscriptions,
    async stop() {
      await Promise.all([relay?.stop(), ...subscriptions.map((subscription) => subscription.stop())]);
    },
  };
}
