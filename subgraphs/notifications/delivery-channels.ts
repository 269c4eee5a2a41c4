import { assertDeliverable, type MessageSender, type OutgoingMessage } from '../../lib/delivery.ts';
import { pushDevicesOf } from './db/push-devices.ts';
import type { Channel, ItemRow } from './db/schema.ts';
import type { NotificationsDatabase } from './db/store.ts';
import { emailMessage, pushContent, smsText } from './domain/deliveries.ts';
import type { PushSender } from './push.ts';

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

export interface ChannelSenders {
  /** The adapters of SMS and e-mail, routed by the message's channel (lib/delivery.ts `messageSender`). */
  sender: MessageSender;
  /** The push adapter (push.ts `pushSender`). */
  push: PushSender;
  /** The portal's address, for links in e-mails. */
  portalUrl: string;
}

/** Notifications' channels: where each finds its person's addresses and what it sends there. */
export function deliveryChannels({ db }: Pick<NotificationsDatabase, 'db'>, { sender, push, portalUrl }: ChannelSenders): Readonly<Record<Channel, DeliveryChannel>> {
  // A message no provider would take fails here, finally, whatever sender is in front.
  const checked = (message: OutgoingMessage) => async () => {
    assertDeliverable(message);
    await sender.send(message);
  };
  return {
    SMS: {
      unaddressed: 'no phone number on record',
      sends: async ({ phone, ...content }) => (phone ? [checked({ channel: 'SMS', to: phone, text: smsText(content) })] : []),
    },
    EMAIL: {
      unaddressed: 'no e-mail address on record',
      sends: async ({ email, ...content }) => (email ? [checked({ channel: 'EMAIL', to: email, ...emailMessage(content, portalUrl) })] : []),
    },
    PUSH: {
      unaddressed: 'no push device registered',
      async sends(addressee) {
        const devices = await pushDevicesOf(db, addressee.userId);
        const content = pushContent(addressee);
        return devices.map((device) => () => push.send({ platform: device.platform, token: device.token, ...content }));
      },
    },
  };
}
