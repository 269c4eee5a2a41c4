import { eq } from 'drizzle-orm';
import { idempotentConsumer } from '../../lib/events/inbox.ts';
import type { SubgraphEvents } from '../../lib/events/pipeline.ts';
import * as tables from './db/schema.ts';
import { children, dataChecks, documents, history, inbox, outbox, personalData, vehicles } from './db/schema.ts';

/**
 * Profile in the event pipeline (docs/events.md): it produces `profile.*` events through its outbox
 * and keeps the personal data in step with identity's accounts.
 */
export const profileEvents: SubgraphEvents<typeof tables> = {
  outbox,
  consumers: (database) => [
    idempotentConsumer('profile', database, inbox, {
      // The registration form's names start the personal data; data the person already has stays.
      'identity.account-registered': async (tx, { payload }) => {
        await tx.insert(personalData).values({ userId: payload.userId, lastName: payload.lastName, firstName: payload.firstName }).onConflictDoNothing();
      },
      // Nothing of a deleted account stays: personal data, documents, children, vehicles, checks, history.
      'identity.account-deleted': async (tx, { payload }) => {
        for (const table of [documents, children, vehicles, dataChecks, history, personalData]) await tx.delete(table).where(eq(table.userId, payload.userId));
      },
      // Kept so that an operator sees the passport only of an account waiting for confirmation.
      'identity.level-changed': async (tx, { payload }) => {
        await tx.update(personalData).set({ accountLevel: payload.level }).where(eq(personalData.userId, payload.userId));
      },
    }),
  ],
};
