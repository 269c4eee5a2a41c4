import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import postgres from 'postgres';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../dev/embedded-postgres.ts';
import { processGroup, waitUntilReady } from '../dev/processes.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { connect } from '../lib/db.ts';
import * as appealsTables from '../subgraphs/appeals/db/schema.ts';
import * as identityTables from '../subgraphs/identity/db/schema.ts';
import * as notificationsTables from '../subgraphs/notifications/db/schema.ts';
import * as profileTables from '../subgraphs/profile/db/schema.ts';
import { countsBySubgraph } from './sql-count.ts';
import type { SubgraphDatabases } from './seed.ts';

/**
 * The system under test, each service its own process as `npm start` runs it (dev/processes.ts):
 * the four subgraphs on one PostgreSQL, our gateway, and Hive Gateway serving the same supergraph
 * against the same subgraphs. Ports are free ones, so it runs beside `npm start`.
 */
export interface BenchSystem {
  databaseUrl: string;
  /** Where the database server came from, for the report. */
  databaseOrigin: string;
  databases: SubgraphDatabases;
  secret: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Our gateway's /graphql. */
  gatewayUrl: string;
  /** Hive Gateway's /graphql, or why it is not running. */
  hive: { url: string; workers: number; /** Its primary process (the workers are its children). */ pid: number } | { skipped: string };
  /** Starts another process of our gateway with other subgraph URLs (the floor's recording); stopped with the system. */
  startGateway(name: string, subgraphUrls: Record<SubgraphName, string>, options?: GatewayProcessOptions): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }>;
  /** Starts another Hive Gateway with `forks` workers and other subgraph URLs (a recording); stopped with the system. Needs bench/node_modules. */
  startHive(name: string, subgraphUrls: Record<SubgraphName, string>, forks: number, env?: Record<string, string>): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }>;
  /** Starts a benchmark helper process (bench/floor-server.ts) on a free port, stopped with the system. */
  startHelper(name: string, entry: string, env: Record<string, string>, readyPath: string): Promise<string>;
  /**
   * The statements that took the database's time since the last call, most first (pg_stat_statements;
   * empty when the server does not load it, e.g. a DATABASE_URL server without it).
   */
  topStatements(limit?: number): Promise<StatementCost[]>;
  /** The SQL statements each subgraph's driver sent since the last call (catalogue and event polling left out). */
  takeStatementCounts(): Promise<Record<SubgraphName, number>>;
  stop(): Promise<void>;
}

