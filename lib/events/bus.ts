import postgres from 'postgres';
import type { DomainEvent, EventType } from './catalogue.ts';
import { backoffMs, startWorker, type Worker } from './worker.ts';
import { reconnectBackoff } from '../db.ts';
import { logger } from '../log.ts';

/**
 * The event bus between subgraphs. Producers publish through their outbox relay (relay.ts);
 * consumers subscribe by name. Guarantees every implementation keeps:
 * - an event id is stored once, however often it is published;
 * - each consumer name receives every event of its types at least once, in publishing order;
 * - a consumer name handles one event at a time across all its processes;
 * - a handler that throws gets the same event again later, with a growing delay, and holds up
 *   only its own consumer.
 * PostgreSQL (below, the default) and NATS JetStream (nats.ts: a durable consumer per name,
 * max-ack-pending 1, ack after the handler) implement it; `connectEventBus` picks one by configuration.
 */
export interface EventBus {
  /** Appends events to the stream, in the given order. Publishing an id again is a no-op. */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /** Runs `handler` for every event of `types` the consumer `consumer` has not handled yet, in order. */
  subscribe<T extends EventType>(consumer: string, types: readonly T[], handler: EventHandler<T>, options?: SubscribeOptions): Subscription;
  /** Stops every subscription of this process and lets go of the connections. */
  close(): Promise<void>;
}

/** One event of any of the types `T`, narrowed by its `type`. */
export type EventOf<T extends EventType = EventType> = { [K in T]: DomainEvent<K> }[T];

export type EventHandler<T extends EventType = EventType> = (event: EventOf<T>) => Promise<void>;

/**
 * How a consumer name starts and ends. Both exist for live consumers: a process's in-memory fan-out
 * (notifications' live streams) under a name unique to the process, which wants only what happens
 * from now on and must not stay registered after the process is gone.
 */
export interface SubscribeOptions {
  /** Where a name seen for the first time starts: the beginning of the stream (default) or its head (only events published from now on). */
  startAt?: 'beginning' | 'head';
  /**
   * Forget the consumer when it stops (and when the bus closes); a process that dies without
   * stopping leaves it to expire and be removed by the next ephemeral subscriber. Never for a
   * consumer whose effects must not be lost.
   */
  ephemeral?: boolean;
}

export interface Subscription {
  /**
   * Resolves once the consumer is registered with its starting position fixed: every event
   * published after that reaches it. Implementations should provide it; live consumers wait for it.
   */
  ready?(): Promise<void>;
  /** How many events of its types the consumer has not handled yet, counting all its processes. */
  pending(): Promise<number>;
  /** Stops taking events in this process; waits for a running handler to end. */
  stop(): Promise<void>;
}

/** How a consumer stands, for operators and for tests that wait for quiet. */
export interface ConsumerState {
  name: string;
  /** Sequence number of the last event it handled. */
  position: number;
  /** Failed attempts at the event after `position`; 0 when healthy. */
  attempts: number;
  retryAt: Date | null;
  lastError: string | null;
}

export interface PostgresEventBusOptions {
  /** The database whose `event_bus` schema holds the stream (usually the subgraphs' own server). */
  url: string;
  /** Longest wait before a consumer looks for events when no notification came. Default 5 s. */
  pollIntervalMs?: number;
  /** Events a consumer takes per transaction. Default 100. */
  batchSize?: number;
  /** Delay before retrying a failed handler: doubling from `baseMs` up to `maxMs`. Default 1 s to 5 min. */
  retry?: { baseMs: number; maxMs: number };
  /** Connections for publishing and consumers (one per consumer while it works). Default 10. */
  max?: number;
  /** Where handler failures and connection errors go. Default: logged (lib/log.ts). */
  onError?: (error: unknown) => void;
}

/**
 * The bus this process uses, by configuration (`env`, normally `process.env`):
 * - `EVENT_BUS=nats`: NATS JetStream at `NATS_URL` (default `nats://127.0.0.1:4222`, several servers
 *   separated by commas), stream `NATS_STREAM` (default `EPGU_EVENTS`) over subjects
 *   `NATS_SUBJECT_PREFIX.<type>` (default `epgu.events`); `url` is not used;
 * - unset or `EVENT_BUS=postgres`: PostgreSQL at `url` (the default).
 */
