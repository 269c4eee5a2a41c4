/**
 * The notification feed: search, categories, unread only, read/unread, and new items as they come
 * (`notificationAdded` from the newest item shown, so a reconnect brings what came meanwhile).
 */
import { useMutation, useQuery, useSubscription, type ApolloCache } from '@apollo/client';
import { useState } from 'react';
import { graphql } from '../generated/gql.ts';
import type { FeedItemFragment, FeedQuery, FeedQueryVariables, NotificationCategory } from '../generated/graphql.ts';
import { CATEGORY, when } from '../parts/labels.ts';

const Feed = graphql(`
  query Feed($search: String, $category: NotificationCategory, $unreadOnly: Boolean) {
    me {
      id
      notifications(first: 20, search: $search, category: $category, unreadOnly: $unreadOnly) {
        totalCount
        unreadCount
        edges {
          cursor
          node {
            ...FeedItem
          }
        }
      }
    }
  }
`);

graphql(`
  fragment FeedItem on Notification {
    id
    category
    title
    body
    createdAt
    isRead
    appeal {
      id
      number
      status
    }
  }
`);

const NotificationAdded = graphql(`
  subscription NotificationAdded($after: String) {
    notificationAdded(after: $after) {
      cursor
      node {
        ...FeedItem
      }
    }
  }
`);

const MarkRead = graphql(`
  mutation MarkNotificationsRead($input: NotificationIdsInput!) {
    markNotificationsRead(input: $input) {
      updatedCount
      errors {
        message
      }
    }
  }
`);

const MarkUnread = graphql(`
  mutation MarkNotificationsUnread($input: NotificationIdsInput!) {
    markNotificationsUnread(input: $input) {
      updatedCount
      errors {
        message
      }
    }
  }
`);

type Edge = NonNullable<FeedQuery['me']>['notifications']['edges'][number];

/** A live item into the list on screen, when it belongs to it and is not there yet. */
function prepend(cache: ApolloCache<unknown>, variables: FeedQueryVariables, edge: Edge) {
  if (variables.search || (variables.category && variables.category !== edge.node.category)) return;
  cache.updateQuery({ query: Feed, variables }, (feed) => {
    if (!feed?.me || feed.me.notifications.edges.some((shown) => shown.node.id === edge.node.id)) return feed;
    const notifications = feed.me.notifications;
    return { ...feed, me: { ...feed.me, notifications: { ...notifications, totalCount: notifications.totalCount + 1, edges: [edge, ...notifications.edges] } } };
  });
}

export function NotificationFeed() {
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<NotificationCategory | ''>('');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const variables: FeedQueryVariables = { search: search.trim() || null, category: category || null, unreadOnly };
  const { data, error } = useQuery(Feed, { variables });
  // The stream starts once, after the newest item of the first page, and keeps its own cursor since.
  const [after, setAfter] = useState<string | null | undefined>(undefined);
  if (after === undefined && data?.me) setAfter(data.me.notifications.edges[0]?.cursor ?? null);
  useSubscription(NotificationAdded, {
    variables: { after: after ?? null },
    skip: after === undefined,
    onData: ({ client, data: live }) => live.data && prepend(client.cache, variables, live.data.notificationAdded),
  });

  const edges = data?.me?.notifications.edges ?? [];
  return (
    <section className="card wide" aria-label="Уведомления">
      <h1>Уведомления</h1>
      <div className="filters">
        <input type="search" name="search" placeholder="Поиск по уведомлениям" value={search} onChange={(event) => setSearch(event.target.value)} />
        <select name="category" value={category} onChange={(event) => setCategory(event.target.value as NotificationCategory | '')}>
          <option value="">Все категории</option>
          {Object.entries(CATEGORY).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label className="inline">
          <input type="checkbox" name="unreadOnly" checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} /> Только непрочитанные
        </label>
      </div>
      {error && <p role="alert">{error.message}</p>}
      <p className="muted">
        Всего: {data?.me?.notifications.totalCount ?? '…'}, непрочитанных: {data?.me?.notifications.unreadCount ?? '…'}
      </p>
      <ol className="feed">
        {edges.map(({ node }) => (
          <FeedItem key={node.id} item={node} />
        ))}
      </ol>
      {data && edges.length === 0 && <p>Уведомлений нет.</p>}
    </section>
  );
}

function FeedItem({ item }: { item: FeedItemFragment }) {
  const [markRead] = useMutation(MarkRead);
  const [markUnread] = useMutation(MarkUnread);
  const toggle = () => {
    const options = { variables: { input: { ids: [item.id] } }, refetchQueries: ['Feed', 'UnreadCount'] };
    void (item.isRead ? markUnread(options) : markRead(options));
  };
  return (
    <li className={item.isRead ? 'item' : 'item unread'} data-testid="feed-item">
      <div className="item-head">
        <span className="tag">{CATEGORY[item.category]}</span>
        <time dateTime={item.createdAt}>{when(item.createdAt)}</time>
      </div>
      <h3>{item.title}</h3>
      <p>{item.body}</p>
      {item.appeal && (
        <p className="muted">
          Обращение {item.appeal.number}: <a href="#/appeals">посмотреть</a>
        </p>
      )}
      <button className="link" onClick={toggle}>
        {item.isRead ? 'Отметить непрочитанным' : 'Отметить прочитанным'}
      </button>
    </li>
  );
}
