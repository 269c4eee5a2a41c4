import { FEED_OPERATIONS } from '../queries.ts';
import type { Scenario } from '../scenario.ts';
import { latencyAtConcurrencyOne } from './latency.ts';

type Feed = { me: { notifications: { totalCount: number } } };

/** 2. Feed search on a person's 100,000 feed items: the first page, a Russian word, a category. */
export const feedSearch: Scenario = (context) =>
  latencyAtConcurrencyOne(context, {
    title: '2. Feed search (a person with 100,000 feed items, 20 a page)',
    targetMs: 50,
    operations: FEED_OPERATIONS.map((operation) => ({ operation, token: context.tokens.feed, found: (data) => (data as Feed).me.notifications.totalCount })),
  });
