import { describePlan, recordHiveRequests, recordPlans, requestsOf, startFloor } from '../floor.ts';
import { load, type LoadResult } from '../load.ts';
import { dashboard } from '../queries.ts';
import { dashboardPerson, dashboardProblems, type DashboardAnswer } from '../seed.ts';
import { bearer, checkAnswer, loadCells, loadOptions, ms, ratio, type Scenario } from '../scenario.ts';

/**
 * 1. Cabinet dashboard: throughput and latency at concurrency 1 and BENCH_CONNECTIONS for our
 * gateway, Hive Gateway (same supergraph, same subgraphs) and the floor (bench/floor.ts).
 */
export const cabinetDashboard: Scenario = async ({ system, settings, tokens, dashboardTokens, log }) => {
  const operation = dashboard(20, 10);
  const token = tokens.dashboard;
  const ours = await checkAnswer(system.gatewayUrl, operation, token);
  const notes: string[] = [];
  // Ours twice: with the entity cache (its default, docs/performance.md) and without, started alike.
  const cacheOff = await system.startGateway('gateway-cache-off', system.subgraphUrls, { env: { ENTITY_CACHE: 'off' } });
  const [cachedName, uncachedName] = [`our gateway (${settings.workers} workers, entity cache)`, `our gateway (${settings.workers} workers, no entity cache)`];
  const servers: [string, string][] = [
    [cachedName, system.gatewayUrl],
    [uncachedName, cacheOff.url],
  ];
  if ('url' in system.hive) {
    const theirs = await checkAnswer(system.hive.url, operation, token);
    if (JSON.stringify(theirs) !== JSON.stringify(ours)) notes.push('Hive Gateway answered other data than our gateway: compare before trusting the figures.');
    servers.push([`Hive Gateway (${system.hive.workers} workers)`, system.hive.url]);
  } else {
    notes.push(`Hive Gateway not measured: ${system.hive.skipped}.`);
  }
  const plans = await recordPlans(system, operation, dashboardTokens.map(bearer));
  const plan = plans[bearer(token)]!;
  notes.push(
    `Our gateway's plan: ${requestsOf(plan).length} subgraph fetches, ${describePlan(plan)} (→ one after another, ‖ at once); ` + 'the floor sends exactly these, recorded for each person.',
    `Concurrency 1 is one person; concurrency ${settings.connections} is ${Math.min(settings.connections, dashboardTokens.length)} people, each connection one of them.`,
  );
  if ('url' in system.hive) {
    const hiveRequests = await recordHiveRequests(system, operation, bearer(token));
    const bySubgraph = [...new Set(hiveRequests)].map((subgraph) => `${subgraph} ${hiveRequests.filter((each) => each === subgraph).length}`);
    notes.push(`Hive Gateway sent ${hiveRequests.length} subgraph requests for the same person (${bySubgraph.join(', ')}).`);
  }
  servers.push(['floor', await startFloor(system, plans)]);

  // Under load a gateway must still answer each person with their own cabinet: one burst of every
  // person at once, each answer checked (a gateway that shared one caller's fetch with another fails).
  const wrong = new Set<string>();
  for (const [name, url] of servers.slice(0, -1)) {
    const answers = await Promise.all(dashboardTokens.map((each) => checkAnswer(url, operation, each).catch(() => null)));
    const others = answers.filter((answer, index) => (answer?.me as { id?: string } | undefined)?.id !== dashboardPerson(index).id).length;
    const incomplete = answers.flatMap((answer, index) =>
      dashboardProblems(answer?.me as DashboardAnswer, operation.variables as { notifications: number; appeals: number }).map((problem) => `${dashboardPerson(index).phone}: ${problem}`),
    );
    if (!others && incomplete.length) {
      throw new Error(`the benchmark data is not what bench/seed.ts writes (${incomplete.slice(0, 3).join('; ')}): drop the database epgu_bench (or .data/bench-postgres) and run again`);
    }
    if (!others) continue;
    wrong.add(name);
    notes.push(`**${name} answered ${others} of ${answers.length} people asking at once with errors or another person's cabinet**: its figures at concurrency ${settings.connections} do not count.`);
  }

  const results = new Map<string, LoadResult>();
  const rows: (string | number)[][] = [];
  for (const connections of [1, settings.connections]) {
    for (const [name, url] of servers) {
      log(`dashboard: ${name}, concurrency ${connections}`);
      const result = await load(url, operation, loadOptions(settings, connections, connections === 1 ? [token] : dashboardTokens));
      results.set(`${name}@${connections}`, result);
      rows.push([name, connections, ...loadCells(result)]);
    }
  }
  const [oursName, hiveName] = [cachedName, 'url' in system.hive ? servers[2]![0] : null];
  const at = (name: string | null, connections: number) => (name ? results.get(`${name}@${connections}`) : undefined);
  const high = settings.connections;
  const oursHigh = at(oursName, high)!;
  const hiveHigh = at(hiveName, high);
  const floorLow = at('floor', 1)!;
  const floorHigh = at('floor', high)!;
  // Issue 18: the overhead without the cache (what every first read pays); throughput with and without.
  const overhead = at(uncachedName, 1)!.p50 - floorLow.p50;
  const floorShare = (name: string) => at(name, high)!.requestsPerSecond / floorHigh.requestsPerSecond;
  notes.push(
    `Ratios from this run: our/Hive req/s at ${high}: ${hiveHigh ? ratio(oursHigh.requestsPerSecond, hiveHigh.requestsPerSecond) : '—'}; ` +
      `our/floor req/s at ${high}: ${ratio(oursHigh.requestsPerSecond, floorHigh.requestsPerSecond)} with the entity cache, ${ratio(at(uncachedName, high)!.requestsPerSecond, floorHigh.requestsPerSecond)} without; ` +
      `our (no entity cache)/floor p50 at 1: ${ratio(at(uncachedName, 1)!.p50, floorLow.p50)} (+${ms(overhead)} ms).`,
  );
  const throughputVerdict = (): { met: boolean | null; detail: string } => {
    if (!hiveHigh) return { met: null, detail: 'Hive Gateway not measured' };
    if (!oursHigh.requests || !hiveHigh.requests) return { met: null, detail: `no request answered within ${settings.seconds} s by ${oursHigh.requests ? 'Hive Gateway' : 'our gateway'}` };
    if (wrong.size) return { met: null, detail: `not comparable: wrong answers from ${[...wrong].join(', ')}` };
    return { met: oursHigh.requestsPerSecond >= hiveHigh.requestsPerSecond, detail: `${Math.round(oursHigh.requestsPerSecond)} vs ${Math.round(hiveHigh.requestsPerSecond)} req/s` };
  };
  await cacheOff.stop();
  return {
    title: '1. Cabinet dashboard (me with profile, documents, children, vehicles, 20 notifications with their appeals, 10 appeals with timelines)',
    columns: ['server', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'failures'],
    rows,
    targets: [
      { target: `Dashboard throughput at concurrency ${high} at least Hive Gateway's`, ...throughputVerdict() },
      { target: 'Gateway p50 overhead over the floor at concurrency 1 under 2 ms (no entity cache)', met: Number.isFinite(overhead) ? overhead < 2 : null, detail: `${ms(overhead)} ms` },
      { target: `Dashboard at concurrency ${high} with the entity cache at least 1.5× the floor`, met: floorShare(cachedName) >= 1.5, detail: `${floorShare(cachedName).toFixed(2)}×` },
      { target: `Dashboard at concurrency ${high} without the entity cache at least 0.9× the floor`, met: floorShare(uncachedName) >= 0.9, detail: `${floorShare(uncachedName).toFixed(2)}×` },
    ],
    notes,
  };
};
