import { date, index, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../lib/events/inbox.ts';
import { outboxTable } from '../../../lib/events/outbox.ts';

/** Everything profile stores lives in the `profile` Postgres schema; no other service reads it. */
export const profile = pgSchema('profile');

export const sex = profile.enum('sex', ['MALE', 'FEMALE']);
export const documentType = profile.enum('document_type', ['RUSSIAN_PASSPORT', 'SNILS']);
export const verificationStatus = profile.enum('verification_status', ['NOT_CHECKED', 'CHECKING', 'CHECKED', 'FAILED']);

/** One row per person who filled in personal data; keyed by the identity account id. */
export const personalData = profile.table('personal_data', {
  userId: uuid().primaryKey(),
  lastName: text().notNull(),
  firstName: text().notNull(),
  middleName: text(),
  sex: sex(),
  birthDate: date({ mode: 'string' }),
  birthPlace: text(),
  citizenship: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * All kinds of document in one table: the columns every kind shares, and the kind's own fields in
 * `details`, whose shape the domain layer checks per `type` (see domain.ts).
 */
export const documents = profile.table(
  'documents',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    type: documentType().notNull(),
    details: jsonb().$type<Record<string, string>>().notNull(),
    verificationStatus: verificationStatus().notNull().default('NOT_CHECKED'),
    checkedAt: timestamp({ withTimezone: true }),
    failureReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.userId)],
);

/** Events profile produces (`profile.*`), written in the transaction of the change; see docs/events.md. */
export const outbox = outboxTable(profile);

/** Events profile has handled, so a redelivered one has no second effect. */
export const inbox = inboxTable(profile);

export type PersonalDataRow = typeof personalData.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;
