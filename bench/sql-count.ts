/**
 * Which SQL statements count as a subgraph's work for an operation: everything its driver sent but
 * the driver's own catalogue look-ups and the event pipeline's polling of the outbox and inbox,
 * which run on a timer whatever the requests.
 */
const NOT_THE_OPERATION = /pg_catalog|"outbox"|"inbox"|event_bus/;

export const countsBySubgraph = (statements: Iterable<[string, string[]]>): Record<string, number> =>
  Object.fromEntries([...statements].map(([name, list]) => [name, list.filter((statement) => !NOT_THE_OPERATION.test(statement)).length]));
