import { eq } from 'drizzle-orm';
import { idempotentConsumer } from '../../lib/events/inbox.ts';
import type { SubgraphEvents } from '../../lib/events/pipeline.ts';
import * as tables from './db/schema.ts';
import { documents, inbox, outbox, personalData } from './db/schema.ts';

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
      // Nothing of a deleted account stays: documents and personal data go.
      'identity.account-deleted': async (tx, { payload }) => {
        await tx.delete(documents).where(eq(documents.userId, payload.userId));
        await tx.delete(personalData).where(eq(personalData.userId, payload.userId));
      },
    }),
  ],
};
