import {
  AckPolicy,
  connect,
  DeliverPolicy,
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type NatsError,
  type StreamConfig,
} from 'nats';
import type { EventBus, EventHandler, EventOf, SubscribeOptions, Subscription } from './bus.ts';
import type { DomainEvent, EventType } from './catalogue.ts';
import { backoffMs } from './worker.ts';
import { logger } from '../log.ts';

/**
 * The event bus on NATS JetStream, for several instances of each service. Same contract as the
 * PostgreSQL bus (bus.ts), built from JetStream's parts:
 * - the stream is a JetStream stream (`stream`) over the subjects `<subjectPrefix>.<event type>`,
 *   created or updated at start; messages are kept for ever, as the `event_bus.events` table is;
 * - `publish` sends each event with its id as `Nats-Msg-Id`, waiting for the stream's ack before the
 *   next, so the stream keeps the given order and a re-published id is stored once;
 * - a consumer name is a durable pull consumer filtered to its types, with explicit acks and
 *   max-ack-pending 1: the server hands out the next event only after the previous one is acked,
 *   whichever process of that consumer name holds it, so order is kept and one event is in hand at
 *   a time; an event is acked after its handler returns and nak'ed with a growing delay when it
 *   throws (the nak'ed event stays the one pending, so later events wait for it, as in Postgres).
 *
 * Where JetStream gives less than the PostgreSQL bus:
 * - **Stored once only within the duplicate window** (`duplicateWindowMs`, default 1 hour): the
 *   stream remembers message ids for that long. An id published again later is stored again and
 *   delivered again; the consumers' inboxes absorb it. Postgres refuses a repeated id for ever.
 * - **One at a time holds while the ack wait is respected**: a running handler tells the server it
 *   is still working every third of `ackWaitMs`. A process that stalls longer than `ackWaitMs`
 *   (event loop blocked, paused VM) or dies with an event in hand loses it to another process after
 *   `ackWaitMs`; in the stall case both may run the handler at once (the inbox keeps it to one
 *   effect). Postgres holds a row lock for as long as the handler runs.
 * - **Failure state lives in the server's delivery count and the logs**, not in a table:
 *   `consumers()` shows position, pending and redeliveries; the last error goes to `onError` only.
 * - On servers before 2.10 (no `filter_subjects`) a consumer of several types is filtered to the
 *   whole prefix and acks the other types without running the handler; its `pending()` then also
 *   counts events of other types it has not skipped yet (it still reaches 0 exactly when caught up).
 */

export interface NatsEventBusOptions {
  /** NATS servers, e.g. `nats://127.0.0.1:4222` (several for a cluster). */
  servers: string | string[];
  /** JetStream stream name. Default `EPGU_EVENTS`. */
  stream?: string;
  /** Subjects are `<subjectPrefix>.<event type>`; the stream takes `<subjectPrefix>.>`. Default `epgu.events`. */
  subjectPrefix?: string;
  /** How long the stream remembers event ids to drop a re-published one. Default 1 hour. */
  duplicateWindowMs?: number;
  /** How long the server waits for an ack before giving an event to another process. Default 30 s. */
  ackWaitMs?: number;
  /** Delay before retrying a failed handler: doubling from `baseMs` up to `maxMs`. Default 1 s to 5 min. */
  retry?: { baseMs: number; maxMs: number };
  /** Stream replicas in a JetStream cluster. Default 1. */
  replicas?: number;
  /** How long an ephemeral consumer whose process died without stopping it stays on the server. Default 10 min. */
  ephemeralTtlMs?: number;
  /** Connection name shown in the server's monitoring. */
  name?: string;
  /** Where handler failures and connection errors go. Default: logged (lib/log.ts). */
  onError?: (error: unknown) => void;
}

/** A consumer as JetStream sees it, for operators and tests. */
export interface NatsConsumerState {
  name: string;
  /** Stream sequence of the last event acknowledged with everything before it (the ack floor). */
  position: number;
  /** Events of its types not yet delivered. */
  pending: number;
  /** Delivered and not yet acknowledged: 1 while an event is in a handler or waiting for a retry. */
  ackPending: number;
  /** Events delivered more than once and not yet acknowledged. */
  redelivered: number;
}

export type NatsEventBus = EventBus & {
  readonly stream: string;
  readonly subjectPrefix: string;
  /** Every consumer of the stream with its position and health. */
  consumers(): Promise<NatsConsumerState[]>;
};

const NOT_FOUND = 404;

function apiCode(error: unknown): number | undefined {
  return (error as NatsError | undefined)?.api_error?.code;
}

