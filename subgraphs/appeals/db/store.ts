import { sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../../lib/db.ts';
import { eventRecorder } from '../../../lib/events/outbox.ts';
import { insertAppealsIfMissing, type NewAppeal } from './appeals.ts';
import * as tables from './schema.ts';

/**
 * Appeals' storage: `db/<area>.ts` export every query and transaction the domain needs, named for
 * what they mean, each taking this handle (the database or a transaction on it). `domain/` calls
 * them and holds no SQL (test/architecture.test.ts).
 */
export type AppealsDatabase = Database<typeof tables>;
export type Db = Queryable<typeof tables>;

export { inTransaction } from '../../../lib/db.ts';

/** Records an event in appeals' outbox; call it inside the transaction that makes the change. */
export const recordEvent = eventRecorder(tables.outbox);

/** Rows to add where their keys are not there yet, in the order their references need. */
export interface RowsIfMissing {
  topics?: (typeof tables.topics.$inferInsert)[];
  authorities?: (typeof tables.authorities.$inferInsert)[];
  routingRules?: (typeof tables.routingRules.$inferInsert)[];
  calendarDays?: (typeof tables.calendarDays.$inferInsert)[];
  officials?: (typeof tables.officials.$inferInsert)[];
  appeals?: NewAppeal[];
}

async function insertRows(tx: Db, rows: RowsIfMissing): Promise<void> {
  const { topics, authorities, routingRules, calendarDays, officials } = tables;
  // Parents first, as listed: a subtopic refers to its parent.
  if (rows.topics?.length) await tx.insert(topics).values(rows.topics).onConflictDoNothing();
  if (rows.authorities?.length) await tx.insert(authorities).values(rows.authorities).onConflictDoNothing();
  if (rows.routingRules?.length) await tx.insert(routingRules).values(rows.routingRules).onConflictDoNothing();
  if (rows.calendarDays?.length) await tx.insert(calendarDays).values(rows.calendarDays).onConflictDoNothing();
  if (rows.officials?.length) await tx.insert(officials).values(rows.officials).onConflictDoNothing();
  await insertAppealsIfMissing(tx, rows.appeals ?? []);
}

/** Inserts, in one transaction, the rows whose keys are not there yet (the demo seed runs on every start; tests build data with it). */
export function insertRowsIfMissing(db: Db, rows: RowsIfMissing): Promise<void> {
  return db.transaction((tx) => insertRows(tx, rows));
}

/** The same for the reference data every start loads: instances starting at once take turns. */
export function insertReferenceDataIfMissing(db: Db, rows: RowsIfMissing): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('appeals:reference-data'))`);
    await insertRows(tx, rows);
  });
}
