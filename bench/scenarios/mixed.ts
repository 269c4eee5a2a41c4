import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { remoteTokenKeys } from '../../lib/auth.ts';
import { startPostgresEventBus } from '../../lib/events/bus.ts';
import { createMemoryRateLimitStore, createRateLimiter } from '../../lib/rate-limit.ts';
import { schemaFile } from '../../lib/schema.ts';
import { closeServer, listen } from '../../lib/service.ts';
import { memoryEntityStore, type EntityCacheStats } from '../../gateway/entity-cache.ts';
import { buildGateway } from '../../gateway/server.ts';
import { percentile } from '../live/producer.ts';
import { dashboard } from '../queries.ts';
import { dashboardPerson } from '../seed.ts';
import { checkAnswer, ms, type Scenario, type ScenarioContext } from '../scenario.ts';

/** One in ten operations a write. */
const WRITE_SHARE = 0.1;
/**
 * People (each a connection) reading and writing: few enough that our gateway, sharing the bench's
 * process and core, is not saturated — its handling of an event waits behind queued requests then,
 * and the lag measured would be the queue's.
 */
const PEOPLE = 8;
/** A read that began this long after a change was committed must show it, whatever the gateway. */
const LATE_MS = 1_000;

/** A gateway under the mixed workload: its URL, and for ours the cache's stats and when it handled each person's events. */
interface Subject {
  url: string;
  stats?: () => EntityCacheStats;
  /** When the gateway moved each person's tag, in order: the n-th is the event of their n-th write. */
  handled?: Map<string, number[]>;
  stop(): Promise<void>;
}

interface Outcome {
  reads: number;
  readsPerSecond: number;
  writes: number;
  readLatencies: number[];
  /** Commit acknowledged → the gateway's cache moved the person's tag, per write (ours with the cache). */
  lagsMs: number[];
  /** Reads that began after the gateway had handled a change's event and still showed the data from before it (ours with the cache). */
  stale: number;
  /** Reads that began LATE_MS after a change was committed and still showed the data from before it. */
  late: number;
  hits: number;
  misses: number;
}

/** Ours in the bench's process (so its invalidations are timed on the bench's clock), with the entity cache or without. */
async function ours({ system }: ScenarioContext, cached: boolean): Promise<Subject> {
  const bus = await startPostgresEventBus({ url: system.databaseUrl, max: 2 });
  const handled = new Map<string, number[]>();
  const gateway = await buildGateway({
    supergraphSdl: readFileSync(schemaFile('supergraph'), 'utf8'),
    subgraphUrls: system.subgraphUrls,
    tokenKeys: remoteTokenKeys(new URL('/.well-known/jwks.json', system.subgraphUrls.identity).href),
    corsOrigins: [],
    rateLimiter: createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: null, perAddress: null } }),
    gatewaySecret: system.secret,
    ...(cached
      ? {
          entityCache: {
            store: memoryEntityStore(),
            bus,
            onInvalidated: (tags) => {
              const now = performance.now();
              for (const tag of tags) if (tag.startsWith('profile:User:')) handled.set(tag.slice(13), [...(handled.get(tag.slice(13)) ?? []), now]);
            },
          },
        }
      : {}),
  });
  const { server, url } = await listen(gateway, 0);
  return {
    url: `${url}/graphql`,
    ...(gateway.entityCache ? { stats: gateway.entityCache.stats, handled } : {}),
    async stop() {
      await closeServer(server);
      await gateway.stop();
      await bus.close();
    },
  };
}

const versionOf = (middleName: unknown) => (typeof middleName === 'string' && middleName.startsWith('Версия ') ? Number(middleName.slice(7)) : 0);

/**
 * One run of the mixed workload: each of PEOPLE people on a connection of their own reads their
 * dashboard, and one operation in ten is instead a change of their middle name made straight in
 * profile's table — as a register's answer or an operator's fix would come, seen by a gateway only
 * through the change's event (ours) or not at all (a cache that only hears mutations).
 */
