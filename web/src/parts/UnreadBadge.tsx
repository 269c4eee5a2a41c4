/** The unread count beside «Уведомления», kept live by `unreadCountChanged`. */
import { useQuery, useSubscription } from '@apollo/client';
import { graphql } from '../generated/gql.ts';

const UnreadCount = graphql(`
  query UnreadCount {
    me {
      id
      notifications(first: 1) {
        unreadCount
      }
    }
  }
`);

const UnreadCountChanged = graphql(`
  subscription UnreadCountChanged {
    unreadCountChanged {
      unreadCount
    }
  }
`);

export function UnreadBadge() {
  const { data } = useQuery(UnreadCount);
  const live = useSubscription(UnreadCountChanged);
  const count = live.data?.unreadCountChanged.unreadCount ?? data?.me?.notifications.unreadCount ?? 0;
  if (!count) return null;
  return (
    <span className="badge" data-testid="unread-badge" aria-label={`Непрочитанных: ${count}`}>
      {count}
    </span>
  );
}
