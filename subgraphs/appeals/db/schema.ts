import { sql, type SQL } from 'drizzle-orm';
import { bigserial, boolean, date, doublePrecision, index, integer, jsonb, pgSchema, primaryKey, smallint, text, timestamp, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { inboxTable } from '../../../lib/events/inbox.ts';
import { outboxTable } from '../../../lib/events/outbox.ts';
import { OPEN_STATUSES } from '../domain/lifecycle.ts';
import { RULE_REASONS } from '../domain/routing.ts';

/** Everything appeals stores lives in the `appeals` Postgres schema. */
export const appealsSchema = pgSchema('appeals');

export const appealStatus = appealsSchema.enum('appeal_status', ['REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED', 'ANSWERED', 'REJECTED', 'CLOSED', 'DRAFT']);
export const appealKind = appealsSchema.enum('appeal_kind', ['APPEAL', 'COMPLAINT']);
export const authorityKind = appealsSchema.enum('authority_kind', ['REGIONAL_EXECUTIVE', 'LOCAL_SELF_GOVERNMENT', 'OTHER_ORGANISATION']);
export const routingReason = appealsSchema.enum('routing_reason', RULE_REASONS);

/** The rubricator of life situations: a tree of topics. Reference data, changeable without code. */
export const topics = appealsSchema.table('topics', {
  id: text().primaryKey(),
  name: text().notNull(),
  parentId: text().references((): AnyPgColumn => topics.id),
  /** The platform's shorter deadline in working days; null means the legal 30 days. */
  reviewDays: integer(),
  accelerated: boolean().notNull().default(false),
});

export const authorities = appealsSchema.table('authorities', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  kind: authorityKind().notNull(),
  regionCode: text().notNull(),
  municipality: text(),
});

/**
 * Routing (маршрутизация): which authority answers a topic in a region, or in one municipality of
 * it. The most specific rule wins; a subtopic without a rule of its own follows its parent's.
 */
export const routingRules = appealsSchema.table(
  'routing_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    topicId: text()
      .notNull()
      .references(() => topics.id),
    regionCode: text().notNull(),
    /** Null: the whole region. */
    municipality: text(),
    authorityId: uuid()
      .notNull()
      .references(() => authorities.id),
  },
  (table) => [index().on(table.regionCode, table.topicId), unique('routing_rules_place_unique').on(table.topicId, table.regionCode, table.municipality).nullsNotDistinct()],
);

/** The production calendar: non-working weekdays and working weekend days (переносы), by date. */
export const calendarDays = appealsSchema.table('calendar_days', {
  day: date({ mode: 'string' }).primaryKey(),
  /** True for a working Saturday or Sunday, false for a holiday or a day off moved onto a weekday. */
  working: boolean().notNull(),
  note: text(),
});

/** Which authority an official (an identity account with the OFFICIAL role) works for. */
export const officials = appealsSchema.table('officials', {
  userId: uuid().primaryKey(),
  authorityId: uuid()
    .notNull()
    .references(() => authorities.id),
});

export interface Attachment {
  name: string;
  size: number;
  mimeType: string;
}

export interface Complaint {
  subject: 'SERVICE' | 'OFFICIAL_DECISION';
  ground: 'REFUSAL_TO_ACCEPT_DOCUMENTS' | 'UNCORRECTED_ERRORS' | 'OTHER';
  serviceName: string;
  decisionDate: string | null;
}

/**
 * `status in ('REGISTERED', …)`: the authority still owes an answer. Written out, not as parameters,
 * so the planner matches it to the open-queue index's predicate.
 */
export const isOpenSql = (status: AnyPgColumn): SQL => sql`${status} in (${sql.raw(OPEN_STATUSES.map((name: string) => `'${name}'`).join(', '))})`;

/**
 * Appeals and drafts. `due_at` keeps milliseconds only, so a cursor taken from it matches the row
 * exactly. The queue reads `appeals_queue_idx` (authority, due, id) and, for overdue and due-soon
 * filters, `appeals_open_queue_idx`: the same over open appeals only. The analytics read
 * `analytics_counts` (below) and, for the open appeals due today, which turn late in the course of
 * the day without a row change, `appeals_due_today_idx`: every column they read, an index-only range.
 */
