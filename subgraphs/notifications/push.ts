import { devOutboxPrinter } from '../../lib/log.ts';
import type { pushPlatform } from './db/schema.ts';

/**
 * Push notifications to the portal's mobile app leave through a `PushSender`, as SMS and e-mail
 * leave through lib/delivery.ts's `MessageSender`. No push provider (FCM, RuStore, APNs) is
 * implemented yet: `pushSenderFromEnv` gives the development sender, which keeps and prints what
 * would be sent. A provider is one more class here, chosen by its settings in `pushSenderFromEnv`.
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

  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
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

/**
 * The push sender the environment asks for. There is no provider yet, so it is the dev outbox:
 * in production only when `DEV_OUTBOX=true` allows it for a trial, as for lib/delivery.ts's channels.
 */
export function pushSenderFromEnv(env: Record<string, string | undefined> = process.env): PushSender {
  if (env.NODE_ENV === 'production' && env.DEV_OUTBOX !== 'true') {
    throw new Error(
      'Push notifications are not configured for NODE_ENV=production: no push provider is implemented yet.\n' +
        'For a trial, DEV_OUTBOX=true sends pushes to the dev outbox, which prints them to the console.',
    );
  }
  return new DevPushOutbox();
}
