import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { largestProfile, summariseProfile } from '../cpu-profile.ts';
import { cpuSeconds, residentBytes } from '../live/process-stats.ts';
import { percentile } from '../live/producer.ts';
import { dashboard } from '../queries.ts';
import { checkAnswer, ms, type Scenario } from '../scenario.ts';

/** Dashboards per gateway, one after another, after as many to warm up. */
const REQUESTS = 500;
const PROFILE_DIR = '.data/bench-logs/profiles/gateway-cost';

/**
 * 9. What a gateway process costs per dashboard (issue 18): CPU time (user + system, from /proc)
 * and resident memory of one gateway process answering dashboards one after another, ours with and
 * without the entity cache and Hive Gateway, each a fresh process on the same subgraphs. With
 * BENCH_PROFILE_GATEWAY=1 ours without the cache runs under `--cpu-prof`, and where its time went
 * is written to bench/profiles/gateway-dashboard.md (with the folded stacks for a flame graph).
 */
export const gatewayCost: Scenario = async ({ system, tokens, log }) => {
  const operation = dashboard(20, 10);
  const profiling = process.env.BENCH_PROFILE_GATEWAY === '1';
  if (profiling) rmSync(PROFILE_DIR, { recursive: true, force: true });
  const ours =
    (name: string, cache: boolean, profile = false) =>
    () =>
      system.startGateway(name, system.subgraphUrls, {
        env: { GATEWAY_WORKERS: '1', ENTITY_CACHE: cache ? 'memory' : 'off' },
        ...(profile ? { node: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] } : {}),
      });
  const gateways: [string, () => Promise<{ url: string; process: { pid?: number | undefined }; stop(): Promise<void> }>][] = [
    ['ours, no entity cache', ours('gateway-cost-uncached', false, profiling)],
    ['ours, entity cache', ours('gateway-cost-cached', true)],
    ...('url' in system.hive ? [['Hive Gateway', () => system.startHive('hive-cost', system.subgraphUrls, 1)] as (typeof gateways)[number]] : []),
  ];
  const rows: (string | number)[][] = [];
  for (const [name, start] of gateways) {
    log(`gateway cost: ${name}`);
    const gateway = await start();
    const pid = gateway.process.pid!;
    const send = () => checkAnswer(gateway.url, operation, tokens.dashboard);
    for (let n = 0; n < REQUESTS; n++) await send();
    const cpuBefore = cpuSeconds(pid);
    const times: number[] = [];
    for (let n = 0; n < REQUESTS; n++) {
      const started = performance.now();
      await send();
      times.push(performance.now() - started);
    }
    const cpu = cpuSeconds(pid);
    const rss = residentBytes(pid);
    await gateway.stop();
    times.sort((a, b) => a - b);
    rows.push([name, cpu !== null && cpuBefore !== null ? ms(((cpu - cpuBefore) * 1000) / REQUESTS) : '—', rss !== null ? (rss / 2 ** 20).toFixed(0) : '—', ms(percentile(times, 0.5)), ms(percentile(times, 0.99))]);
  }
  const notes = [
    `Each gateway a fresh single process; ${REQUESTS} dashboards to warm up, then ${REQUESTS} measured, one after another, as one person. CPU is the process's own (its workers' too for Hive Gateway's primary), at 10 ms resolution over the run.`,
  ];
  if (profiling) notes.push(writeProfileReport(largestProfile(PROFILE_DIR)));
  return {
    title: '9. Gateway cost per dashboard (one process, one person, one request at a time)',
    columns: ['gateway', 'CPU ms per request', 'RSS MiB', 'p50 ms', 'p99 ms'],
    rows,
    notes,
  };
};

/** bench/profiles/gateway-dashboard.md and .folded from the profile; the note that says where they are. */
function writeProfileReport(file: string): string {
  const summary = summariseProfile(file);
  const share = (selfMs: number) => `${((100 * selfMs) / summary.totalMs).toFixed(1)} %`;
  mkdirSync('bench/profiles', { recursive: true });
  writeFileSync('bench/profiles/gateway-dashboard.folded', `${summary.folded}\n`);
  writeFileSync(
    'bench/profiles/gateway-dashboard.md',
    [
      '# Where our gateway spends a dashboard (no entity cache)',
      '',
      `\`BENCH_PROFILE_GATEWAY=1 BENCH_SCENARIOS=cost npm run bench\`: one gateway process under \`node --cpu-prof\` answering ${2 * REQUESTS} dashboards one after another, its whole life included (start, schema load). Self time, ${(summary.totalMs / 1000).toFixed(1)} s profiled. The stacks, folded for a flame graph (\`flamegraph.pl\`, speedscope), are in gateway-dashboard.folded.`,
      '',
      '## By package or module',
      '',
      '| where | self time | share |',
      '|---|---|---|',
      ...summary.places.slice(0, 20).map(({ place, selfMs }) => `| ${place} | ${ms(selfMs)} ms | ${share(selfMs)} |`),
      '',
      '## By function',
      '',
      '| function | where | self time | share |',
      '|---|---|---|---|',
      ...summary.functions.slice(0, 30).map(({ name, place, selfMs }) => `| ${name.replaceAll('|', '\\|')} | ${place} | ${ms(selfMs)} ms | ${share(selfMs)} |`),
      '',
    ].join('\n'),
  );
  return 'CPU profile of ours without the entity cache: bench/profiles/gateway-dashboard.md (by package and function) and gateway-dashboard.folded (flame graph).';
}
