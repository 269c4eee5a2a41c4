import { index, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../lib/events/inbox.ts';

/** Everything notifications stores lives in the `notifications` Postgres schema. */
export const notifications = pgSchema('notifications');

export const category = notifications.enum('category', [
  'PAYMENT', 'APPLICATION', 'DRAFT', 'APPOINTMENT', 'GOVERNMENT_MAIL', 'SUPPORT', 'ACCOUNT', 'APPEAL',
]);

/** Feed items. `created_at` keeps milliseconds only, so a cursor taken from it matches the row exactly. */
export const items = notifications.table(
  'items',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    category: category().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    appealId: uuid(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
  },
  (table) => [index('items_feed_idx').on(table.userId, table.createdAt.desc(), table.id.desc())],
);

/** Events notifications has handled, so a redelivered one has no second effect. */
export const inbox = inboxTable(notifications);

export type ItemRow = typeof items.$inferSelect;
export type Category = ItemRow['category'];
