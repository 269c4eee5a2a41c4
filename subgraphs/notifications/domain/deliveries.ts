import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../../lib/db.ts';
import * as tables from '../db/schema.ts';
import { contacts, deliveries, preferences, pushDevices, type Channel, type DeliveryRow, type ItemRow, type Kind } from '../db/schema.ts';
import { CHANNELS, effectivePreferences, nextDeliveryTime, type Preferences } from './preferences.ts';

/**
 * Channel deliveries: which ones an item gets and when (planned once, as the item enters the feed),
 * what each channel's message says, and how the API shows a delivery. The worker that sends them is
 * `delivery-worker.ts`.
 */

type Db = Queryable<typeof tables>;

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

export interface PlannedDelivery {
  channel: Channel;
  status: 'PENDING' | 'SCHEDULED';
  dueAt: Date;
}

/**
 * The deliveries of an item of `kind`: due now inside the window, otherwise SCHEDULED for the
 * window's next start. Security notices never wait.
 */
export function planFor(kind: Kind, prefs: Preferences, reach: Reach, now: Date): PlannedDelivery[] {
  const dueAt = kind === 'SECURITY' ? now : nextDeliveryTime(now, prefs.window);
  const status = dueAt > now ? 'SCHEDULED' : 'PENDING';
  return reachableChannels(prefs.channels[kind], reach).map((channel) => ({ channel, status, dueAt }));
}

/** What planning a person's deliveries needs: their preferences and how they can be reached. */
export interface DeliverySettings {
  preferences: Preferences;
  reach: Reach;
}

/** The person's delivery settings in one query: preferences, contacts and whether a push device exists (rows may be missing). */
export async function deliverySettings(db: Db, userId: string): Promise<DeliverySettings> {
  const [row] = await db
    .select({
      preferences,
      phone: contacts.phone,
      email: contacts.email,
      hasPushDevice: sql<boolean>`exists (select 1 from ${pushDevices} where ${pushDevices.userId} = ${userId})`,
    })
    .from(sql`/* deliverySettings */ (select 1) as person`)
    .leftJoin(preferences, eq(preferences.userId, userId))
    .leftJoin(contacts, eq(contacts.userId, userId));
  return {
    preferences: effectivePreferences(row?.preferences),
    reach: { phone: row?.phone ?? null, email: row?.email ?? null, hasPushDevice: Boolean(row?.hasPushDevice) },
  };
}

/**
 * Creates the deliveries of a newly stored item, per its person's `settings`, in the transaction
 * that stores it (`addItem`). Planning twice makes no second row for a channel.
 */
export async function planDeliveries(db: Db, item: Pick<ItemRow, 'id' | 'userId' | 'kind'>, settings: DeliverySettings, now = new Date()): Promise<PlannedDelivery[]> {
  const planned = planFor(item.kind, settings.preferences, settings.reach, now);
  if (planned.length) {
    await db
      .insert(deliveries)
      .values(planned.map((delivery) => ({ ...delivery, itemId: item.id, userId: item.userId, createdAt: now })))
      .onConflictDoNothing();
  }
  return planned;
}

/** The deliveries of items, for the per-request loader; in API channel order. */
export function deliveriesOfItems(db: Db, itemIds: readonly string[]) {
  return db.select().from(deliveries).where(inArray(deliveries.itemId, [...itemIds])).orderBy(deliveries.itemId, deliveries.channel);
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
    text:
      `${body}${where}\n\n` +
      '—\nЭто автоматическое уведомление портала Госуслуг, отвечать на него не нужно. ' +
      'Какие уведомления и когда получать, можно выбрать в настройках личного кабинета.',
  };
}

/** The push: headline and text as the phone shows them, and where the app opens. */
export function pushContent({ title, body, link }: Content): { title: string; body: string; link: string | null } {
  return { title: shorten(title, 100), body: shorten(body.replace(/\s+/g, ' '), 240), link };
}
