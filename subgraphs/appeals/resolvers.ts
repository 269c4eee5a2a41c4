import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { hasRole, requireSelfOrRole, resolveOwnUser, requireViewer, type Viewer } from '../../lib/auth.ts';
import { decodeTimeIdCursor, forwardPage, lazy, pageSize, timeIdKey } from '../../lib/connection.ts';
import { forbidden } from '../../lib/errors.ts';
import { appealsOfAuthor, queueCount, queuePage, type AppealsDatabase, type QueueFilter } from './db/queries.ts';
import type { AppealRow, TopicRow } from './db/schema.ts';
import { isOverdue, mayReadAppeal } from './domain.ts';
import type { AppealsLoaders } from './loaders.ts';

export interface AppealsContext {
  viewer: Viewer | null;
  database: AppealsDatabase;
  loaders: AppealsLoaders;
}

async function officialAuthorityOf(viewer: Viewer, loaders: AppealsLoaders): Promise<string | null> {
  if (!hasRole(viewer, 'OFFICIAL')) return null;
  return (await loaders.officialByUserId.load(viewer.userId))?.authorityId ?? null;
}

/** Loads an appeal the caller may read: null when there is none, FORBIDDEN when it is someone else's. */
async function readableAppeal(id: string, { viewer, loaders }: AppealsContext): Promise<AppealRow | null> {
  const caller = requireViewer(viewer);
  const appeal = await loaders.appealById.load(id);
  if (!appeal) return null;
  if (!mayReadAppeal(caller, appeal, await officialAuthorityOf(caller, loaders))) throw forbidden('Это обращение вам недоступно.');
  return appeal;
}

export const resolvers: GraphQLResolverMap<AppealsContext> = {
  Query: {
    appeal: (_root, { id }: { id: string }, context) => readableAppeal(id, context),
    authorityAppeals: async (_root, args: { first?: number; after?: string; overdueOnly?: boolean }, { viewer, database, loaders }) => {
      const caller = requireViewer(viewer);
      const authorityId = await officialAuthorityOf(caller, loaders);
      if (!authorityId) throw forbidden('Очередь обращений доступна только должностным лицам органа власти.');
      const first = pageSize(args.first);
      const after = decodeTimeIdCursor(args.after);
      const filter: QueueFilter = { authorityId, overdueOnly: args.overdueOnly ?? false, now: new Date() };
      const page = lazy(() => queuePage(database.db, filter, first + 1, after).then((rows) => forwardPage(rows, first, (row) => timeIdKey(row.dueAt, row.id), after !== null)));
      return {
        edges: async () => (await page()).edges,
        pageInfo: async () => (await page()).pageInfo,
        totalCount: () => queueCount(database.db, filter),
      };
    },
  },
  User: {
    // Only the person lists their own appeals; officials reach appeals through their queue.
    __resolveReference: resolveOwnUser(),
    appeals: (user: { id: string }, args: { first?: number }, { viewer, database }) => {
      requireSelfOrRole(viewer, user.id);
      return appealsOfAuthor(database.db, user.id, pageSize(args.first));
    },
  },
  Appeal: {
    __resolveReference: ({ id }: { id: string }, context: AppealsContext) => readableAppeal(id, context),
    topic: (appeal: AppealRow, _args, { loaders }) => loaders.topicById.load(appeal.topicId),
    authority: (appeal: AppealRow, _args, { loaders }) => loaders.authorityById.load(appeal.authorityId),
    isOverdue: (appeal: AppealRow) => isOverdue(appeal, new Date()),
    author: (appeal: AppealRow) => ({ id: appeal.authorId }),
  },
  Topic: {
    parent: (topic: TopicRow, _args, { loaders }) => (topic.parentId ? loaders.topicById.load(topic.parentId) : null),
  },
};
