import type { Scenario } from '../scenario.ts';
import { cabinetDashboard } from './dashboard.ts';
import { feedSearch } from './feed-search.ts';
import { gatewayCost } from './gateway-cost.ts';
import { liveFeed } from './live-feed.ts';
import { login } from './login.ts';
import { mixedWorkload } from './mixed.ts';
import { officialsQueue } from './officials-queue.ts';
import { sqlPerOperation } from './sql-per-operation.ts';
import { subgraphRequests } from './subgraph-requests.ts';

/** Every scenario, in the order they run; BENCH_SCENARIOS=dashboard,sql picks some by name. */
export const SCENARIOS: Record<string, Scenario> = {
  dashboard: cabinetDashboard,
  feed: feedSearch,
  queue: officialsQueue,
  login,
  live: liveFeed,
  sql: sqlPerOperation,
  mixed: mixedWorkload,
  requests: subgraphRequests,
  cost: gatewayCost,
};
