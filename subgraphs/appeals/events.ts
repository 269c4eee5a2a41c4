import { idempotentConsumer } from '../../lib/events/inbox.ts';
import type { SubgraphEvents } from '../../lib/events/pipeline.ts';
import { eraseAuthor } from './db/appeals.ts';
import { deleteOfficial } from './db/authorities.ts';
import * as tables from './db/schema.ts';
import { inbox, outbox } from './db/schema.ts';

/** What an official reads in place of the text of an appeal whose author deleted the account. */
export const ERASED_APPEAL_TEXT = 'Текст обращения удалён: автор удалил учётную запись.';

/** Appeals in the event pipeline (docs/events.md). */
export const appealsEvents: SubgraphEvents<typeof tables> = {
  // Status changes (`appeals.status-changed`) reach the citizen's feed and live statuses.
  outbox,
  consumers: (database) => [
    idempotentConsumer('appeals', database, inbox, {
      /**
       * An appeal is also the authority's record, kept for its reporting and archive: its number,
       * topic, authority, region and municipality, status and dates stay. What the person wrote and
       * who they are go: the text and address are erased and the author id is replaced by a random
       * one that leads to no account. An appeal still under review is closed, since nobody is left
       * to answer. Drafts were never sent: they are nobody's record and simply go. An official's
       * link to their authority goes too.
       */
      'identity.account-deleted': async (tx, { payload: { userId } }) => {
        await eraseAuthor(tx, userId, ERASED_APPEAL_TEXT);
        await deleteOfficial(tx, userId);
      },
    }),
  ],
};
