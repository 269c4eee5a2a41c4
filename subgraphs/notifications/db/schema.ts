import { sql } from 'drizzle-orm';
import { customType, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { Channel as DeliveryChannel } from '../../../lib/delivery.ts';
import { inboxTable } from '../../../lib/events/inbox.ts';
import { outboxTable } from '../../../lib/events/outbox.ts';

/** Everything notifications stores lives in the `notifications` Postgres schema. */
export const notifications = pgSchema('notifications');

export const category = notifications.enum('category', ['PAYMENT', 'APPLICATION', 'DRAFT', 'APPOINTMENT', 'GOVERNMENT_MAIL', 'SUPPORT', 'ACCOUNT', 'APPEAL']);
/** What the person chooses channels for. */
export const kind = notifications.enum('kind', ['SERVICE_STAGES', 'PORTAL_CHANGES', 'DEBTS_AND_FINES', 'SECURITY', 'OTHER']);
/** The channels notifications delivers on: a part of lib/delivery.ts's `Channel`, never another name. */
export const channel = notifications.enum('channel', ['EMAIL', 'SMS', 'PUSH'] satisfies [DeliveryChannel, ...DeliveryChannel[]]);
export const deliveryStatus = notifications.enum('delivery_status', ['PENDING', 'SCHEDULED', 'SENT', 'FAILED']);
export const pushPlatform = notifications.enum('push_platform', ['ANDROID', 'IOS']);

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Feed items. `created_at` keeps milliseconds only, so a cursor taken from it matches the row
 * exactly. `search` is the title and body in the russian text-search configuration, so «заявление»
 * finds «заявления»; both the feed and search are served by indexes: the feed, a category of it and
 * the archive each by its own (owner, time, id) index in the page's order; search by a GIN index on
 * (owner, words) (btree_gin), so a word common in everyone's feeds reads only this person's items.
 * Their counts are kept in `feed_counts` (below).
 */
export const items = notifications.table(
  'items',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    category: category().notNull(),
    kind: kind().notNull().default('OTHER'),
    title: text().notNull(),
    body: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** For payments; numeric, never a float. */
    amount: numeric({ precision: 14, scale: 2 }),
    currency: text(),
    stage: text(),
    dueAt: timestamp({ withTimezone: true }),
    link: text(),
    appealId: uuid(),
    /** Who posted it (`identity`, `service:payments`) and its id there: a repeated post makes one item. */
    source: text(),
    sourceId: text(),
    search: tsvector().generatedAlwaysAs(sql`to_tsvector('russian', title || ' ' || body)`),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
    archivedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index('items_feed_idx')
      .on(table.userId, table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.archivedAt} is null`),
    index('items_category_idx')
      .on(table.userId, table.category, table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.archivedAt} is null`),
    index('items_archive_idx')
      .on(table.userId, table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.archivedAt} is not null`),
    index('items_search_idx').using('gin', table.userId, table.search),
    index('items_unread_idx')
      .on(table.userId, table.category)
      .where(sql`${table.readAt} is null and ${table.archivedAt} is null`),
    unique('items_source_unique').on(table.source, table.sourceId),
  ],
);

/**
 * How many items each person has per category in the feed (the archive left out), and how many of
 * them are unread: `totalCount` and the unread badges without counting 100,000 rows. Kept by
 * statement-level triggers on `items` (migration 0004_feed_counts), so every writer, bulk ones
 * included, keeps them right; a row may stay at zero.
 */
export const feedCounts = notifications.table(
  'feed_counts',
  {
    userId: uuid().notNull(),
    category: category().notNull(),
    items: integer().notNull().default(0),
    unread: integer().notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.userId, table.category] })],
);

/**
 * How many items of each person's feed (the archive left out) hold each word, per category: the
 * `totalCount` of a one-word search without counting its matches (43,750 rows of the benchmark's
 * feed took 20–40 ms). A word is a lexeme of `items.search`, as a one-word `websearch_to_tsquery`
 * looks it up; numbers (a payment's or a document's, mostly one item each) are left out, their
 * searches count their few rows. Kept by statement-level triggers on `items` (migration
 * 0005_feed_word_counts), so every writer keeps it right; a row may stay at zero.
 */
export const feedWordCounts = notifications.table(
  'feed_word_counts',
  {
    userId: uuid().notNull(),
    word: text().notNull(),
    category: category().notNull(),
    items: integer().notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.userId, table.word, table.category] })],
);

/** The person's phone and e-mail as identity last told (events); channels need them. */
export const contacts = notifications.table('contacts', {
  userId: uuid().primaryKey(),
  phone: text(),
  email: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Channels per kind and the delivery window; no row means the defaults (domain/preferences.ts). */
export const preferences = notifications.table('preferences', {
  userId: uuid().primaryKey(),
  /** `{ "SERVICE_STAGES": ["EMAIL"], … }`: kinds left out keep their default. */
  channels: jsonb().$type<Partial<Record<string, string[]>>>().notNull().default({}),
  /** `HH:MM` in `timeZone`; both null means any time. */
  windowStartsAt: text(),
  windowEndsAt: text(),
  timeZone: text().notNull().default('Europe/Moscow'),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const pushDevices = notifications.table(
  'push_devices',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    token: text().notNull().unique(),
    platform: pushPlatform().notNull(),
    name: text(),
    registeredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.userId)],
);

/** One channel's delivery of one item, retried with back-off until sent or given up. */
export const deliveries = notifications.table(
  'deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    userId: uuid().notNull(),
    channel: channel().notNull(),
    status: deliveryStatus().notNull().default('PENDING'),
    /** When it may be sent next: the window's start, or the next retry. */
    dueAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.itemId),
    index('deliveries_due_idx')
      .on(table.dueAt)
      .where(sql`${table.status} in ('PENDING', 'SCHEDULED')`),
    unique('deliveries_item_channel_unique').on(table.itemId, table.channel),
  ],
);

/** Events notifications produces (`notifications.*`: a new item, changed unread counts) for its live streams. */
export const outbox = outboxTable(notifications);

/** Events notifications has handled, so a redelivered one has no second effect. */
export const inbox = inboxTable(notifications);

export type ItemRow = typeof items.$inferSelect;
/** An item as the service reads it: every column but `search`, which only the database reads. */
export type FeedItem = Omit<ItemRow, 'search'>;
export type Category = ItemRow['category'];
export type Kind = ItemRow['kind'];
export type Channel = (typeof deliveries.$inferSelect)['channel'];
export type DeliveryRow = typeof deliveries.$inferSelect;
export type PreferencesRow = typeof preferences.$inferSelect;
