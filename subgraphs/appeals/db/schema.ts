import { boolean, index, integer, pgSchema, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../lib/events/inbox.ts';

/** Everything appeals stores lives in the `appeals` Postgres schema. */
export const appealsSchema = pgSchema('appeals');

export const appealStatus = appealsSchema.enum('appeal_status', [
  'REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED', 'ANSWERED', 'REJECTED', 'CLOSED',
]);
export const authorityKind = appealsSchema.enum('authority_kind', ['REGIONAL_EXECUTIVE', 'LOCAL_SELF_GOVERNMENT', 'OTHER_ORGANISATION']);

/** The rubricator of life situations: a tree of topics. */
export const topics = appealsSchema.table('topics', {
  id: text().primaryKey(),
  name: text().notNull(),
  parentId: text().references((): AnyPgColumn => topics.id),
  reviewDays: integer().notNull(),
  accelerated: boolean().notNull().default(false),
});

export const authorities = appealsSchema.table('authorities', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  kind: authorityKind().notNull(),
  regionCode: text().notNull(),
  municipality: text(),
});

/** Which authority an official (an identity account with the OFFICIAL role) works for. */
export const officials = appealsSchema.table('officials', {
  userId: uuid().primaryKey(),
  authorityId: uuid().notNull().references(() => authorities.id),
});

/** Appeals. `due_at` keeps milliseconds only, so a cursor taken from it matches the row exactly. */
export const appeals = appealsSchema.table(
  'appeals',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text().notNull().unique(),
    authorId: uuid().notNull(),
    topicId: text().notNull().references(() => topics.id),
    authorityId: uuid().notNull().references(() => authorities.id),
    regionCode: text().notNull(),
    municipality: text(),
    address: text(),
    text: text().notNull(),
    status: appealStatus().notNull().default('REGISTERED'),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    dueAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /**
     * When the author deleted their account: the text and address were erased and `author_id`
     * replaced by a random id that leads nowhere; the rest stays as the authority's record.
     */
    authorErasedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index().on(table.authorId, table.createdAt.desc().nullsFirst()),
    index('appeals_queue_idx').on(table.authorityId, table.dueAt, table.id),
  ],
);

/** Events appeals has handled, so a redelivered one has no second effect. */
export const inbox = inboxTable(appealsSchema);

export type AppealRow = typeof appeals.$inferSelect;
export type TopicRow = typeof topics.$inferSelect;
export type AuthorityRow = typeof authorities.$inferSelect;
