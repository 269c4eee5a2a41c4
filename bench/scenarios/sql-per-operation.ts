import { setTimeout as sleep } from 'node:timers/promises';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config.ts';
import { dashboard } from '../queries.ts';
import { checkAnswer, type Scenario } from '../scenario.ts';

const RUNS = 3;

/**
 * 6. SQL statements each subgraph sends for the dashboard with 5 and with 50 items on the page,
 * counted at each subgraph's driver (bench/driver). The least of three runs: timers (the event
 * relay, the session check's cache) add statements now and then that the operation did not cause.
 */
export const sqlPerOperation: Scenario = async ({ system, tokens, log }) => {
  const countFor = async (items: number) => {
    const least = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, Infinity])) as Record<SubgraphName, number>;
    for (let run = 0; run < RUNS; run++) {
      await system.takeStatementCounts();
      await checkAnswer(system.gatewayUrl, dashboard(items, items), tokens.dashboard);
      await sleep(50);
      const counts = await system.takeStatementCounts();
      for (const name of SUBGRAPH_NAMES) least[name] = Math.min(least[name], counts[name]);
    }
    return least;
  };
  log('SQL per operation: 5 items, then 50');
  const five = await countFor(5);
  const fifty = await countFor(50);
  const grows = SUBGRAPH_NAMES.filter((name) => fifty[name] > five[name]);
  return {
    title: '6. SQL per operation (the dashboard with 5 and with 50 notifications and appeals; statements per subgraph, at the driver)',
    columns: ['subgraph', '5 items', '50 items'],
    rows: SUBGRAPH_NAMES.map((name) => [name, five[name], fifty[name]]),
    targets: [{ target: 'SQL statements for the dashboard the same for 5 items as for 50', met: grows.length === 0, detail: grows.length ? `more with 50 in ${grows.join(', ')}` : 'equal in every subgraph' }],
  };
};
