import { idempotentConsumer } from '../../lib/events/inbox.ts';
import type { SubgraphEvents } from '../../lib/events/pipeline.ts';
import * as tables from './db/schema.ts';
import { inbox, outbox } from './db/schema.ts';
import { applyDataCheck } from './domain/levels.ts';

/**
 * Identity in the event pipeline (docs/events.md): it produces `identity.*` events through its
 * outbox, and raises an account to STANDARD when profile's data check succeeds.
 */
export const identityEvents: SubgraphEvents<typeof tables> = {
  outbox,
  consumers: (database) => [
    idempotentConsumer('identity', database, inbox, {
      'profile.data-check-completed': (tx, { payload }) => applyDataCheck(tx, payload),
    }),
  ],
};
