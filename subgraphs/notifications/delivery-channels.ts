import { assertDeliverable, type ChannelAdapter, type OutgoingMessage } from '../../lib/delivery.ts';
import { pushDevicesOf } from './db/push-devices.ts';
import type { Channel, ItemRow } from './db/schema.ts';
import type { NotificationsDatabase } from './db/store.ts';
import { emailMessage, pushContent, smsText } from './domain/deliveries.ts';
import type { PushMessage } from './push.ts';

/** A claimed delivery's person (contacts as on record) and what to tell them. */
export type Addressee = Pick<ItemRow, 'title' | 'body' | 'link'> & { userId: string; phone: string | null; email: string | null };

/**
 * How a delivery reaches its person on one channel, so that the delivery worker sends every channel
 * alike: one send per address the person has there (a push goes to each of their devices), none
 * when they have none.
 */
export interface DeliveryChannel {
  /** What `last_error` says when the person has no address on this channel: final. */
  readonly unaddressed: string;
  sends(addressee: Addressee): Promise<(() => Promise<void>)[]>;
}

/** What each of notifications' channels hands its adapter. */
export interface ChannelMessages {
  SMS: Extract<OutgoingMessage, { channel: 'SMS' }>;
  EMAIL: Extract<OutgoingMessage, { channel: 'EMAIL' }>;
  PUSH: PushMessage;
}

/** One adapter per channel, as config.ts picks them from the settings (a provider, off, or a dev outbox). */
export type ChannelAdapters = { readonly [C in Channel]: ChannelAdapter<ChannelMessages[C]> };

export interface DeliveryChannelOptions {
  adapters: ChannelAdapters;
  /** The portal's address, for links in e-mails. */
  portalUrl: string;
}

/** Notifications' channels: where each finds its person's addresses and what it sends there. */
export function deliveryChannels({ db }: Pick<NotificationsDatabase, 'db'>, { adapters, portalUrl }: DeliveryChannelOptions): Readonly<Record<Channel, DeliveryChannel>> {
  // A message no provider would take fails here, finally, whatever adapter is in front.
  const checked =
    <M extends OutgoingMessage>(adapter: ChannelAdapter<M>, message: M) =>
    async () => {
      assertDeliverable(message);
      await adapter.send(message);
    };
  return {
    SMS: {
      unaddressed: 'no phone number on record',
      sends: async ({ phone, ...content }) => (phone ? [checked(adapters.SMS, { channel: 'SMS', to: phone, text: smsText(content) })] : []),
    },
    EMAIL: {
      unaddressed: 'no e-mail address on record',
      sends: async ({ email, ...content }) => (email ? [checked(adapters.EMAIL, { channel: 'EMAIL', to: email, ...emailMessage(content, portalUrl) })] : []),
    },
    PUSH: {
      unaddressed: 'no push device registered',
      async sends(addressee) {
        const devices = await pushDevicesOf(db, addressee.userId);
        const content = pushContent(addressee);
        return devices.map((device) => () => adapters.PUSH.send({ platform: device.platform, token: device.token, ...content }));
      },
    },
  };
}