/** One statement's share of the database's time: how often it ran and its total and mean execution time. */
export interface StatementCost {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

/** More of a gateway process: environment, Node flags (bench/driver/memory.mjs answers over its IPC channel). */
export interface GatewayProcessOptions {
  env?: Record<string, string>;
  node?: string[];
}

export const HIVE_BIN = new URL('./node_modules/@graphql-hive/gateway/dist/bin.js', import.meta.url);
const LOGS = new URL('../.data/bench-logs/', import.meta.url);

/** `workers`: processes of each gateway, ours (GATEWAY_WORKERS) and Hive's (--fork) alike. */
export async function startBenchSystem({ workers }: { workers: number }): Promise<BenchSystem> {
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  let databaseOrigin = 'DATABASE_URL';
  if (!serverUrl) {
    // pg_stat_statements: where the database's time goes, per statement (`topStatements`); room for the live producer's pool.
    embedded = await startEmbeddedPostgres({ dir: '.data/bench-postgres', port: await freePort(54339), database: 'postgres', settings: { shared_preload_libraries: 'pg_stat_statements', max_connections: '200' } }).catch(
      (error: Error) => {
        if (!error.message.includes('postmaster.pid')) throw error;
        throw new Error('another npm run bench holds the embedded PostgreSQL in .data/bench-postgres: wait for it, or give this one DATABASE_URL', { cause: error });
      },
    );
    serverUrl = embedded.url;
    databaseOrigin = `embedded PostgreSQL (data in ${embedded.dataDir})`;
  }
  // The benchmark's own database on that server: its 200,000 rows never mix with development data.
  // BENCH_DATABASE: another one, for runs of different branches sharing a server (their migrations differ).
  const databaseUrl = await ensureDatabase(serverUrl, process.env.BENCH_DATABASE ?? 'epgu_bench');

  const secret = randomBytes(32).toString('hex');
  let failed: Error | null = null;
  const services = processGroup({ env: { GATEWAY_SECRET: secret }, onUnexpectedExit: (name, code) => (failed = new Error(`${name} exited with code ${code} (log in .data/bench-logs/${name}.log)`)) });
  mkdirSync(LOGS, { recursive: true });
  const logTo = (name: string) => {
    const log = openSync(new URL(`${name}.log`, LOGS), 'w');
    return ['ignore', log, log] as ['ignore', number, number];
  };
  const ready = async (name: string, url: string) => {
    await waitUntilReady(name, url);
    if (failed) throw failed;
  };

  // Whatever fails on the way up stops what was started, so no process outlives the run.
  try {
    const ports = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await freePort()]))) as Record<SubgraphName, number>;
    const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`])) as Record<SubgraphName, string>;
    const urlEnv = (urls: Record<SubgraphName, string>) => Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, urls[name]]));
    const jwks = { IDENTITY_JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.identity).href };
    const subgraphs = new Map<SubgraphName, ChildProcess>();
    const profiled = new Set(process.env.BENCH_PROFILE_SUBGRAPHS?.split(',') ?? []);
    for (const name of SUBGRAPH_NAMES) {
      subgraphs.set(
        name,
        services.start(
          name,
          `subgraphs/${name}/index.ts`,
          { DATABASE_URL: databaseUrl, PORT: String(ports[name]), ...urlEnv(subgraphUrls), ...jwks },
          {
            // The driver records each statement (bench/driver), read over the IPC channel.
            // BENCH_PROFILE_SUBGRAPHS=appeals,notifications: V8 CPU profiles of those, written when they stop
            // (.data/bench-logs/profiles/<name>/: the largest file is the main thread, the other tsx's loader).
            node: ['--import', './bench/driver/register.mjs', ...(profiled.has(name) ? ['--cpu-prof', `--cpu-prof-dir=.data/bench-logs/profiles/${name}`] : [])],
            stdio: [...logTo(name), 'ipc'],
          },
        ),
      );
    }
    await Promise.all(SUBGRAPH_NAMES.map((name) => ready(name, new URL('/health/ready', subgraphUrls[name]).href)));

    const startGateway = async (name: string, urls: Record<SubgraphName, string>, options: GatewayProcessOptions = {}) => {
      const port = await freePort();
      const child = services.start(
        name,
        'gateway/index.ts',
        {
          PORT: String(port),
          ...urlEnv(urls),
          ...jwks,
          RATE_LIMIT_DATABASE_URL: databaseUrl,
          // A benchmark is one person at one address asking thousands of times a second: no request limits.
          RATE_LIMIT_PER_USER: '0',
          RATE_LIMIT_PER_ADDRESS: '0',
          GATEWAY_WORKERS: String(workers),
          ...options.env,
        },
        {
          node: options.node ?? [],
          stdio: [...logTo(name), 'ipc'],
        },
      );
      await ready(name, `http://localhost:${port}/health/ready`);
      return {
        url: `http://localhost:${port}/graphql`,
        process: child,
        stop: () => services.stopOne(child),
      };
    };
    const gateway = await startGateway('gateway', subgraphUrls);

    const startHive = async (name: string, urls: Record<SubgraphName, string>, forks: number, env: Record<string, string> = {}) => {
      const port = await freePort();
      const child = services.start(
        name,
        HIVE_BIN.pathname,
        { BENCH_SUBGRAPH_URLS: JSON.stringify(urls), ...env },
        {
          args: ['supergraph', 'schema/supergraph.graphql', '--port', String(port), '--host', '127.0.0.1', '--fork', String(forks), '--config-path', 'bench/hive/gateway.config.ts'],
          // Its workers stop only when signalled themselves: the group's stop signals its whole process group.
          stdio: logTo(name),
        },
      );
      await ready(name, `http://127.0.0.1:${port}/readiness`);
      return { url: `http://127.0.0.1:${port}/graphql`, process: child, stop: () => services.stopOne(child) };
    };
    let hive: BenchSystem['hive'] = { skipped: 'bench/node_modules has no @graphql-hive/gateway (npm run bench installs it)' };
    if (existsSync(HIVE_BIN)) {
      const started = await startHive('hive-gateway', subgraphUrls, workers);
      hive = { url: started.url, workers, pid: started.process.pid! };
    }

    const connectOwn = <T extends Record<string, unknown>>(tables: T) => connect(databaseUrl, tables, { max: 4 });
    const databases: SubgraphDatabases = {
      identity: connectOwn(identityTables),
      profile: connectOwn(profileTables),
      notifications: connectOwn(notificationsTables),
      appeals: connectOwn(appealsTables),
    };
    const statementsOf = (child: ChildProcess) =>
      new Promise<string[]>((resolve) => {
        child.once('message', (message) => resolve((message as { statements: string[] }).statements));
        child.send('bench:sql');
      });

    return {
      databaseUrl,
      databaseOrigin,
      databases,
      secret,
      subgraphUrls,
      gatewayUrl: gateway.url,
      hive,
      startGateway,
      startHive,
      async startHelper(name, entry, env, readyPath) {
        const port = await freePort();
        services.start(name, entry, { ...env, PORT: String(port) }, { stdio: logTo(name) });
        const base = `http://127.0.0.1:${port}`;
        await ready(name, `${base}${readyPath}`);
        return base;
      },
      async topStatements(limit = 15) {
        const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
        try {
          const [loaded] = await admin`select 1 from pg_available_extensions where name = 'pg_stat_statements' and current_setting('shared_preload_libraries') like '%pg_stat_statements%'`;
          if (!loaded) return [];
          await admin`create extension if not exists pg_stat_statements`;
          const rows = await admin<StatementCost[]>`
            select left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 160) as query, calls::int as calls, round(total_exec_time::numeric, 1)::float as "totalMs", round(mean_exec_time::numeric, 3)::float as "meanMs"
            from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
            order by total_exec_time desc limit ${limit}`;
          await admin`select pg_stat_statements_reset()`;
          return rows;
        } finally {
          await admin.end();
        }
      },
      async takeStatementCounts() {
        const entries = await Promise.all([...subgraphs].map(async ([name, child]) => [name, await statementsOf(child)] as [string, string[]]));
        return countsBySubgraph(entries) as Record<SubgraphName, number>;
      },
      async stop() {
        await Promise.all(Object.values(databases).map((database) => database.close()));
        await services.stop();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await services.stop();
    await embedded?.stop();
    throw error;
  }
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}