export const appeals = appealsSchema.table(
  'appeals',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: appealKind().notNull().default('APPEAL'),
    /** Null for a draft. */
    number: text().unique(),
    authorId: uuid().notNull(),
    /** Null for a draft that has none yet. */
    topicId: text().references(() => topics.id),
    /** Null for a draft: routing happens when it is sent. */
    authorityId: uuid().references(() => authorities.id),
    /**
     * The rule that chose the authority when the appeal was sent, and the topic it is of (the
     * appeal's own or a broader one; domain/routing.ts). Null for a draft, and for an appeal sent
     * before the platform kept them.
     */
    routingReason: routingReason(),
    routingTopicId: text().references(() => topics.id),
    /** Null for a draft that has none yet. */
    regionCode: text(),
    municipality: text(),
    address: text(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    text: text().notNull(),
    attachments: jsonb().$type<Attachment[]>().notNull().default([]),
    complaint: jsonb().$type<Complaint>(),
    status: appealStatus().notNull().default('REGISTERED'),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    registeredAt: timestamp({ withTimezone: true, precision: 3 }),
    /** Null for a draft. */
    dueAt: timestamp({ withTimezone: true, precision: 3 }),
    extendedAt: timestamp({ withTimezone: true }),
    answerText: text(),
    answeredAt: timestamp({ withTimezone: true }),
    ratingScore: smallint(),
    ratingComment: text(),
    ratedAt: timestamp({ withTimezone: true }),
    reopenedAt: timestamp({ withTimezone: true }),
    rejectionReason: text(),
    clarificationQuestion: text(),
    /**
     * When the author deleted their account: the text and address were erased and `author_id`
     * replaced by a random id that leads nowhere; the rest stays as the authority's record.
     */
    authorErasedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index().on(table.authorId, table.createdAt.desc().nullsFirst()),
    index('appeals_queue_idx').on(table.authorityId, table.dueAt, table.id),
    index('appeals_open_queue_idx').on(table.authorityId, table.dueAt, table.id).where(isOpenSql(table.status)),
    index('appeals_due_today_idx')
      .on(table.dueAt, table.regionCode, table.registeredAt, table.municipality, table.topicId)
      .where(sql`${isOpenSql(table.status)} and ${table.answeredAt} is null`),
  ],
);

/**
 * The analytics' figures of the appeals registered each day, per region, municipality, topic and due
 * day (days are Moscow dates, as `startOfDayIn` counts them): 101,920 appeals of a region's half year
 * are 7,270 rows. Kept by statement-level triggers on `appeals` (migration 0007_analytics_counts), so
 * every writer keeps them right; a status change that answers, rates or moves nothing writes nothing.
 * The open appeals of a row are late once its due day is over; those due today, which turn late in
 * the course of the day, are read from the appeals themselves.
 */
export const analyticsCounts = appealsSchema.table(
  'analytics_counts',
  {
    regionCode: text(),
    registeredOn: date({ mode: 'string' }).notNull(),
    municipality: text(),
    topicId: text(),
    dueOn: date({ mode: 'string' }),
    appeals: integer().notNull().default(0),
    /** Answered after the due date. */
    answeredLate: integer().notNull().default(0),
    /** Open and not answered: late from the day after `dueOn` on. */
    openUnanswered: integer().notNull().default(0),
    ratingSum: integer().notNull().default(0),
    rated: integer().notNull().default(0),
  },
  (table) => [unique('analytics_counts_group_unique').on(table.regionCode, table.registeredOn, table.municipality, table.topicId, table.dueOn).nullsNotDistinct()],
);

/**
 * How many appeals each authority has in each status: the queue's `totalCount` without counting
 * 100,000 rows. Kept by statement-level triggers on `appeals` (migration 0004_queue_counts), so
 * every writer, bulk ones included, keeps it right; a row may stay at zero.
 */
export const queueCounts = appealsSchema.table(
  'queue_counts',
  {
    authorityId: uuid().notNull(),
    status: appealStatus().notNull(),
    appeals: integer().notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.authorityId, table.status] })],
);

/** Every step of an appeal's review (ход рассмотрения), in order. */
export const timeline = appealsSchema.table(
  'timeline',
  {
    position: bigserial({ mode: 'number' }).primaryKey(),
    appealId: uuid()
      .notNull()
      .references(() => appeals.id, { onDelete: 'cascade' }),
    at: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    action: text().notNull(),
    status: appealStatus().notNull(),
    /** CITIZEN, OFFICIAL or SYSTEM. */
    actor: text().$type<'CITIZEN' | 'OFFICIAL' | 'SYSTEM'>().notNull(),
    actorId: uuid(),
    authorityId: uuid().references(() => authorities.id),
    comment: text(),
  },
  (table) => [index().on(table.appealId, table.position)],
);

/**
 * Registration numbers of appeals, shared by every instance. Numbers below 1000 are never drawn:
 * they are the demo data's (seed.ts, ПОС-2026-000101…), so a submitted appeal never meets one.
 */
const APPEAL_NUMBERS_FROM = 1000;
export const appealNumber = appealsSchema.sequence('appeal_number', { minValue: APPEAL_NUMBERS_FROM, startWith: APPEAL_NUMBERS_FROM });

/** Events appeals produces (`appeals.*`), written in the transaction of the change; see docs/events.md. */
export const outbox = outboxTable(appealsSchema);

/** Events appeals has handled, so a redelivered one has no second effect. */
export const inbox = inboxTable(appealsSchema);

export type AppealRow = typeof appeals.$inferSelect;
export type AppealStatus = AppealRow['status'];
export type TopicRow = typeof topics.$inferSelect;
export type AuthorityRow = typeof authorities.$inferSelect;
export type TimelineRow = typeof timeline.$inferSelect;
export type RoutingRuleRow = typeof routingRules.$inferSelect;
