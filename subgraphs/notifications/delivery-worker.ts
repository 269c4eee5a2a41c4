import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../../lib/db.ts';
import { assertDeliverable, DeliveryError, type MessageSender, type OutgoingMessage } from '../../lib/delivery.ts';
import * as tables from './db/schema.ts';
import { contacts, deliveries, items, preferences, pushDevices, type Channel, type Kind } from './db/schema.ts';
import { emailMessage, pushContent, smsText } from './domain/deliveries.ts';
import { effectivePreferences, nextDeliveryTime, type DeliveryWindow } from './domain/preferences.ts';
import { PushDeliveryError, type PushSender } from './push.ts';
import { logger } from '../../lib/log.ts';

/**
 * Sends due channel deliveries: SMS and e-mail through a `MessageSender` (lib/delivery.ts, the same
 * senders identity's codes go through), push through a `PushSender` (push.ts). Several instances
 * share the work: each claims a batch with `for update skip locked` and, in the same short
 * transaction, moves the batch's `due_at` a lease ahead, so nobody else takes it while it is being
 * sent; an instance that dies mid-send leaves its batch to be taken again when the lease runs out
 * (at least once: a message may go twice then, never not at all). A failed send is tried again
 * after `BACKOFF_MS`, and after `MAX_ATTEMPTS` the delivery is FAILED.
 */

/** Waits after the 1st, 2nd … failed attempt: a provider outage of up to a day is ridden out. */
export const BACKOFF_MS: readonly number[] = [1, 5, 15, 60, 180, 360, 720].map((minutes) => minutes * 60_000);
/** Attempts before a delivery is given up (FAILED). */
export const MAX_ATTEMPTS = 8;
/** How long a claimed batch is left alone: longer than any sender's time-out (SMTP's 15 s) many times over. */
const LEASE_MS = 5 * 60_000;

