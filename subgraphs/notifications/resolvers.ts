import { requireSelfOrRole, requireService, requireViewer, resolveOwnUser, type Viewer } from '../../lib/auth.ts';
import { decodeTimeIdCursor, forwardPage, lazy, lazyConnection, pageSize, timeIdKey, type LazyConnection } from '../../lib/connection.ts';
import { badUserInput } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { countsByCategory, feedPage, feedTotal, ownItems, unreadCounts, unreadOf, type FeedFilter, type UnreadCounts } from './db/feed.ts';
import type { NotificationsDatabase } from './db/store.ts';
import { changeItems, markAllRead, postFromService, type ItemChange } from './domain/feed.ts';
import { presentItem } from './domain/present.ts';
import type { MutationResolvers, Resolvers } from './generated/schema-types.ts';
import type { NotificationsLoaders } from './loaders.ts';

export interface NotificationsContext {
  viewer: Viewer | null;
  database: NotificationsDatabase;
  loaders: NotificationsLoaders;
}

/** The feed as `User.notifications` answers it: each part loads only when the query asks for it. */
export type FeedConnection = LazyConnection<ReturnType<typeof presentItem>> & { [Count in keyof UnreadCounts]: () => Promise<UnreadCounts[Count]> };

/** A search is a few words: longer text is a mistake or an attack on the text-search parser. */
const MAX_SEARCH = 200;

/** The payload of every change to feed items: the items as they are now and the new counts. */
function changed(kind: ItemChange): MutationResolvers['markNotificationsRead'] {
  return async (_root, { input }, { viewer, database }) => {
    const { userId } = requireViewer(viewer);
    const { updated, errors } = await changeItems(database.db, userId, input.ids, kind);
    const now = errors.length ? [] : await ownItems(database.db, userId, input.ids.filter(isUuid));
    return { notifications: now.map(presentItem), updatedCount: updated, unreadCounts: await unreadCounts(database.db, userId), errors };
  };
}

export const resolvers: Resolvers = {
  Query: {
    notification: async (_root, { id }, { viewer, loaders }) => {
      const { userId } = requireViewer(viewer);
      const row = isUuid(id) ? await loaders.itemById.load(id) : null;
      // Someone else's item answers like a missing one: ids reveal nothing.
      return row && row.userId === userId ? presentItem(row) : null;
    },
  },
  Mutation: {
    markNotificationsRead: changed('READ'),
    markNotificationsUnread: changed('UNREAD'),
    archiveNotifications: changed('ARCHIVE'),
    unarchiveNotifications: changed('UNARCHIVE'),
    markAllNotificationsRead: async (_root, { input }, { viewer, database }) => {
      const { userId } = requireViewer(viewer);
      const updatedCount = await markAllRead(database.db, userId, input?.category ?? null);
      return { notifications: [], updatedCount, unreadCounts: await unreadCounts(database.db, userId), errors: [] };
    },
    postNotification: async (_root, { input }, { viewer, database }) => {
      const service = requireService(viewer);
      const posted = await postFromService(database.db, service, input);
      return 'item' in posted ? { notification: presentItem(posted.item), errors: [] } : { notification: null, errors: posted.errors };
    },
  },
  User: {
    // Nobody but the person reads their feed: no staff role is listed.
    __resolveReference: resolveOwnUser(),
    notifications: (user, args, { viewer, database }) => {
      requireSelfOrRole(viewer, user.id);
      const first = pageSize(args.first);
      const after = decodeTimeIdCursor(args.after);
      const search = args.search?.trim() || null;
      if (search && search.length > MAX_SEARCH) throw badUserInput(`Поисковый запрос — не длиннее ${MAX_SEARCH} символов.`);
      const filter: FeedFilter = { userId: user.id, category: args.category ?? null, unreadOnly: args.unreadOnly ?? false, search, archived: args.archived ?? false };
      // Each part runs only if the query asks for it: a badge needs the counts, not the page.
      const page = async () => {
        const { edges, pageInfo } = forwardPage(await feedPage(database.db, filter, first + 1, after), first, (row) => timeIdKey(row.createdAt, row.id), after !== null);
        return { edges: edges.map((edge) => ({ ...edge, node: presentItem(edge.node) })), pageInfo };
      };
      // The per-category counts answer totalCount (but for a search or the archive) and the unread ones: one small read.
      const counts = lazy(() => countsByCategory(database.db, user.id));
      return {
        ...lazyConnection(page, () => feedTotal(database.db, filter, counts)),
        unreadCount: async () => unreadOf(await counts()).unreadCount,
        unreadCountByCategory: async () => unreadOf(await counts()).unreadCountByCategory,
      };
    },
  },
  Notification: {
    __resolveReference: async ({ id }, { viewer, loaders }) => {
      const row = await loaders.itemById.load(id);
      if (!row) return null;
      requireSelfOrRole(viewer, row.userId);
      return presentItem(row);
    },
  },
};
