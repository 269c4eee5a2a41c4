/**
 * `npm run bench`: starts the system (bench/system.ts), loads the benchmark's data once per database
 * (bench/seed.ts), signs the benchmark people in, runs every scenario (bench/scenarios/) and prints
 * the results, writing them to bench/RESULTS.md with the machine, the versions and the settings.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOGIN_MUTATION } from './queries.ts';
import { BENCH_PASSWORD, BENCH_PEOPLE, BENCH_SIZE, dashboardPerson, seedBenchData } from './seed.ts';
import { checkAnswer, type BenchSettings, type ScenarioContext, type ScenarioResult } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { startBenchSystem, type BenchSystem } from './system.ts';

const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

function settingsFromEnv(env = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
    return value;
  };
  return {
    seconds: number('BENCH_DURATION', quick ? 2 : 15),
    warmupSeconds: number('BENCH_WARMUP', quick ? 1 : 5),
    connections: number('BENCH_CONNECTIONS', 32),
    workers: number('BENCH_WORKERS', cpus().length),
    quick,
  };
}

const packageVersion = (path: string) => {
  try {
    return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
};

async function machine(system: BenchSystem): Promise<[string, string][]> {
  const [{ version }] = (await system.databases.identity.sql`select version()`) as unknown as [{ version: string }];
  const gigabytes = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  let load = '';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    load = 'unknown';
  }
  return [
    ['CPU', `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores`],
    ['memory', `${gigabytes(totalmem())} (${gigabytes(freemem())} free at the end)`],
    ['load average at the end (1, 5, 15 min)', load],
    ['OS', execFileSync('uname', ['-srm'], { encoding: 'utf8' }).trim()],
    ['Node.js', process.version],
    ['PostgreSQL', `${version.split(' on ')[0]} — ${system.databaseOrigin}`],
  ];
}

const versions = (): [string, string][] => [
  ['epgu-graph', `${packageVersion('../package.json')} (git ${gitRevision()})`],
  ['@apollo/gateway', packageVersion('../node_modules/@apollo/gateway/package.json')],
  ['@graphql-hive/gateway', packageVersion('./node_modules/@graphql-hive/gateway/package.json')],
  ['autocannon', packageVersion('./node_modules/autocannon/package.json')],
];

function gitRevision(): string {
  try {
    const revision = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() ? ', with uncommitted changes' : '';
    return `${revision}${dirty}`;
  } catch {
    return 'unknown';
  }
}

const table = (columns: string[], rows: (string | number)[][]) => [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

function report({
  settings,
  system,
  results,
  failures,
  machineRows,
  seconds,
}: {
  settings: BenchSettings;
  system: BenchSystem;
  results: ScenarioResult[];
  failures: [string, string][];
  machineRows: [string, string][];
  seconds: number;
}): string {
  const targets = results.flatMap((result) => result.targets ?? []);
  const mark = (met: boolean | null) => (met === null ? 'not measured' : met ? '**met**' : '**missed**');
  const hive = 'url' in system.hive ? 'its CLI with default settings, plugin bench/hive/gateway.config.ts signing subgraph requests as ours does' : `not run: ${system.hive.skipped}`;
  return [
    '# Benchmark results',
    '',
    settings.quick
      ? '> **Smoke run (BENCH_QUICK=1)**: seconds-long loads on a shared machine. It shows the harness works; its figures are not for comparison.'
      : '> One run of `npm run bench`. Absolute figures drift on a shared machine; the ratios are from the same run.',
    '',
    `Run on ${new Date().toISOString()}, took ${Math.round(seconds)} s.`,
    '',
    '## Machine',
    '',
    table(['', ''], machineRows),
    '',
    '## Versions',
    '',
    table(['package', 'version'], versions()),
    '',
    '## Settings',
    '',
    table(
      ['setting', 'value'],
      [
        ['load tool', "autocannon (closed loop, keep-alive); p50/p99 from each response's own time"],
        ['measured seconds per load (BENCH_DURATION)', settings.seconds],
        ['warm-up seconds before each, not measured (BENCH_WARMUP)', settings.warmupSeconds],
        ['high concurrency (BENCH_CONNECTIONS)', settings.connections],
        [
          'data',
          `${BENCH_SIZE.dashboardPeople} dashboard people with the same cabinet; ${BENCH_SIZE.feedItems.toLocaleString('en')} feed items of one person; ${BENCH_SIZE.queueAppeals.toLocaleString('en')} appeals of one authority (bench/seed.ts)`,
        ],
        ['gateway processes (BENCH_WORKERS)', `${settings.workers} each: our GATEWAY_WORKERS, Hive's --fork`],
        ['our gateway', 'gateway/index.ts as npm start runs it, request rate limits off (RATE_LIMIT_PER_USER=0, RATE_LIMIT_PER_ADDRESS=0)'],
        ['Hive Gateway', hive],
        ['subgraphs', 'one process each, as npm start runs them; the driver records statements for scenario 6'],
      ],
    ),
    '',
    '## Targets of issue 9',
    '',
    table(
      ['target', 'result', 'measured'],
      targets.map((target) => [target.target, mark(target.met), target.detail]),
    ),
    '',
    ...results.flatMap((result) => [`## ${result.title}`, '', table(result.columns, result.rows), '', ...(result.notes ?? []).map((note) => `- ${note}`), '']),
    ...(failures.length ? ['## Scenarios that failed', '', ...failures.map(([name, message]) => `- ${name}: ${message}`), ''] : []),
  ].join('\n');
}

async function signIn(system: BenchSystem, phone: string): Promise<string> {
  const data = await checkAnswer(system.gatewayUrl, { name: `sign-in of ${phone}`, query: LOGIN_MUTATION, variables: { input: { login: phone, password: BENCH_PASSWORD } } }, null);
  const token = (data.login as { accessToken: string | null }).accessToken;
  if (!token) throw new Error(`sign-in of ${phone} failed: ${JSON.stringify(data)}`);
  return token;
}

async function signInEveryone(system: BenchSystem): Promise<Pick<ScenarioContext, 'tokens' | 'dashboardTokens'>> {
  const tokens = {} as ScenarioContext['tokens'];
  for (const [who, person] of Object.entries(BENCH_PEOPLE)) tokens[who as keyof typeof BENCH_PEOPLE] = await signIn(system, person.phone);
  const dashboardTokens = [tokens.dashboard];
  for (let index = 1; index < BENCH_SIZE.dashboardPeople; index++) dashboardTokens.push(await signIn(system, dashboardPerson(index).phone));
  return { tokens, dashboardTokens };
}

const settings = settingsFromEnv();
const chosen =
  process.env.BENCH_SCENARIOS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean) ?? Object.keys(SCENARIOS);
for (const name of chosen) if (!SCENARIOS[name]) throw new Error(`BENCH_SCENARIOS: no scenario "${name}" (there are ${Object.keys(SCENARIOS).join(', ')})`);

log(`settings: ${JSON.stringify(settings)}; scenarios: ${chosen.join(', ')}`);
const system = await startBenchSystem({ workers: settings.workers });
// Ctrl-C reaches our process group only: Hive Gateway runs in its own (to stop its workers with it).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void system.stop().finally(() => process.exit(130)));
}
let exitCode = 0;
try {
  log(`system up: our gateway ${system.gatewayUrl}, Hive Gateway ${'url' in system.hive ? system.hive.url : `skipped (${system.hive.skipped})`}`);
  log('loading the benchmark data where missing (once per database)');
  await seedBenchData(system.databases);
  const people = await signInEveryone(system);
  // The sign-ins' events (new sessions) pass through the pipeline before anything is measured.
  await sleep(1000);
  const results: ScenarioResult[] = [];
  const failures: [string, string][] = [];
  // The issue's bound on a whole run: what would start past it is reported as not run.
  const budgetMs = Number(process.env.BENCH_BUDGET_MINUTES ?? 15) * 60_000;
  for (const name of chosen) {
    if (Date.now() - started > budgetMs) {
      failures.push([name, `not run: the run had spent its ${budgetMs / 60_000} minutes (BENCH_BUDGET_MINUTES)`]);
      continue;
    }
    log(`scenario ${name}`);
    try {
      results.push(await SCENARIOS[name]!({ system, settings, ...people, log }));
    } catch (error) {
      failures.push([name, (error as Error).message]);
      log(`scenario ${name} failed: ${(error as Error).stack}`);
      exitCode = 1;
    }
  }
  const text = report({ settings, system, results, failures, machineRows: await machine(system), seconds: (Date.now() - started) / 1000 });
  writeFileSync(new URL('./RESULTS.md', import.meta.url), `${text}\n`);
  console.log(`\n${text}\nWritten to bench/RESULTS.md`);
} catch (error) {
  console.error('[bench]', error);
  exitCode = 1;
} finally {
  await system.stop();
}
process.exit(exitCode);
