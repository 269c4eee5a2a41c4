import { idempotentConsumer } from '../../lib/events/inbox.ts';
import type { SubgraphEvents } from '../../lib/events/pipeline.ts';
import { eraseAuthor } from './db/appeals.ts';
import { deleteOfficial } from './db/authorities.ts';
import * as tables from './db/schema.ts';
import { appeals, inbox, outbox, timeline } from './db/schema.ts';

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
  // What the gateway's entity cache holds of appeals (docs/performance.md): an appeal, and its author's list.
  entitySources: [
    { table: appeals, entities: { Appeal: 'r.id', User: 'r.author_id' } },
    { table: timeline, entities: { Appeal: 'r.appeal_id', User: '(select a.author_id from appeals.appeals a where a.id = r.appeal_id)' } },
  ],
};