async function mixedRun({ system, settings, dashboardTokens }: ScenarioContext, subject: Subject): Promise<Outcome> {
  const people = dashboardTokens.slice(0, PEOPLE).map((token, index) => ({ token, id: dashboardPerson(index).id }));
  const operation = dashboard(20, 10);
  const read = async (token: string) => versionOf(((await checkAnswer(subject.url, operation, token)) as { me: { profile: { middleName?: unknown } | null } }).me.profile?.middleName);
  const stored = async (id: string) => versionOf((await system.databases.profile.sql<{ middle_name: string | null }[]>`select middle_name from profile.personal_data where user_id = ${id}`)[0]?.middle_name);

  const outcome: Outcome = { reads: 0, readsPerSecond: 0, writes: 0, readLatencies: [], lagsMs: [], stale: 0, late: 0, hits: 0, misses: 0 };
  const commits = new Map<string, number[]>();
  const phase = async (measuring: boolean, seconds: number) => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      people.map(async ({ token, id }) => {
        // Versions of this phase's writes are base + 1, base + 2, …; the n-th committed, the n-th handled.
        const base = await stored(id);
        const committed: number[] = [];
        while (performance.now() < until) {
          if (Math.random() < WRITE_SHARE) {
            await system.databases.profile.sql`update profile.personal_data set middle_name = ${`Версия ${base + committed.length + 1}`} where user_id = ${id}`;
            committed.push(performance.now());
            continue;
          }
          const started = performance.now();
          const handled = (subject.handled?.get(id) ?? []).filter((at) => at <= started).length;
          const shown = await read(token);
          if (!measuring) continue;
          outcome.reads++;
          outcome.readLatencies.push(performance.now() - started);
          if (subject.handled && shown < base + handled) outcome.stale++;
          if (shown < base + committed.filter((at) => at <= started - LATE_MS).length) outcome.late++;
        }
        if (measuring) commits.set(id, committed);
      }),
    );
  };
  await phase(false, settings.warmupSeconds);
  // The warm-up's last events come in before the count starts, so the n-th handled is the n-th measured write's.
  await sleep(1_000);
  subject.handled?.clear();
  const before = subject.stats?.();
  const started = performance.now();
  await phase(true, settings.seconds);
  outcome.readsPerSecond = Math.round(outcome.reads / ((performance.now() - started) / 1000));
  // The last writes' events may still be on their way.
  await sleep(1_000);
  const after = subject.stats?.();
  if (before && after) {
    outcome.hits = after.hits - before.hits;
    outcome.misses = after.misses - before.misses;
  }
  for (const [id, times] of commits) {
    outcome.writes += times.length;
    if (subject.handled) times.forEach((at, n) => outcome.lagsMs.push((subject.handled!.get(id)?.[n] ?? NaN) - at));
  }
  return outcome;
}

/**
 * 7. The entity cache under a mixed workload (issue 18): people reading their cabinets while one
 * operation in ten changes their data outside the graph. Ours with the cache and without (in the
 * bench's process), and Hive Gateway with its response cache (its own process): hit ratio, stale
 * reads, invalidation lag.
 */
export const mixedWorkload: Scenario = async (context) => {
  const { system, log } = context;
  const subjects: [string, () => Promise<Subject>][] = [
    ['ours, entity cache (in the bench process)', () => ours(context, true)],
    ['ours, no entity cache (in the bench process)', () => ours(context, false)],
  ];
  if ('url' in system.hive) {
    subjects.push([
      'Hive Gateway, response cache (1 process)',
      async () => {
        const hive = await system.startHive('hive-response-cache', system.subgraphUrls, 1, { BENCH_HIVE_RESPONSE_CACHE: '1' });
        return { url: hive.url, stop: hive.stop };
      },
    ]);
  }
  const rows: (string | number)[][] = [];
  let ourOutcome: Outcome | null = null;
  for (const [name, start] of subjects) {
    log(`mixed workload: ${name}`);
    const subject = await start();
    const outcome = await mixedRun(context, subject).finally(() => subject.stop());
    ourOutcome ??= outcome;
    const latencies = [...outcome.readLatencies].sort((a, b) => a - b);
    const lags = outcome.lagsMs.filter(Number.isFinite).sort((a, b) => a - b);
    rows.push([
      name,
      outcome.readsPerSecond,
      ms(percentile(latencies, 0.5)),
      ms(percentile(latencies, 0.99)),
      outcome.writes,
      subject.stats ? `${((100 * outcome.hits) / Math.max(1, outcome.hits + outcome.misses)).toFixed(1)} %` : '—',
      subject.handled ? `${outcome.stale} of ${outcome.reads}` : '—',
      `${outcome.late} of ${outcome.reads}`,
      subject.handled ? `${ms(percentile(lags, 0.5))} / ${ms(percentile(lags, 0.99))}` : '—',
    ]);
  }
  const unhandled = ourOutcome!.lagsMs.filter((lag) => !Number.isFinite(lag)).length;
  return {
    title: `7. Entity cache under a mixed workload (${PEOPLE} people reading their dashboards, ${WRITE_SHARE * 100} % of operations a change of their data outside the graph)`,
    columns: [
      'gateway',
      'reads/s',
      'read p50 ms',
      'read p99 ms',
      'writes',
      'cache hit ratio (entities)',
      'stale reads after the event was handled',
      `reads still old ${LATE_MS / 1000} s after the change`,
      'invalidation lag p50 / p99 ms',
    ],
    rows,
    targets: [
      {
        target: 'Mixed workload: zero stale reads after the invalidating event is consumed',
        met: ourOutcome!.stale === 0 && unhandled === 0,
        detail: `${ourOutcome!.stale} stale of ${ourOutcome!.reads} reads; ${unhandled} of ${ourOutcome!.lagsMs.length} changes never handled`,
      },
    ],
    notes: [
      "A write is `update profile.personal_data set middle_name = …` straight in the database, so only its `profile.entities-changed` event (the table's trigger, relay, bus) can tell a gateway. The invalidation lag is from the acknowledged UPDATE to the moment our gateway moved the person's tag, on the bench's clock; a read is stale when it began after that moment and still showed the middle name from before the change. Reads still old a second after the change are counted the same way for every gateway, from outside.",
      `Ours runs in the bench's process with its ${PEOPLE} clients, Hive Gateway in its own: compare reads/s between our two rows only. Hive's response cache keeps whole answers per Authorization for 300 s (our maxAge) and drops them on mutations through itself; a change made elsewhere stays unseen until the TTL.`,
    ],
  };
};
