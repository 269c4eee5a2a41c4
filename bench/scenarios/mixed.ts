import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { remoteTokenKeys } from '../../lib/auth.ts';
import { startPostgresEventBus } from '../../lib/events/bus.ts';
import { createMemoryRateLimitStore, createRateLimiter } from '../../lib/rate-limit.ts';
import { schemaFile } from '../../lib/schema.ts';
import { closeServer, listen } from '../../lib/service.ts';
import { memoryEntityStore } from '../../gateway/entity-cache.ts';
import { buildGateway } from '../../gateway/server.ts';
import { percentile } from '../live/producer.ts';
import { DASHBOARD_QUERY } from '../queries.ts';
import { dashboardPerson } from '../seed.ts';
import { ms, type Scenario, type ScenarioContext } from '../scenario.ts';

/** One in ten operations a write. */
const WRITE_SHARE = 0.1;
/**
 * People (each a connection) reading and writing: few enough that the gateway, sharing the bench's
 * process and core, is not saturated — its handling of an event waits behind queued requests then,
 * and the lag measured would be the queue's.
 */
const PEOPLE = 8;

interface Outcome {
  reads: number;
  readsPerSecond: number;
  writes: number;
  readLatencies: number[];
  /** Commit acknowledged → the gateway's cache moved the person's tag, per write. */
  lagsMs: number[];
  /** Reads that started after the gateway had handled a change's event and still showed the data from before it. */
  stale: number;
  hits: number;
  misses: number;
}

const versionOf = (middleName: unknown) => (typeof middleName === 'string' && middleName.startsWith('Версия ') ? Number(middleName.slice(7)) : 0);

/**
 * One run of the mixed workload against a gateway in this process (so its cache's invalidations
 * can be timed on the same clock as the commits): each of the dashboard's people on a connection of
 * their own, reading their dashboard, and one operation in ten a change of their middle name made
 * straight in profile's table — as a register's answer or an operator's fix would come, seen by the
 * gateway only through the change's event.
 */
async function mixedRun({ system, settings, dashboardTokens: allTokens }: ScenarioContext, cached: boolean): Promise<Outcome> {
  const dashboardTokens = allTokens.slice(0, PEOPLE);
  const bus = await startPostgresEventBus({ url: system.databaseUrl, max: 2 });
  // When the gateway moved each person's tag, in order: the n-th is the event of their n-th write.
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
  const agent = new Agent({ keepAlive: true, maxSockets: dashboardTokens.length });
  const body = JSON.stringify({ query: DASHBOARD_QUERY, variables: { notifications: 20, appeals: 10 } });
  const read = (token: string) =>
    new Promise<{ middleName: unknown }>((resolve, reject) => {
      const call = request(`${url}/graphql`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString()) as { data?: { me?: { profile?: { middleName?: unknown } } }; errors?: unknown };
          if (answer.errors || !answer.data?.me) return reject(new Error(`a dashboard with errors: ${JSON.stringify(answer.errors).slice(0, 300)}`));
          resolve({ middleName: answer.data.me.profile?.middleName });
        });
      });
      call.on('error', reject);
      call.end(body);
    });

  const outcome: Outcome = { reads: 0, readsPerSecond: 0, writes: 0, readLatencies: [], lagsMs: [], stale: 0, hits: 0, misses: 0 };
  const commits = new Map<string, number[]>();
  let measuring = false;
  const person = async (index: number, until: number) => {
    const { id } = dashboardPerson(index);
    const token = dashboardTokens[index]!;
    let version = versionOf((await read(token)).middleName);
    while (performance.now() < until) {
      if (Math.random() < WRITE_SHARE) {
        version++;
        await system.databases.profile.sql`update profile.personal_data set middle_name = ${`Версия ${version}`} where user_id = ${id}`;
        commits.set(id, [...(commits.get(id) ?? []), performance.now()]);
        if (measuring) outcome.writes++;
        continue;
      }
      const started = performance.now();
      // The newest of this person's writes whose event the gateway had handled when the read began.
      const seen = (handled.get(id) ?? []).filter((at) => at <= started).length;
      const shown = versionOf((await read(token)).middleName);
      if (!measuring) continue;
      outcome.reads++;
      outcome.readLatencies.push(performance.now() - started);
      const written = commits.get(id)?.length ?? 0;
      if (cached && shown < version - (written - seen)) outcome.stale++;
    }
  };
  const people = dashboardTokens.map((_, index) => index);
  await Promise.all(people.map((index) => person(index, performance.now() + settings.warmupSeconds * 1000)));
  // The warm-up's last events come in before the count starts, so the n-th handled is the n-th measured write's.
  await sleep(1_000);
  const before = gateway.entityCache?.stats();
  commits.clear();
  handled.clear();
  measuring = true;
  const started = performance.now();
  await Promise.all(people.map((index) => person(index, performance.now() + settings.seconds * 1000)));
  const seconds = (performance.now() - started) / 1000;
  // The last writes' events may still be on their way.
  await sleep(1_000);
  const after = gateway.entityCache?.stats();
  if (before && after) {
    outcome.hits = after.hits - before.hits;
    outcome.misses = after.misses - before.misses;
  }
  for (const [id, times] of commits) times.forEach((at, n) => outcome.lagsMs.push((handled.get(id)?.[n] ?? NaN) - at));
  outcome.readsPerSecond = Math.round(outcome.reads / seconds);
  await closeServer(server);
  await gateway.stop();
  await bus.close();
  agent.destroy();
  return outcome;
}