/** Durable names become parts of API subjects: keep them to plain tokens. */
function checkConsumerName(name: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`NATS consumer name must be letters, digits, '-' or '_': ${JSON.stringify(name)}`);
  return name;
}

function checkSubjectPrefix(prefix: string): string {
  if (!prefix.split('.').every((token) => /^[A-Za-z0-9_-]+$/.test(token))) throw new Error(`Invalid NATS subject prefix: ${JSON.stringify(prefix)}`);
  return prefix;
}

const subjectOf = (prefix: string, type: string) => `${prefix}.${type}`;

function serverAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const [a = 0, b = 0] = (version ?? '0.0').split('.').map((part) => parseInt(part, 10) || 0);
  return a > major || (a === major && b >= minor);
}

/** Creates the stream, or adds its subjects and duplicate window to an existing one. Safe to run from every process at once. */
async function ensureStream(jsm: JetStreamManager, wanted: Partial<StreamConfig> & { name: string; subjects: string[] }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let current: StreamConfig | null = null;
    try {
      current = (await jsm.streams.info(wanted.name)).config;
    } catch (error) {
      if (apiCode(error) !== NOT_FOUND) throw error;
    }
    try {
      if (!current) {
        await jsm.streams.add(wanted);
        return;
      }
      const subjects = [...new Set([...current.subjects, ...wanted.subjects])];
      if (subjects.length !== current.subjects.length || current.duplicate_window !== wanted.duplicate_window) {
        await jsm.streams.update(wanted.name, { ...current, subjects, duplicate_window: wanted.duplicate_window });
      }
      return;
    } catch (error) {
      // Another process created or changed it between our look and our write: look again.
      if (attempt >= 3) throw error;
    }
  }
}

type WantedConsumer = Partial<ConsumerConfig> & Pick<ConsumerConfig, 'ack_wait' | 'max_ack_pending' | 'max_deliver'>;

function sameFilters(current: ConsumerConfig, wanted: WantedConsumer): boolean {
  const list = (config: Partial<ConsumerConfig>) => [...(config.filter_subjects ?? []), ...(config.filter_subject ? [config.filter_subject] : [])].sort().join(' ');
  return list(current) === list(wanted);
}

/**
 * Creates the durable consumer, or brings an existing one to the wanted filter and limits. Position
 * is kept; `deliverPolicy` only says where a consumer created now starts.
 */
