import type { EnvReader } from '../../lib/config.ts';
import { channelsOff, devOutboxAllowed } from '../../lib/delivery.ts';
import { devOutboxPrinter } from '../../lib/log.ts';
import type { pushPlatform } from './db/schema.ts';

/**
 * Push notifications to the portal's mobile app leave through a `PushSender`, as SMS and e-mail
 * leave through lib/delivery.ts's `MessageSender`. No push provider (FCM, RuStore, APNs) is
 * implemented yet: `pushSender` gives the development sender, which keeps and prints what
 * would be sent. A provider is one more class here, chosen by its settings in `pushSender`.
 */

export type PushPlatform = (typeof pushPlatform.enumValues)[number];

export interface PushMessage {
  platform: PushPlatform;
  /** The token the platform gave the app on the device. */
  token: string;
  title: string;
  body: string;
  /** Where the app opens, a portal path. */
  link: string | null;
}

export interface PushSender {
  /** Resolves once the provider has accepted the message; rejects with a `PushDeliveryError` otherwise. */
  send(message: PushMessage): Promise<void>;
}

/** A push that was not sent. Like `DeliveryError`, the message never includes the text or the token. */
export class PushDeliveryError extends Error {
  override name = 'PushDeliveryError';
  readonly status: number | undefined;
  /** Whether trying again later may succeed (as `DeliveryError.retryable`); true unless the sender knows better. */
  readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown; status?: number; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
    this.retryable = options?.retryable ?? true;
  }
}

/** Enough of a token to tell devices apart in a log, too little to send anything to it. */
export const tokenTail = (token: string) => `…${token.slice(-6)}`;

/** The development push sender: nothing leaves the machine; keeps the last `limit` pushes and prints each. */
export class DevPushOutbox implements PushSender {
  private kept: PushMessage[] = [];

  constructor(private readonly options: { limit?: number; print?: ((line: string) => void) | false } = {}) {}

  async send(message: PushMessage): Promise<void> {
    if (!message.token.trim()) throw new PushDeliveryError('push refused: empty device token');
    const copy = Object.freeze({ ...message });
    this.kept.push(copy);
    const limit = this.options.limit ?? 100;
    if (this.kept.length > limit) this.kept.splice(0, this.kept.length - limit);
    const print = this.options.print ?? devOutboxPrinter('notifications');
    if (print) print(`[dev-push] ${message.platform} ${tokenTail(message.token)}: «${message.title}» ${message.body.replace(/\r?\n/g, ' ')}`);
  }

  /** Every kept push, oldest first. */
  all(): PushMessage[] {
    return [...this.kept];
  }

  clear(): void {
    this.kept = [];
  }
}

/** Push turned off (`PUSH` in `CHANNELS_OFF`): nothing is sent, and a delivery is not tried again. */
export class PushOff implements PushSender {
  async send(): Promise<void> {
    throw new PushDeliveryError('push is turned off (CHANNELS_OFF)', { retryable: false });
  }
}

/**
 * The push sender the configuration asks for. There is no provider yet: off when `CHANNELS_OFF`
 * lists `PUSH`, else the dev outbox, which production takes only with `DEV_OUTBOX=true` (a trial),
 * as for lib/delivery.ts's channels.
 */
export function pushSender(env: EnvReader): PushSender {
  if (channelsOff(env).has('PUSH')) return new PushOff();
  if (!devOutboxAllowed(env)) env.refuse('CHANNELS_OFF', 'does not list PUSH in production, and no push provider is implemented yet', 'a list with PUSH (DEV_OUTBOX=true prints pushes to the log instead, for a trial only)');
  return new DevPushOutbox();
}
