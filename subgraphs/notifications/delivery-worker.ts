import { DeliveryError } from '../../lib/delivery.ts';
import { deliveriesToSend, leaseDeliveries, lockDueDeliveries, markDeliveryFailed, markDeliverySent, retryDelivery, scheduleDelivery } from './db/deliveries.ts';
import type { Channel, Kind } from './db/schema.ts';
import { inTransaction, type Db, type NotificationsDatabase } from './db/store.ts';
import { deliveryChannels, type DeliveryChannel, type DeliveryChannelOptions } from './delivery-channels.ts';
import { windowFor } from './domain/deliveries.ts';
import { deliverySlot, effectivePreferences, type DeliveryWindow } from './domain/preferences.ts';
import { logger } from '../../lib/log.ts';

/**
 * Sends due channel deliveries, each through its channel's adapter (`adapters`, picked by config.ts;
 * delivery-channels.ts finds each channel's addresses and text); the worker knows no channel by
 * name. Several instances share the work: each claims a batch with `for update skip locked` and,
 * in the same short transaction, moves the batch's `due_at` a lease ahead, so nobody else takes it
 * while it is being sent; an instance that dies mid-send leaves its batch to be taken again when
 * the lease runs out (at least once: a message may go twice then, never not at all). A failed send
 * is tried again after `BACKOFF_MS`, and after `MAX_ATTEMPTS` the delivery is FAILED.
 */

/** Waits after the 1st, 2nd … failed attempt: a provider outage of up to a day is ridden out. */
export const BACKOFF_MS: readonly number[] = [1, 5, 15, 60, 180, 360, 720].map((minutes) => minutes * 60_000);
/** Attempts before a delivery is given up (FAILED). */
export const MAX_ATTEMPTS = 8;
/** How long a claimed batch is left alone: longer than any sender's time-out (SMTP's 15 s) many times over. */
const LEASE_MS = 5 * 60_000;

export interface DeliveryWorkerOptions extends DeliveryChannelOptions {
  /** How often the timer looks for due deliveries; 5 s. */
  intervalMs?: number;
  /** Deliveries claimed and sent at once; 20. */
  batchSize?: number;
  maxAttempts?: number;
  backoffMs?: readonly number[];
  /** Where failures are logged (never with a text or recipient); `false` keeps quiet. */
  log?: ((line: string) => void) | false;
}

export interface DeliveryWorker {
  /** Starts the timer. */
  start(): void;
  /** Sends everything due at `now` (by default the present), batch after batch; resolves with how many were tried. */
  runOnce(now?: Date): Promise<number>;
  /** Resolves when no run is in progress. */
  settled(): Promise<void>;
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  userId: string;
  channel: Channel;
  /** Counting this claim; the claim is ours while the row still has this number. */
  attempts: number;
  kind: Kind;
  title: string;
  body: string;
  link: string | null;
  phone: string | null;
  email: string | null;
  window: DeliveryWindow | null;
}

/** What became of one attempt. */
type Outcome = { sent: true } | { sent: false; error: string; permanent: boolean };

/**
 * Claims up to `batchSize` due deliveries and leases the batch. One outside its person's window now
 * (the window changed, or a retry came due after it closed) goes back to SCHEDULED for the window's
 * start without an attempt. `taken` counts both, so a full batch means more may be due.
 */
async function claimDue(db: Db, now: Date, batchSize: number): Promise<{ claimed: Claimed[]; taken: number }> {
  return inTransaction(db, async (tx) => {
    const due = await lockDueDeliveries(tx, now, batchSize);
    if (!due.length) return { claimed: [], taken: 0 };
    const rows = await deliveriesToSend(
      tx,
      due.map(({ id }) => id),
    );
    const claimed: Claimed[] = [];
    for (const { preferences: row, ...delivery } of rows) {
      const window = windowFor(delivery.kind, effectivePreferences(row));
      const slot = deliverySlot(now, window);
      if (slot.status === 'SCHEDULED') {
        await scheduleDelivery(tx, delivery.id, slot.dueAt);
      } else {
        claimed.push({ ...delivery, attempts: delivery.attempts + 1, window });
      }
    }
    if (claimed.length)
      await leaseDeliveries(
        tx,
        claimed.map((delivery) => delivery.id),
        new Date(now.getTime() + LEASE_MS),
      );
    return { claimed, taken: due.length };
  });
}

