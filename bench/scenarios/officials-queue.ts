import { queueOperations } from '../queries.ts';
import type { Scenario } from '../scenario.ts';
import { latencyAtConcurrencyOne } from './latency.ts';

/** 3. The officials' queue of an authority with 100,000 appeals, its overdue filter, and the analytics. */
export const officialsQueue: Scenario = (context) => {
  const { queue, overdue, analytics } = queueOperations();
  const queueTotal = (data: Record<string, unknown>) => (data as { authorityAppeals: { totalCount: number } }).authorityAppeals.totalCount;
  return latencyAtConcurrencyOne(context, {
    title: "3. Officials' queue (an authority with 100,000 appeals, 20 a page with authors' names; analytics of the region)",
    targetMs: 50,
    operations: [
      { operation: queue, token: context.tokens.official, found: queueTotal },
      { operation: overdue, token: context.tokens.official, found: queueTotal },
      { operation: analytics, token: context.tokens.coordinator, found: (data) => (data as { appealAnalytics: { totalCount: number } }).appealAnalytics.totalCount },
    ],
  });
};
