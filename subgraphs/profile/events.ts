import { idempotentConsumer } from '../../lib/events/inbox.ts';
import type { SubgraphEvents } from '../../lib/events/pipeline.ts';
import { insertPersonalDataIfMissing, setAccountLevel } from './db/personal-data.ts';
import * as tables from './db/schema.ts';
import { children, dataChecks, documents, history, inbox, outbox, personalData, vehicles } from './db/schema.ts';
import { eraseProfile } from './db/store.ts';

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
        await insertPersonalDataIfMissing(tx, [{ userId: payload.userId, lastName: payload.lastName, firstName: payload.firstName }]);
      },
      // Nothing of a deleted account stays: personal data, documents, children, vehicles, checks, history.
      'identity.account-deleted': async (tx, { payload }) => {
        await eraseProfile(tx, payload.userId);
      },
      // Kept so that an operator sees the passport only of an account waiting for confirmation.
      'identity.level-changed': async (tx, { payload }) => {
        await setAccountLevel(tx, payload.userId, payload.level);
      },
    }),
  ],
  // Every table of a person's profile feeds their User entity, which the gateway's entity cache holds (docs/performance.md).
  entitySources: [personalData, documents, children, vehicles, dataChecks, history].map((table) => ({ table, entities: { User: 'r.user_id' } })),
};