/** Sends one delivery through its channel; one address that takes it is enough (the person has been told). */
async function attempt(channel: DeliveryChannel, delivery: Claimed): Promise<Outcome> {
  try {
    const sends = await channel.sends(delivery);
    if (!sends.length) return { sent: false, error: channel.unaddressed, permanent: true };
    const results = await Promise.allSettled(sends.map((send) => send()));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (results.some((result) => result.status === 'fulfilled') || !failed) return { sent: true };
    throw failed.reason;
  } catch (error) {
    // The adapter classified its failure: a final refusal, or a channel turned off, is not tried again.
    return { sent: false, error: describe(error), permanent: error instanceof DeliveryError && !error.retryable };
  }
}

interface RetryPolicy {
  maxAttempts: number;
  backoffMs: readonly number[];
  log: (line: string) => void;
}

/** Stores what became of an attempt: SENT, FAILED, or due again after its back-off (inside the person's window). */
async function recordOutcome(db: Db, delivery: Claimed, outcome: Outcome, now: Date, { maxAttempts, backoffMs, log }: RetryPolicy): Promise<void> {
  if (outcome.sent) {
    await markDeliverySent(db, delivery, now);
    return;
  }
  const givenUp = outcome.permanent || delivery.attempts >= maxAttempts;
  if (givenUp) {
    await markDeliveryFailed(db, delivery, outcome.error);
  } else {
    const retry = new Date(now.getTime() + backoffMs[Math.min(delivery.attempts, backoffMs.length) - 1]!);
    await retryDelivery(db, delivery, deliverySlot(retry, delivery.window), outcome.error);
  }
  log(`delivery ${delivery.id} (${delivery.channel}) attempt ${delivery.attempts} failed: ${outcome.error}` + (givenUp ? '; given up' : '; will be tried again'));
}

export function createDeliveryWorker(database: Pick<NotificationsDatabase, 'db'>, options: DeliveryWorkerOptions): DeliveryWorker {
  const { db } = database;
  const { intervalMs = 5_000, batchSize = 20, maxAttempts = MAX_ATTEMPTS, backoffMs = BACKOFF_MS } = options;
  const log = options.log === false ? () => {} : (options.log ?? ((line: string) => logger('notifications').warn(line)));
  const channels = deliveryChannels(database, options);
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;

  async function run(now: Date): Promise<number> {
    let handled = 0;
    for (;;) {
      const { claimed, taken } = await claimDue(db, now, batchSize);
      await Promise.all(claimed.map(async (delivery) => recordOutcome(db, delivery, await attempt(channels[delivery.channel], delivery), now, { maxAttempts, backoffMs, log })));
      handled += claimed.length;
      if (taken < batchSize) return handled;
    }
  }

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.catch(() => {}).finally(() => inFlight.delete(work));
    return work;
  };

  async function settled(): Promise<void> {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  }

  return {
    start() {
      timer ??= setInterval(() => {
        if (ticking) return;
        ticking = true;
        track(run(new Date()))
          .catch((error: unknown) => logger('notifications').error({ err: error }, 'delivery worker run failed'))
          .finally(() => (ticking = false));
      }, intervalMs);
      timer.unref();
    },
    runOnce: (now = new Date()) => track(run(now)),
    settled,
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await settled();
    },
  };
}

/** What is kept in `last_error`: the provider's answer as our senders word it, never a text or a recipient. */
function describe(error: unknown): string {
  if (error instanceof DeliveryError) return error.message.slice(0, 500);
  // Anything else may have been built from the message: keep only its kind.
  return `unexpected ${error instanceof Error ? error.name : typeof error}`;
}
