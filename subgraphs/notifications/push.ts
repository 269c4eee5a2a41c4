import type { EnvReader } from '../../lib/config.ts';
import { ChannelOff, channelsOff, DeliveryError, devOutboxAllowed, type ChannelAdapter, type MessageSender } from '../../lib/delivery.ts';
import { devOutboxPrinter } from '../../lib/log.ts';
import type { pushPlatform } from './db/schema.ts';

/**
 * Push notifications to the portal's mobile app leave through a `ChannelAdapter<PushMessage>`
 * (lib/delivery.ts), as SMS and e-mail leave through theirs. No push provider (FCM, RuStore, APNs)
 * is implemented yet: `pushSender` gives the development adapter, which keeps and prints what
 * would be sent. A provider is one more adapter here, chosen by its settings in `pushSender`.
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

/** What the delivery worker sends pushes through; a failure is a `DeliveryError` on `PUSH`, never with the text or the token. */
export type PushSender = MessageSender<PushMessage>;

/** Enough of a token to tell devices apart in a log, too little to send anything to it. */
export const tokenTail = (token: string) => `…${token.slice(-6)}`;

/** The development push adapter: nothing leaves the machine; keeps the last `limit` pushes and prints each. */
export class DevPushOutbox implements ChannelAdapter<PushMessage> {
  readonly provider = 'dev outbox';
  private kept: PushMessage[] = [];

  constructor(private readonly options: { limit?: number; print?: ((line: string) => void) | false } = {}) {}

  async send(message: PushMessage): Promise<void> {
    if (!message.token.trim()) throw new DeliveryError('PUSH', 'push refused: empty device token', { retryable: false });
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
 * The push adapter the configuration asks for. There is no provider yet: off when `CHANNELS_OFF`
 * lists `PUSH`, else the dev outbox, which production takes only with `DEV_OUTBOX=true` (a trial),
 * as for lib/delivery.ts's channels.
 */
export function pushSender(env: EnvReader): ChannelAdapter<PushMessage> {
  if (channelsOff(env).has('PUSH')) return new ChannelOff('PUSH');
  if (!devOutboxAllowed(env))
    env.refuse('CHANNELS_OFF', 'does not list PUSH in production, and no push provider is implemented yet', 'a list with PUSH (DEV_OUTBOX=true prints pushes to the log instead, for a trial only)');
  return new DevPushOutbox();
}
