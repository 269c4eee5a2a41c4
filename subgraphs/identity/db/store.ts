import type { Database, Queryable } from '../../../lib/db.ts';
import { eventRecorder } from '../../../lib/events/outbox.ts';
import * as tables from './schema.ts';

/**
 * Identity's storage: `db/<area>.ts` export every query and transaction the domain needs, named for
 * what they mean, each taking this handle (the database or a transaction on it). `domain/` calls
 * them and holds no SQL (test/architecture.test.ts).
 */
export type IdentityDatabase = Database<typeof tables>;
export type Db = Queryable<typeof tables>;

export { inTransaction } from '../../../lib/db.ts';

/** Records an event in identity's outbox; call it inside the transaction that makes the change. */
export const recordEvent = eventRecorder(tables.outbox);
