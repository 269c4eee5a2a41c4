import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { requireSelfOrRole, resolveOwnUser, type Viewer } from '../../lib/auth.ts';
import { decodeTimeIdCursor, forwardPage, lazy, pageSize, timeIdKey } from '../../lib/connection.ts';
import { feedCounts, feedPage, type FeedFilter, type NotificationsDatabase } from './db/queries.ts';
import type { Category } from './db/schema.ts';
import { presentItem } from './domain/present.ts';
import type { NotificationsLoaders } from './loaders.ts';

export interface NotificationsContext {
  viewer: Viewer | null;
  database: NotificationsDatabase;
  loaders: NotificationsLoaders;
}

interface FeedArgs {
  first?: number | null;
  after?: string | null;
  category?: Category | null;
  unreadOnly?: boolean | null;
}

export const resolvers: GraphQLResolverMap<NotificationsContext> = {
  User: {
    // Nobody but the person reads their feed: no staff role is listed.
    __resolveReference: resolveOwnUser(),
    notifications: (user: { id: string }, args: FeedArgs, { viewer, database }) => {
      requireSelfOrRole(viewer, user.id);
      const first = pageSize(args.first);
      const after = decodeTimeIdCursor(args.after);
      const filter: FeedFilter = { userId: user.id, category: args.category ?? null, unreadOnly: args.unreadOnly ?? false };
      const page = lazy(() => feedPage(database.db, filter, first + 1, after).then((rows) => forwardPage(rows, first, (row) => timeIdKey(row.createdAt, row.id), after !== null)));
      const counts = lazy(() => feedCounts(database.db, filter));
      return {
        edges: async () => (await page()).edges.map((edge) => ({ ...edge, node: presentItem(edge.node) })),
        pageInfo: async () => (await page()).pageInfo,
        totalCount: async () => (await counts()).total,
        unreadCount: async () => (await counts()).unread,
      };
    },
  },
  Notification: {
    __resolveReference: async ({ id }: { id: string }, { viewer, loaders }: NotificationsContext) => {
      const row = await loaders.itemById.load(id);
      if (!row) return null;
      requireSelfOrRole(viewer, row.userId);
      return presentItem(row);
    },
  },
};
