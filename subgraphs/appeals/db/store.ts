import type { Database, Queryable } from '../../../lib/db.ts';
import { eventRecorder } from '../../../lib/events/outbox.ts';
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

/** Inserts reference data and appeals whose keys are not there yet (the demo seed runs on every start; tests build data with it). */
export async function insertRowsIfMissing(
  db: Db,
  rows: {
    topics: (typeof tables.topics.$inferInsert)[];
    authorities: (typeof tables.authorities.$inferInsert)[];
    officials: (typeof tables.officials.$inferInsert)[];
    appeals: (typeof tables.appeals.$inferInsert)[];
  },
): Promise<void> {
  const { topics, authorities, officials, appeals } = tables;
  await db.transaction(async (tx) => {
    if (rows.topics.length) await tx.insert(topics).values(rows.topics).onConflictDoNothing();
    if (rows.authorities.length) await tx.insert(authorities).values(rows.authorities).onConflictDoNothing();
    if (rows.officials.length) await tx.insert(officials).values(rows.officials).onConflictDoNothing();
    if (rows.appeals.length) await tx.insert(appeals).values(rows.appeals).onConflictDoNothing();
  });
}