export interface DeliveryWorkerOptions {
  /** SMS and e-mail. */
  sender: MessageSender;
  push: PushSender;
  /** The portal's address, for links in e-mails. */
  portalUrl: string;
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

export function createDeliveryWorker({ db }: Pick<Database<typeof tables>, 'db'>, options: DeliveryWorkerOptions): DeliveryWorker {
  const { sender, push, portalUrl, intervalMs = 5_000, batchSize = 20, maxAttempts = MAX_ATTEMPTS, backoffMs = BACKOFF_MS } = options;
  const log = options.log === false ? () => {} : (options.log ?? ((line: string) => logger('notifications').warn(line)));
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;

  /**
   * Claims due deliveries. One outside its person's window now (the window changed, or a retry came
   * due after it closed) goes back to SCHEDULED for the window's start without an attempt.
   */
  async function claim(now: Date): Promise<{ claimed: Claimed[]; taken: number }> {
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(and(inArray(deliveries.status, ['PENDING', 'SCHEDULED']), lte(deliveries.dueAt, now)))
        .orderBy(deliveries.dueAt)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (!due.length) return { claimed: [], taken: 0 };
      const rows = await tx
        .select({
          id: deliveries.id, userId: deliveries.userId, channel: deliveries.channel, attempts: deliveries.attempts,
          kind: items.kind, title: items.title, body: items.body, link: items.link,
          phone: contacts.phone, email: contacts.email, preferences,
        })
        .from(deliveries)
        .innerJoin(items, eq(items.id, deliveries.itemId))
        .leftJoin(contacts, eq(contacts.userId, deliveries.userId))
        .leftJoin(preferences, eq(preferences.userId, deliveries.userId))
        .where(inArray(deliveries.id, due.map(({ id }) => id)));
      const claimed: Claimed[] = [];
      for (const { preferences: row, ...delivery } of rows) {
        const window = delivery.kind === 'SECURITY' ? null : effectivePreferences(row).window;
        const opens = nextDeliveryTime(now, window);
        if (opens > now) {
          await tx.update(deliveries).set({ status: 'SCHEDULED', dueAt: opens }).where(eq(deliveries.id, delivery.id));
        } else {
          claimed.push({ ...delivery, attempts: delivery.attempts + 1, window });
        }
      }
      if (claimed.length) {
        await tx
          .update(deliveries)
          .set({ attempts: sql`${deliveries.attempts} + 1`, dueAt: new Date(now.getTime() + LEASE_MS) })
          .where(inArray(deliveries.id, claimed.map((delivery) => delivery.id)));
      }
      return { claimed, taken: due.length };
    });
  }

  async function attempt(delivery: Claimed): Promise<Outcome> {
    try {
      if (delivery.channel === 'PUSH') {
        const devices = await db.select().from(pushDevices).where(eq(pushDevices.userId, delivery.userId));
        if (!devices.length) return { sent: false, error: 'no push device registered', permanent: true };
        const content = pushContent(delivery);
        // One device that takes it is enough: the person has been told.
        const results = await Promise.allSettled(devices.map((device) => push.send({ platform: device.platform, token: device.token, ...content })));
        const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (results.some((result) => result.status === 'fulfilled') || !failed) return { sent: true };
        throw failed.reason;
      }
      const message = outgoing(delivery);
      if (!message) return { sent: false, error: `no ${delivery.channel === 'SMS' ? 'phone number' : 'e-mail address'} on record`, permanent: true };
      try {
        // A message no provider would take is not tried again.
        assertDeliverable(message);
      } catch (error) {
        return { sent: false, error: describe(error), permanent: true };
      }
      await sender.send(message);
      return { sent: true };
    } catch (error) {
      // A provider's final refusal, or a channel turned off, is not tried again.
      const final = (error instanceof DeliveryError || error instanceof PushDeliveryError) && !error.retryable;
      return { sent: false, error: describe(error), permanent: final };
    }
  }

  function outgoing({ channel, phone, email, ...content }: Claimed): OutgoingMessage | null {
    if (channel === 'SMS') return phone ? { channel, to: phone, text: smsText(content) } : null;
    return email ? { channel: 'EMAIL', to: email, ...emailMessage(content, portalUrl) } : null;
  }

  async function record(delivery: Claimed, outcome: Outcome, now: Date): Promise<void> {
    // Only while the claim is ours: `attempts` moves with every claim.
    const ours = and(eq(deliveries.id, delivery.id), eq(deliveries.attempts, delivery.attempts));
    if (outcome.sent) {
      await db.update(deliveries).set({ status: 'SENT', sentAt: now, lastError: null }).where(ours);
      return;
    }
    const givenUp = outcome.permanent || delivery.attempts >= maxAttempts;
    if (givenUp) {
      await db.update(deliveries).set({ status: 'FAILED', lastError: outcome.error }).where(ours);
    } else {
      const retry = new Date(now.getTime() + backoffMs[Math.min(delivery.attempts, backoffMs.length) - 1]!);
      const due = nextDeliveryTime(retry, delivery.window);
      await db.update(deliveries).set({ status: due > retry ? 'SCHEDULED' : 'PENDING', dueAt: due, lastError: outcome.error }).where(ours);
    }
    log(
      `delivery ${delivery.id} (${delivery.channel}) attempt ${delivery.attempts} failed: ${outcome.error}` +
        (givenUp ? '; given up' : '; will be tried again'),
    );
  }

  async function run(now: Date): Promise<number> {
    let handled = 0;
    for (;;) {
      const { claimed, taken } = await claim(now);
      await Promise.all(claimed.map(async (delivery) => record(delivery, await attempt(delivery), now)));
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
  if (error instanceof DeliveryError || error instanceof PushDeliveryError) return error.message.slice(0, 500);
  // Anything else may have been built from the message: keep only its kind.
  return `unexpected ${error instanceof Error ? error.name : typeof error}`;
}
