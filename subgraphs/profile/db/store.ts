import { eq } from 'drizzle-orm';
import type { Database, Queryable } from '../../../lib/db.ts';
import { eventRecorder } from '../../../lib/events/outbox.ts';
import * as tables from './schema.ts';

/**
 * Profile's storage: `db/<area>.ts` export every query and transaction the domain needs, named for
 * what they mean, each taking this handle (the database or a transaction on it). `domain/` calls
 * them and holds no SQL (test/architecture.test.ts).
 */
export type ProfileDatabase = Database<typeof tables>;
export type Db = Queryable<typeof tables>;

export { inTransaction } from '../../../lib/db.ts';

/** Records an event in profile's outbox; call it inside the transaction that makes the change. */
export const recordEvent = eventRecorder(tables.outbox);

/** Deletes everything profile keeps of a person: personal data, documents, children, vehicles, checks, history. */
export async function eraseProfile(tx: Db, userId: string): Promise<void> {
  const { documents, children, vehicles, dataChecks, history, personalData } = tables;
  for (const table of [documents, children, vehicles, dataChecks, history, personalData]) await tx.delete(table).where(eq(table.userId, userId));
}
