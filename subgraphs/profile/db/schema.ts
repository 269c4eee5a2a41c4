import { sql } from 'drizzle-orm';
import { bigserial, check, date, index, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ACCOUNT_LEVELS } from '../../../lib/auth.ts';
import { inboxTable } from '../../../lib/events/inbox.ts';
import { outboxTable } from '../../../lib/events/outbox.ts';

/** Everything profile stores lives in the `profile` Postgres schema; no other service reads it. */
export const profile = pgSchema('profile');

export const sex = profile.enum('sex', ['MALE', 'FEMALE']);
export const DOCUMENT_TYPES = ['RUSSIAN_PASSPORT', 'SNILS', 'INN', 'FOREIGN_PASSPORT', 'DRIVER_LICENCE', 'OMS_POLICY', 'MILITARY_ID', 'BIRTH_CERTIFICATE'] as const;
export const verificationStatus = profile.enum('verification_status', ['NOT_CHECKED', 'CHECKING', 'CHECKED', 'FAILED']);
export const dataCheckStatus = profile.enum('data_check_status', ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export const accountLevel = profile.enum('account_level', ACCOUNT_LEVELS);

export interface Address {
  postcode: string;
  region: string;
  municipality?: string | null;
  street?: string | null;
  house: string;
  building?: string | null;
  flat?: string | null;
}

const timestamps = {
  createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
};

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
  registrationAddress: jsonb().$type<Address>(),
  actualAddress: jsonb().$type<Address>(),
  /** Names, sex and birth date as the Social Fund confirmed them together with the SNILS. */
  verificationStatus: verificationStatus().notNull().default('NOT_CHECKED'),
  checkedAt: timestamp({ withTimezone: true }),
  failureReason: text(),
  /** The account level as identity last told (event): an operator sees the passport only of a STANDARD account. */
  accountLevel: accountLevel().notNull().default('SIMPLIFIED'),
  ...timestamps,
});

/**
 * All kinds of document in one table: the columns every kind shares (owner, verification, dates),
 * and the kind's own fields in `details`, whose shape domain/documents.ts checks per `type` before
 * anything is stored. A new kind needs no migration; a person has at most one document of each kind
 * but foreign passports (two may be valid at once).
 */
export const documents = profile.table(
  'documents',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    /** Text with a check rather than an enum: a new kind is one constraint change, usable at once. */
    type: text().$type<(typeof DOCUMENT_TYPES)[number]>().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull(),
    verificationStatus: verificationStatus().notNull().default('NOT_CHECKED'),
    checkedAt: timestamp({ withTimezone: true }),
    failureReason: text(),
    ...timestamps,
  },
  (table) => [
    index().on(table.userId),
    check('documents_type_known', sql.raw(`type in (${DOCUMENT_TYPES.map((type) => `'${type}'`).join(', ')})`)),
    uniqueIndex('documents_one_per_kind')
      .on(table.userId, table.type)
      .where(sql`${table.type} <> 'FOREIGN_PASSPORT'`),
  ],
);

export const children = profile.table(
  'children',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    lastName: text().notNull(),
    firstName: text().notNull(),
    middleName: text(),
    sex: sex().notNull(),
    birthDate: date({ mode: 'string' }).notNull(),
    /** The child's documents, checked like the parent's: birth certificate, SNILS, ОМС policy. */
    birthCertificate: jsonb().$type<Record<string, unknown>>(),
    snils: text(),
    omsPolicy: text(),
    ...timestamps,
  },
  (table) => [index().on(table.userId)],
);

export const vehicles = profile.table(
  'vehicles',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    make: text().notNull(),
    model: text().notNull(),
    /** In Cyrillic, without spaces: `А123ВС77`. */
    registrationPlate: text(),
    vin: text(),
    /** Stands for the VIN on vehicles that have none. */
    bodyNumber: text(),
    /** Vehicle registration certificate (СТС), without spaces. */
    registrationCertificate: text(),
    ...timestamps,
  },
  (table) => [index().on(table.userId)],
);

/**
 * Data checks against the state registers (Social Fund: names and birth date match the SNILS;
 * Interior Ministry: the passport is valid). `snapshot` is what was sent.
 */
export const dataChecks = profile.table(
  'data_checks',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull(),
    status: dataCheckStatus().notNull().default('RUNNING'),
    snapshot: jsonb().$type<Record<string, unknown>>().notNull(),
    failureReason: text(),
    startedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index().on(table.userId, table.startedAt.desc().nullsFirst()),
    index('data_checks_running_idx')
      .on(table.status)
      .where(sql`${table.status} = 'RUNNING'`),
  ],
);

/** Every change to personal data, documents, children and vehicles, readable by the owner. */
export const history = profile.table(
  'history',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Order of writing: several entries of one transaction share a time but not a position. */
    position: bigserial({ mode: 'number' }).notNull().unique(),
    userId: uuid().notNull(),
    /** PERSONAL_DATA, DOCUMENT, CHILD, VEHICLE or DATA_CHECK. */
    subject: text().notNull(),
    subjectId: uuid(),
    /** What the subject is, in words: «Паспорт гражданина РФ», «Ребёнок: Иванова Мария». */
    subjectName: text().notNull(),
    /** CREATED, UPDATED, DELETED, CHECK_STARTED, CHECKED, CHECK_FAILED, CHECK_CANCELLED. */
    action: text().notNull(),
    /** Changed fields with their old and new values. */
    changes: jsonb().$type<{ field: string; before: unknown; after: unknown }[]>().notNull().default([]),
    /** Who made the change: the person, or the system (a register's answer). */
    actor: text().notNull(),
    occurredAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index().on(table.userId, table.position.desc().nullsFirst())],
);

/** Events profile produces (`profile.*`), written in the transaction of the change; see docs/events.md. */
export const outbox = outboxTable(profile);

/** Events profile has handled, so a redelivered one has no second effect. */
export const inbox = inboxTable(profile);

export type PersonalDataRow = typeof personalData.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;
export type ChildRow = typeof children.$inferSelect;
export type VehicleRow = typeof vehicles.$inferSelect;
export type DataCheckRow = typeof dataChecks.$inferSelect;
export type HistoryRow = typeof history.$inferSelect;
export type DocumentType = DocumentRow['type'];