/**
 * 7. The entity cache under a mixed workload (issue 18): the dashboard's people reading their
 * cabinets while one operation in ten changes their data outside the graph. Hit ratio, reads that
 * were stale after the change's event was handled (the cache's promise: none), and the invalidation
 * lag, with the cache and without, on a gateway in the bench's process.
 */
export const mixedWorkload: Scenario = async (context) => {
  context.log('mixed workload: with the entity cache');
  const cached = await mixedRun(context, true);
  context.log('mixed workload: without the entity cache');
  const uncached = await mixedRun(context, false);
  const lags = cached.lagsMs.filter(Number.isFinite).sort((a, b) => a - b);
  const unhandled = cached.lagsMs.length - lags.length;
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const row = (name: string, outcome: Outcome, withCache: boolean) => {
    const latencies = sorted(outcome.readLatencies);
    return [
      name,
      outcome.readsPerSecond,
      ms(percentile(latencies, 0.5)),
      ms(percentile(latencies, 0.99)),
      outcome.writes,
      withCache ? `${((100 * outcome.hits) / Math.max(1, outcome.hits + outcome.misses)).toFixed(1)} %` : '—',
      withCache ? outcome.stale : '—',
      withCache ? `${ms(percentile(lags, 0.5))} / ${ms(percentile(lags, 0.99))}` : '—',
    ];
  };
  return {
    title: `7. Entity cache under a mixed workload (${Math.min(PEOPLE, context.dashboardTokens.length)} people reading their dashboards, ${WRITE_SHARE * 100} % of operations a change of their data outside the graph)`,
    columns: ['gateway (one process, in the bench)', 'reads/s', 'read p50 ms', 'read p99 ms', 'writes', 'cache hit ratio (entities)', 'stale reads after the event was handled', 'invalidation lag p50 / p99 ms'],
    rows: [row('with the entity cache', cached, true), row('without', uncached, false)],
    targets: [
      {
        target: 'Mixed workload: zero stale reads after the invalidating event is consumed',
        met: cached.stale === 0 && unhandled === 0,
        detail: `${cached.stale} stale of ${cached.reads} reads; ${unhandled} of ${cached.lagsMs.length} changes never handled`,
      },
    ],
    notes: [
      "A write is `update profile.personal_data set middle_name = …` straight in the database, so only its `profile.entities-changed` event (the table's trigger, relay, bus) can tell the gateway; the invalidation lag is from the acknowledged UPDATE to the moment the gateway moved the person's tag, on the bench's clock. A read is stale when it began after the gateway had handled the event of a change and still showed the middle name from before that change.",
      `Both gateways run in the bench's process with its ${PEOPLE} clients: compare the two rows with each other, not with scenario 1.`,
    ],
  };
};
