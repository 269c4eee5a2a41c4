import { recordRequests, type StartGateway } from '../floor.ts';
import { dashboard, FEED_OPERATIONS, queueOperations, type Operation } from '../queries.ts';
import { bearer, checkAnswer, type Scenario } from '../scenario.ts';

/** Two of a person's appeals side by side with the names they were sent under: profile at two paths of one plan level. */
const TWO_APPEALS = `query TwoAppeals($first: ID!, $second: ID!) {
  first: appeal(id: $first) { id number status author { name { lastName firstName } } }
  second: appeal(id: $second) { id number status topic { name } author { name { lastName } } }
}`;

/**
 * 8. Subgraph requests per operation (issue 18): what each gateway sends for one operation of one
 * caller — ours merging the fetches of one plan level to one subgraph (gateway/fetch-merge.ts,
 * the default) and not, both without the entity cache (a first read), and Hive Gateway.
 */
export const subgraphRequests: Scenario = async ({ system, tokens, log }) => {
  const mine = (await checkAnswer(system.gatewayUrl, { name: 'appeals', query: '{ me { appeals(first: 2) { edges { node { id } } } } }' }, tokens.dashboard)) as { me: { appeals: { edges: { node: { id: string } }[] } } };
  const [first, second] = mine.me.appeals.edges.map(({ node }) => node.id);
  const { queue, analytics } = queueOperations();
  const operations: [Operation, string][] = [
    [dashboard(20, 10), tokens.dashboard],
    [FEED_OPERATIONS[0]!, tokens.feed],
    [queue, tokens.official],
    [analytics, tokens.coordinator],
    [{ name: 'two appeals side by side, with their authors (TwoAppeals)', query: TWO_APPEALS, variables: { first, second } }, tokens.dashboard],
  ];
  const ours =
    (merge: boolean): StartGateway =>
    (urls) =>
      system.startGateway(`gateway-requests-${merge ? 'merging' : 'separate'}`, urls, { env: { GATEWAY_WORKERS: '1', ENTITY_CACHE: 'off', GATEWAY_MERGE_FETCHES: String(merge) } });
  const gateways: [string, StartGateway][] = [
    ['ours, merging', ours(true)],
    ['ours, not merging', ours(false)],
    ...('url' in system.hive ? [['Hive Gateway', (urls: Parameters<StartGateway>[0]) => system.startHive('hive-requests', urls, 1)] as [string, StartGateway]] : []),
  ];
  const rows: (string | number)[][] = [];
  for (const [operation, token] of operations) {
    const counts: string[] = [];
    for (const [name, start] of gateways) {
      log(`subgraph requests: ${operation.name}, ${name}`);
      const recorded = (await recordRequests(system, start, operation, [bearer(token)])).get(bearer(token)) ?? [];
      const bySubgraph = [...new Set(recorded.map((entry) => entry.subgraph))].map((subgraph) => `${subgraph} ${recorded.filter((entry) => entry.subgraph === subgraph).length}`);
      counts.push(`${recorded.length} (${bySubgraph.join(', ')})`);
    }
    rows.push([operation.name, ...counts]);
  }
  return {
    title: '8. Subgraph requests per operation (one caller, one request; ours without the entity cache, as a first read)',
    columns: ['operation', ...gateways.map(([name]) => name)],
    rows,
    notes: ['Merging joins fetches of one plan level to one subgraph (docs/gateway.md, "Merged fetches"); the entity cache, on by default, then takes the kept entities out of what is left (scenario 1).'],
  };
};
