import { setTimeout as sleep } from 'node:timers/promises';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { dashboard } from '../queries.ts';
import { checkAnswer, type Scenario } from '../scenario.ts';

const RUNS = 3;

/**
 * 6. SQL statements each subgraph sends for the dashboard with 5 and 5 items on the page and with
 * 20 notifications and 10 appeals (the bench's dashboard),
 * counted at each subgraph's driver (bench/driver). The least of three runs: timers (the event
 * relay, the session check's cache) add statements now and then that the operation did not cause.
 */
export const sqlPerOperation: Scenario = async ({ system, tokens, log }) => {
  const countFor = async (notifications: number, appeals: number) => {
    const least = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, Infinity])) as Record<SubgraphName, number>;
    for (let run = 0; run < RUNS; run++) {
      await system.takeStatementCounts();
      await checkAnswer(system.gatewayUrl, dashboard(notifications, appeals), tokens.dashboard);
      await sleep(50);
      const counts = await system.takeStatementCounts();
      for (const name of SUBGRAPH_NAMES) least[name] = Math.min(least[name], counts[name]);
    }
    return least;
  };
  log('SQL per operation: 5 and 5 items, then 20 and 10');
  const five = await countFor(5, 5);
  const more = await countFor(20, 10);
  const grows = SUBGRAPH_NAMES.filter((name) => more[name] > five[name]);
  return {
    title: '6. SQL per operation (the dashboard with 5 notifications and 5 appeals, and with 20 and 10; statements per subgraph, at the driver)',
    columns: ['subgraph', '5 + 5 items', '20 + 10 items'],
    rows: SUBGRAPH_NAMES.map((name) => [name, five[name], more[name]]),
    targets: [
      { target: 'SQL statements for the dashboard the same for 5 + 5 items as for 20 + 10', met: grows.length === 0, detail: grows.length ? `more with 20 + 10 in ${grows.join(', ')}` : 'equal in every subgraph' },
    ],
  };
};