export async function connectEventBus(url: string, options: Omit<PostgresEventBusOptions, 'url'> = {}, env: Record<string, string | undefined> = process.env): Promise<EventBus> {
  const kind = env.EVENT_BUS?.trim().toLowerCase() || 'postgres';
  if (kind === 'nats') {
    // Loaded only when chosen, so a Postgres deployment never touches the nats package.
    const { startNatsEventBus } = await import('./nats.ts');
    const servers = (env.NATS_URL || 'nats://127.0.0.1:4222')
      .split(',')
      .map((server) => server.trim())
      .filter(Boolean);
    return startNatsEventBus({
      servers,
      ...(env.NATS_STREAM ? { stream: env.NATS_STREAM } : {}),
      ...(env.NATS_SUBJECT_PREFIX ? { subjectPrefix: env.NATS_SUBJECT_PREFIX } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }
  if (kind !== 'postgres' && kind !== 'postgresql') throw new Error(`EVENT_BUS=${env.EVENT_BUS}: expected postgres (the default) or nats.`);
  const scheme = new URL(url).protocol;
  if (scheme === 'postgres:' || scheme === 'postgresql:') return startPostgresEventBus({ ...options, url });
  throw new Error(`The PostgreSQL event bus needs a postgres:// URL, not ${scheme} (for NATS set EVENT_BUS=nats and NATS_URL).`);
}

const CHANNEL = 'event_bus';

/**
 * The stream is append-only; `seq` orders it. Appends take turns under an advisory lock, so `seq`
 * order is commit order and a consumer that has read up to `seq` n never later finds a smaller one.
 */
const SETUP = [
  `create schema if not exists event_bus`,
  `create table if not exists event_bus.events (
     seq bigint generated always as identity primary key,
     id uuid not null unique,
     type text not null,
     payload jsonb not null,
     occurred_at timestamptz not null,
     published_at timestamptz not null default now()
   )`,
  `create index if not exists events_type_seq_idx on event_bus.events (type, seq)`,
  `create table if not exists event_bus.consumers (
     name text primary key,
     position bigint not null default 0,
     attempts integer not null default 0,
     retry_at timestamptz,
     last_error text,
     updated_at timestamptz not null default now()
   )`,
  // Ephemeral (live) consumers only: refreshed while their process runs, removed once passed.
  `alter table event_bus.consumers add column if not exists expires_at timestamptz`,
];

/** How long an ephemeral consumer outlives its last sign of life (its process died without stopping it). */
const EPHEMERAL_TTL_MS = 10 * 60_000;

interface StreamRow {
  seq: string;
  id: string;
  type: EventType;
  payload: DomainEvent['payload'];
  occurred_at: Date;
}

export type PostgresEventBus = EventBus & {
  /** Sequence number of the newest event in the stream; 0 when empty. */
  head(): Promise<number>;
  /** Every consumer's position and health. */
  consumers(): Promise<ConsumerState[]>;
};

type Sql = postgres.Sql;
type Transaction = postgres.TransactionSql;

/** What a consumer's subscription needs from its bus. */
interface PostgresConsumerContext extends Required<Pick<PostgresEventBusOptions, 'pollIntervalMs' | 'batchSize' | 'retry' | 'onError'>> {
  sql: Sql;
  /** The running workers and their types, woken by the LISTEN on `CHANNEL`. */
  workers: Map<Worker, readonly EventType[]>;
  /** How to forget each running ephemeral consumer, for `close`. */
  ephemerals: Set<() => Promise<void>>;
}

/** Creates the `event_bus` schema if needed, listens for new events and returns the bus. */
export async function startPostgresEventBus({
  url,
  pollIntervalMs = 5_000,
  batchSize = 100,
  retry = { baseMs: 1_000, maxMs: 5 * 60_000 },
  max = 10,
  onError = (error) => logger('event-bus').error({ err: error }, 'event bus failure'),
}: PostgresEventBusOptions): Promise<PostgresEventBus> {
  const sql = postgres(url, { max, onnotice: () => {}, backoff: reconnectBackoff });
  await createSchema(sql);
  const workers = new Map<Worker, readonly EventType[]>();
  const listening = await wakeOnPublish(sql, workers);
  const context: PostgresConsumerContext = { sql, pollIntervalMs, batchSize, retry, onError, workers, ephemerals: new Set() };

  return {
    publish: (events) => appendEvents(sql, events),
    subscribe: (consumer, types, handler, options) => subscribeConsumer(context, consumer, types, handler, options),
    async head() {
      const [row] = await sql<{ head: number }[]>`/* streamHead */ select coalesce(max(seq), 0)::float8 as head from event_bus.events`;
      return row?.head ?? 0;
    },
    async consumers() {
      return sql<ConsumerState[]>`
        /* consumerStates */
        select name, position::float8 as position, attempts, retry_at as "retryAt", last_error as "lastError"
        from event_bus.consumers order by name`;
    },
    async close() {
      await Promise.all([...workers.keys()].map((worker) => worker.stop()));
      workers.clear();
      await Promise.all([...context.ephemerals].map((forget) => forget().catch(onError)));
      await listening.unlisten();
      await sql.end({ timeout: 5 });
    },
  };
}

async function createSchema(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    // Several services may start at once against one server: one of them creates, the others wait.
    await tx`select pg_advisory_xact_lock(hashtext('epgu-graph:event_bus:setup'))`;
    for (const statement of SETUP) await tx.unsafe(statement);
  });
}

/** LISTENs for `publish`'s notifications and wakes the workers whose types were published. */
function wakeOnPublish(sql: Sql, workers: Map<Worker, readonly EventType[]>) {
  return sql.listen(
    CHANNEL,
    (payload) => {
      const published = new Set(payload.split(','));
      for (const [worker, types] of workers) if (!payload || types.some((type) => published.has(type))) worker.wake();
    },
    // After a reconnect notifications may have been missed: everyone looks.
    () => workers.forEach((_types, worker) => worker.resume()),
  );
}

async function appendEvents(sql: Sql, events: readonly DomainEvent[]): Promise<void> {
  if (!events.length) return;
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('epgu-graph:event_bus:append'))`;
    await tx`
      /* appendEvents */
      insert into event_bus.events (id, type, payload, occurred_at)
      select (e ->> 'id')::uuid, e ->> 'type', e -> 'payload', (e ->> 'occurredAt')::timestamptz
      from jsonb_array_elements(${tx.json(events as unknown as postgres.JSONValue)}) with ordinality as batch(e, n)
      order by n
      on conflict (id) do nothing`;
    // Delivered at commit, and only if it commits.
    await tx`select pg_notify(${CHANNEL}, ${[...new Set(events.map((e) => e.type))].join(',')})`;
  });
}

function subscribeConsumer<T extends EventType>(
  { sql, pollIntervalMs, batchSize, retry, onError, workers, ephemerals }: PostgresConsumerContext,
  consumer: string,
  types: readonly T[],
  handler: EventHandler<T>,
  { startAt = 'beginning', ephemeral = false }: SubscribeOptions = {},
): Subscription {
  let registration: Promise<void> | null = null;
  let stopping = false;
  let refreshedAt = Date.now();
  const typeList: string[] = [...types];
  const expiresAt = () => (ephemeral ? new Date(Date.now() + EPHEMERAL_TTL_MS) : null);

  // A name seen for the first time starts at 0 or at the stream's head; a known name keeps its position.
  const register = () =>
    (registration ??= (async () => {
      if (ephemeral) await sql`/* sweepExpiredConsumers */ delete from event_bus.consumers where expires_at < now()`;
      await sql`
        /* registerConsumer */
        insert into event_bus.consumers (name, position, expires_at)
        values (${consumer}, ${startAt === 'head' ? sql`(select coalesce(max(seq), 0) from event_bus.events)` : sql`0`}, ${expiresAt()})
        on conflict do nothing`;
    })().catch((error: unknown) => {
      registration = null; // the worker tries again
      throw error;
    }));

  async function step() {
    await register();
    return sql.begin(async (tx) => {
      // The row lock is the consumer's baton: another process of the same consumer skips it.
      const [state] = await tx<ConsumerTurn[]>`
        /* lockConsumer */
        select position::text, attempts,
               coalesce(extract(epoch from retry_at - clock_timestamp()) * 1000, 0)::float8 as "waitMs"
        from event_bus.consumers where name = ${consumer}
        for update skip locked`;
      if (!state) return {};
      if (ephemeral && Date.now() - refreshedAt > EPHEMERAL_TTL_MS / 5) {
        await tx`/* refreshConsumer */ update event_bus.consumers set expires_at = ${expiresAt()} where name = ${consumer}`;
        refreshedAt = Date.now();
      }
      if (state.waitMs > 0) return { nextInMs: state.waitMs };
      const events = await tx<StreamRow[]>`
        /* nextEvents */
        select e.seq::text as seq, e.id, e.type, e.payload, e.occurred_at from event_bus.events e
        where e.seq > ${state.position}::bigint and e.type = any(${typeList}::text[])
        order by e.seq limit ${batchSize}`;
      const failed = await handleInOrder(tx, consumer, state, events, handler, { retry, onError, stopping: () => stopping });
      if (failed) return failed;
      return { again: events.length === batchSize && !stopping };
    });
  }

  const worker = startWorker(step, { pollIntervalMs, onError });
  workers.set(worker, types);
  let forgotten: Promise<void> | null = null;
  const forget = () =>
    (forgotten ??= (async () => {
      ephemerals.delete(forget);
      await worker.stop();
      await sql`/* forgetConsumer */ delete from event_bus.consumers where name = ${consumer}`;
    })());
  if (ephemeral) ephemerals.add(forget);
  return {
    ready: register,
    async pending() {
      const [row] = await sql<{ pending: number }[]>`
        /* consumerPending */
        select count(*)::int as pending from event_bus.events
        where type = any(${typeList}::text[])
          and seq > coalesce((select position from event_bus.consumers where name = ${consumer}), 0)`;
      return row?.pending ?? 0;
    },
    async stop() {
      stopping = true;
      workers.delete(worker);
      await worker.stop();
      if (ephemeral) await forget();
    },
  };
}

/** A consumer's row, locked for its turn: where it stands, and how long until a failed event is due again. */
interface ConsumerTurn {
  position: string;
  attempts: number;
  waitMs: number;
}

/**
 * Runs the handler over a batch, in order, until one throws or the consumer stops, and stores the
 * new position: advanced past what was handled, or held at the failed event with its attempts,
 * retry time and error. Resolves with the retry's delay after a failure.
 */
async function handleInOrder<T extends EventType>(
  tx: Transaction,
  consumer: string,
  state: ConsumerTurn,
  events: readonly StreamRow[],
  handler: EventHandler<T>,
  { retry, onError, stopping }: { retry: PostgresConsumerContext['retry']; onError: (error: unknown) => void; stopping: () => boolean },
): Promise<{ nextInMs: number } | null> {
  let position = state.position;
  for (const row of events) {
    if (stopping()) break;
    const event = { id: row.id, type: row.type, payload: row.payload, occurredAt: row.occurred_at.toISOString() } as EventOf<T>;
    try {
      await handler(event);
      position = row.seq;
    } catch (error) {
      const attempts = position === state.position ? state.attempts + 1 : 1;
      const delay = backoffMs(attempts, retry);
      const failure = new Error(`consumer ${consumer} failed on ${event.type} ${event.id} (attempt ${attempts}, next in ${delay} ms)`, { cause: error });
      await tx`
        /* consumerFailed */
        update event_bus.consumers
        set position = ${position}::bigint, attempts = ${attempts},
            retry_at = clock_timestamp() + ${delay} * interval '1 millisecond',
            last_error = ${`${event.type} ${event.id}: ${(error as Error)?.message ?? String(error)}`}, updated_at = now()
        where name = ${consumer}`;
      onError(failure);
      return { nextInMs: delay };
    }
  }
  if (position !== state.position || state.attempts > 0) {
    await tx`
      /* consumerAdvanced */
      update event_bus.consumers
      set position = ${position}::bigint, attempts = 0, retry_at = null, last_error = null, updated_at = now()
      where name = ${consumer}`;
  }
  return null;
}
