import { deliverySettingsOf, insertDeliveries, type DeliverySlot } from '../db/deliveries.ts';
import { CHANNELS } from '../db/preferences.ts';
import type { Channel, DeliveryRow, ItemRow, Kind } from '../db/schema.ts';
import type { Db } from '../db/store.ts';
import { deliverySlot, effectivePreferences, type DeliveryWindow, type Preferences } from './preferences.ts';

/**
 * Channel deliveries: which ones an item gets and when (planned once, as the item enters the feed),
 * what each channel's message says, and how the API shows a delivery. The worker that sends them is
 * `delivery-worker.ts`.
 */

/** How the person can be reached now: contacts from identity's events, and whether the app is installed. */
export interface Reach {
  phone: string | null;
  email: string | null;
  hasPushDevice: boolean;
}

/**
 * The channels that are actually used for the chosen ones: PUSH without a registered device becomes
 * SMS, or e-mail without a phone; a channel without its contact is left out; each channel once.
 */
export function reachableChannels(chosen: readonly Channel[], reach: Reach): Channel[] {
  const has = { EMAIL: Boolean(reach.email), SMS: Boolean(reach.phone), PUSH: reach.hasPushDevice };
  const used = chosen.map((channel): Channel => (channel === 'PUSH' && !has.PUSH ? (has.SMS ? 'SMS' : 'EMAIL') : channel));
  return CHANNELS.filter((channel) => has[channel] && used.includes(channel));
}

export interface PlannedDelivery extends DeliverySlot {
  channel: Channel;
}

/** The window a notice of `kind` waits for: the person's, but security notices never wait. */
export const windowFor = (kind: Kind, prefs: Preferences): DeliveryWindow | null => (kind === 'SECURITY' ? null : prefs.window);

/**
 * The deliveries of an item of `kind`: due now inside the window, otherwise SCHEDULED for the
 * window's next start.
 */
export function planFor(kind: Kind, prefs: Preferences, reach: Reach, now: Date): PlannedDelivery[] {
  const { dueAt, status } = deliverySlot(now, windowFor(kind, prefs));
  return reachableChannels(prefs.channels[kind], reach).map((channel) => ({ channel, status, dueAt }));
}

/** What planning a person's deliveries needs: their preferences and how they can be reached. */
export interface DeliverySettings {
  preferences: Preferences;
  reach: Reach;
}

/** The person's delivery settings in one query: preferences, contacts and whether a push device exists (rows may be missing). */
export async function deliverySettings(db: Db, userId: string): Promise<DeliverySettings> {
  const { preferences, ...reach } = await deliverySettingsOf(db, userId);
  return { preferences: effectivePreferences(preferences), reach };
}

/**
 * Creates the deliveries of a newly stored item, per its person's `settings`, in the transaction
 * that stores it (`addItem`). Planning twice makes no second row for a channel.
 */
export async function planDeliveries(db: Db, item: Pick<ItemRow, 'id' | 'userId' | 'kind'>, settings: DeliverySettings, now = new Date()): Promise<PlannedDelivery[]> {
  const planned = planFor(item.kind, settings.preferences, settings.reach, now);
  await insertDeliveries(
    db,
    planned.map((delivery) => ({ ...delivery, itemId: item.id, userId: item.userId, createdAt: now })),
  );
  return planned;
}

/** A delivery as the API shows it: `scheduledFor` only while it waits for the window. */
export const presentDelivery = (row: DeliveryRow) => ({
  channel: row.channel,
  status: row.status,
  scheduledFor: row.status === 'SCHEDULED' ? row.dueAt : null,
  sentAt: row.sentAt,
  attempts: row.attempts,
});

// ---------------------------------------------------------------------------------------------------
// What each channel says

/** Two SMS parts in Cyrillic (UCS-2, 67 characters each): longer ones cost more and arrive in pieces. */
export const SMS_LENGTH = 134;

type Content = Pick<ItemRow, 'title' | 'body' | 'link'>;

/** Cuts at a word boundary and marks the cut. */
function shorten(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:—-]+$/, '')}…`;
}

/** The SMS: the headline, then as much of the text as fits. */
export function smsText({ title, body }: Content): string {
  const headline = /[.!?…]$/.test(title) ? title : `${title}.`;
  return shorten(`${headline} ${body}`.replace(/\s+/g, ' ').trim(), SMS_LENGTH);
}

/** The e-mail: the headline as subject, the text, where to see it, and how to change the settings. */
export function emailMessage({ title, body, link }: Content, portalUrl: string): { subject: string; text: string } {
  const where = link ? `\n\nПодробнее в личном кабинете: ${new URL(link, portalUrl).href}` : '';
  return {
    subject: title.replace(/\s+/g, ' ').trim(),
    text: `${body}${where}\n\n` + '—\nЭто автоматическое уведомление портала Госуслуг, отвечать на него не нужно. ' + 'Какие уведомления и когда получать, можно выбрать в настройках личного кабинета.',
  };
}

/** The push: headline and text as the phone shows them, and where the app opens. */
export function pushContent({ title, body, link }: Content): { title: string; body: string; link: string | null } {
  return { title: shorten(title, 100), body: shorten(body.replace(/\s+/g, ' '), 240), link };
}