async function ensureConsumer(jsm: JetStreamManager, stream: string, durable: string, wanted: WantedConsumer, deliverPolicy: DeliverPolicy): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let current: ConsumerInfo | null = null;
    try {
      current = await jsm.consumers.info(stream, durable);
    } catch (error) {
      if (apiCode(error) !== NOT_FOUND) throw error;
    }
    try {
      if (!current) {
        await jsm.consumers.add(stream, {
          ...wanted,
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: deliverPolicy,
        });
        return;
      }
      const config = current.config;
      if (!sameFilters(config, wanted) || config.ack_wait !== wanted.ack_wait || config.max_ack_pending !== wanted.max_ack_pending || config.max_deliver !== wanted.max_deliver) {
        await jsm.consumers.update(stream, durable, wanted);
      }
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** What every subscription of one bus shares: the connection and the bus's settings. */
interface NatsBusContext extends Required<Pick<NatsEventBusOptions, 'stream' | 'subjectPrefix' | 'ackWaitMs' | 'retry' | 'ephemeralTtlMs' | 'onError'>> {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Whether the server takes several filter subjects (2.10+). */
  multipleFilters: boolean;
}

/** Connects, creates or updates the stream and returns the bus. */
export async function startNatsEventBus({
  servers,
  stream = 'EPGU_EVENTS',
  subjectPrefix = 'epgu.events',
  duplicateWindowMs = 60 * 60_000,
  ackWaitMs = 30_000,
  retry = { baseMs: 1_000, maxMs: 5 * 60_000 },
  replicas = 1,
  ephemeralTtlMs = 10 * 60_000,
  name = 'epgu-graph event bus',
  onError = (error) => logger('event-bus').error({ err: error }, 'event bus failure'),
}: NatsEventBusOptions): Promise<NatsEventBus> {
  checkSubjectPrefix(subjectPrefix);
  const { nc, js, jsm } = await connectToStream({ servers, name, stream, subjectPrefix, duplicateWindowMs, replicas });
  void (async () => {
    for await (const status of nc.status()) if (status.type === 'error') onError(status.data);
  })();
  const context: NatsBusContext = { nc, js, jsm, stream, subjectPrefix, ackWaitMs, retry, ephemeralTtlMs, onError, multipleFilters: serverAtLeast(nc.info?.version, 2, 10) };
  const encoder = new TextEncoder();
  const running = new Set<Subscription>();

  return {
    stream,
    subjectPrefix,
    async publish(events) {
      // One at a time, each acknowledged by the stream before the next: the stream keeps the order.
      for (const event of events) {
        const { id, type, occurredAt, payload } = event as DomainEvent;
        await js.publish(subjectOf(subjectPrefix, type), encoder.encode(JSON.stringify({ id, type, occurredAt, payload })), {
          msgID: id,
          expect: { streamName: stream },
        });
      }
    },
    subscribe(consumer, types, handler, options) {
      const subscription = subscribeConsumer(context, consumer, types, handler, options, () => running.delete(subscription));
      running.add(subscription);
      return subscription;
    },
    consumers: () => consumerStates(jsm, stream),
    async close() {
      await Promise.all([...running].map((subscription) => subscription.stop()));
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

/** Connects to NATS and creates or updates the stream; closes the connection again if that fails. */
async function connectToStream({
  servers,
  name,
  stream,
  subjectPrefix,
  duplicateWindowMs,
  replicas,
}: Pick<NatsEventBusOptions, 'servers'> & { name: string; stream: string; subjectPrefix: string; duplicateWindowMs: number; replicas: number }) {
  const nc: NatsConnection = await connect({ servers, name, maxReconnectAttempts: -1 });
  try {
    const jsm = await nc.jetstreamManager();
    const js = nc.jetstream();
    await ensureStream(jsm, {
      name: stream,
      subjects: [`${subjectPrefix}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: 0,
      duplicate_window: nanos(duplicateWindowMs),
      num_replicas: replicas,
    });
    return { nc, js, jsm };
  } catch (error) {
    await nc.close();
    throw error;
  }
}

/** The durable consumer's settings for `subjects`: its filter as the server can take it, one event in hand at a time. */
function wantedConsumer({ subjectPrefix, multipleFilters, ackWaitMs, ephemeralTtlMs }: NatsBusContext, subjects: string[], ephemeral: boolean): WantedConsumer {
  // One subject: filter_subject. Several: filter_subjects (2.10+), else the whole prefix and skip the rest.
  const filter: Partial<ConsumerConfig> =
    subjects.length === 1
      ? { filter_subject: subjects[0], filter_subjects: undefined }
      : multipleFilters
        ? { filter_subjects: subjects, filter_subject: undefined }
        : { filter_subject: `${subjectPrefix}.>`, filter_subjects: undefined };
  return {
    ...filter,
    ack_wait: nanos(ackWaitMs),
    max_ack_pending: 1,
    max_deliver: -1,
    // An ephemeral consumer is removed by the server once no process has pulled from it for this long.
    ...(ephemeral ? { inactive_threshold: nanos(ephemeralTtlMs) } : {}),
  };
}

/** A pause that `wake` cuts short, so that stopping does not wait out a back-off. */
function wakeablePause() {
  let wakeFromPause: (() => void) | null = null;
  return {
    pause: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeFromPause = null;
          resolve();
        }
        wakeFromPause = done;
      }),
    wake: () => wakeFromPause?.(),
  };
}

function subscribeConsumer<T extends EventType>(
  context: NatsBusContext,
  consumer: string,
  types: readonly T[],
  handler: EventHandler<T>,
  { startAt = 'beginning', ephemeral = false }: SubscribeOptions = {},
  /** Called as the subscription starts to stop: the bus no longer counts it as running. */
  stopped: () => void,
): Subscription {
  const { nc, js, jsm, stream, onError } = context;
  const durable = checkConsumerName(consumer);
  if (!types.length) throw new Error(`consumer ${consumer} subscribes to no event type`);
  const typeSet = new Set<string>(types);
  const subjects = [...typeSet].map((type) => subjectOf(context.subjectPrefix, type));
  const wanted = wantedConsumer(context, subjects, ephemeral);
  // A name seen for the first time starts at the beginning of the stream, or at its head (DeliverPolicy.New).
  const deliverPolicy = startAt === 'head' ? DeliverPolicy.New : DeliverPolicy.All;
  let registration: Promise<void> | null = null;
  const register = () =>
    (registration ??= ensureConsumer(jsm, stream, durable, wanted, deliverPolicy).catch((error: unknown) => {
      registration = null; // the loop tries again
      throw error;
    }));

  let stopping = false;
  let messages: ConsumerMessages | null = null;
  const backoff = wakeablePause();

  const loop = (async () => {
    let failures = 0;
    while (!stopping) {
      try {
        // Again after a failure: the consumer may have been deleted meanwhile.
        await (failures ? ensureConsumer(jsm, stream, durable, wanted, deliverPolicy) : register());
        const pull = await js.consumers.get(stream, durable);
        messages = await pull.consume({ max_messages: 1, abort_on_missing_resource: true });
        if (stopping) messages.stop();
        for await (const msg of messages) {
          // Buffered after stop(): hand it straight back so another process need not wait for the ack timeout.
          if (stopping) msg.nak();
          else {
            await handleMessage(context, consumer, typeSet, handler, msg);
            failures = 0;
          }
        }
        if (!stopping) throw new Error(`consumer ${consumer}: the message stream ended`);
      } catch (error) {
        if (stopping) break;
        onError(error);
        await backoff.pause(backoffMs(++failures, { baseMs: 200, maxMs: 30_000 }));
      } finally {
        messages = null;
      }
    }
  })();

  return {
    ready: register,
    pending: () => pendingOf(context, durable, subjects, startAt),
    async stop() {
      stopping = true;
      stopped();
      messages?.stop();
      backoff.wake();
      await loop;
      if (nc.isClosed()) return;
      // Make sure the server has seen the end of our pull request before we say we stopped: a
      // request it still thought open would take the next event and hold it for the ack wait.
      await nc.flush().catch(onError);
      if (ephemeral) {
        await jsm.consumers.delete(stream, durable).catch((error: unknown) => {
          if (apiCode(error) !== NOT_FOUND) onError(error);
        });
      }
    },
  };
}

/**
 * Runs the handler on one delivered event: acked after it returns, nak'ed with a growing delay when
 * it throws (the event stays the consumer's one pending message: later ones wait for it).
 */
async function handleMessage<T extends EventType>({ ackWaitMs, retry, onError }: NatsBusContext, consumer: string, typeSet: ReadonlySet<string>, handler: EventHandler<T>, msg: JsMsg): Promise<void> {
  let event: EventOf<T> | undefined;
  const what = () => (event ? `${event.type} ${event.id}` : `message ${msg.seq} on ${msg.subject}`);
  try {
    event = msg.json<EventOf<T>>();
    if (!typeSet.has(event.type)) {
      await msg.ackAck(); // only with the whole-prefix filter of an old server
      return;
    }
    // Tell the server the event is still in hand, so it does not go to another process meanwhile.
    const heartbeat = setInterval(() => msg.working(), Math.max(100, Math.floor(ackWaitMs / 3)));
    try {
      await handler(event);
    } finally {
      clearInterval(heartbeat);
    }
  } catch (error) {
    const attempts = msg.info.deliveryCount;
    const delay = backoffMs(attempts, retry);
    msg.nak(delay);
    onError(new Error(`consumer ${consumer} failed on ${what()} (attempt ${attempts}, next in ${delay} ms)`, { cause: error }));
    return;
  }
  try {
    await msg.ackAck();
  } catch (error) {
    // The server may not have the ack: the event comes again and the inbox absorbs it.
    onError(new Error(`consumer ${consumer}: ack of ${what()} not confirmed`, { cause: error }));
  }
}

/** Events of the consumer's types not yet handled: the server's count, or the stream's before the consumer exists. */
async function pendingOf({ jsm, stream, subjectPrefix }: NatsBusContext, durable: string, subjects: readonly string[], startAt: SubscribeOptions['startAt']): Promise<number> {
  try {
    const info = await jsm.consumers.info(stream, durable);
    return info.num_pending + info.num_ack_pending;
  } catch (error) {
    if (apiCode(error) !== NOT_FOUND) throw error;
  }
  // Not created yet: from the head nothing is behind it; from the beginning everything of its types is.
  if (startAt === 'head') return 0;
  const info = await jsm.streams.info(stream, { subjects_filter: `${subjectPrefix}.>` });
  return subjects.reduce((sum, subject) => sum + (info.state.subjects?.[subject] ?? 0), 0);
}

async function consumerStates(jsm: JetStreamManager, stream: string): Promise<NatsConsumerState[]> {
  const states: NatsConsumerState[] = [];
  for await (const info of jsm.consumers.list(stream)) {
    states.push({
      name: info.name,
      position: info.ack_floor.stream_seq,
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      redelivered: info.num_redelivered,
    });
  }
  return states.sort((a, b) => a.name.localeCompare(b.name));
}
