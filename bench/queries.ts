/**
 * The operations the benchmark sends, as a front end would: one module for the scenarios and for the
 * smoke test that checks their answers (test/bench.test.ts).
 */

export interface Operation {
  /** A short name for the results table. */
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

/**
 * The cabinet's home screen across the four subgraphs: the account (identity), profile, documents,
 * children and vehicles (profile), the first notifications each with its appeal's status and
 * authority (notifications, then appeals), and the first appeals with their timelines (appeals).
 */
export const DASHBOARD_QUERY = `query Dashboard($notifications: Int!, $appeals: Int!) {
  me {
    id level phone email
    profile { lastName firstName middleName birthDate registrationAddress { region municipality street house flat } verification { status } }
    documents { id type verification { status } }
    children { id firstName birthDate }
    vehicles { id make model registrationPlate }
    notifications(first: $notifications) {
      totalCount unreadCount
      edges { node { id category title createdAt isRead appeal { id number status authority { name } } } }
    }
    appeals(first: $appeals) {
      totalCount
      edges { node {
        id number status createdAt dueAt
        topic { name }
        authority { name }
        timeline { at action status }
      } }
    }
  }
}`;

export const dashboard = (notifications = 20, appeals = 10): Operation => ({ name: `dashboard (${notifications} notifications, ${appeals} appeals)`, query: DASHBOARD_QUERY, variables: { notifications, appeals } });

const FEED_QUERY = `query Feed($search: String, $category: NotificationCategory) {
  me { notifications(first: 20, search: $search, category: $category) {
    totalCount unreadCount
    edges { cursor node { id category title createdAt isRead } }
    pageInfo { hasNextPage endCursor }
  } }
}`;

/** The feed of a person with 100,000 items: the first page, a word search in Russian, one category. */
export const FEED_OPERATIONS: Operation[] = [
  { name: 'feed: first page', query: FEED_QUERY, variables: {} },
  // «заявление» finds «заявления» and «заявление» alike (the russian text-search configuration).
  { name: 'feed: search «заявление»', query: FEED_QUERY, variables: { search: 'заявление' } },
  { name: 'feed: category PAYMENT', query: FEED_QUERY, variables: { category: 'PAYMENT' } },
];

const QUEUE_QUERY = `query Queue($overdueOnly: Boolean) {
  authorityAppeals(first: 20, overdueOnly: $overdueOnly) {
    totalCount
    edges { node { id number status dueAt isOverdue topic { name } author { name { lastName firstName } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const ANALYTICS_QUERY = `query Analytics($input: AppealAnalyticsInput!) {
  appealAnalytics(input: $input) {
    totalCount overdueShare averageRating
    countByTopic { topic { id name } count }
    countByMunicipality { municipality count overdueCount }
    topProblems { municipality problems { topic { name } count } }
  }
}`;

/** The officials' queue of an authority with 100,000 appeals (as its official) and the region's analytics (as a coordinator). */
export function queueOperations(now = new Date()): { queue: Operation; overdue: Operation; analytics: Operation } {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    queue: { name: 'queue: first page', query: QUEUE_QUERY, variables: { overdueOnly: false } },
    overdue: { name: 'queue: overdue only', query: QUEUE_QUERY, variables: { overdueOnly: true } },
    analytics: { name: 'analytics: region 50, 180 days', query: ANALYTICS_QUERY, variables: { input: { from: day(-180), to: day(0), regionCode: '50' } } },
  };
}

export const LOGIN_MUTATION = 'mutation Login($input: LoginInput!) { login(input: $input) { accessToken errors { code message } } }';
