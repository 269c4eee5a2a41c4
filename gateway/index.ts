import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { remoteTokenKeys } from '../lib/auth.ts';
import { configOrExit, stopDeadlineMs } from '../lib/config.ts';
import { createRateLimiter, rateLimitStoreFromEnv } from '../lib/rate-limit.ts';
import { listen, stopOnSignal } from '../lib/service.ts';
import { logger } from '../lib/log.ts';
import { connectEventBus } from '../lib/events/bus.ts';
import { gatewayConfig } from './config.ts';
import { isSiblingInvalidation, memoryEntityStore, redisEntityStore, sharedWithSiblings } from './entity-cache.ts';
import { buildGateway } from './server.ts';
import { superviseWorkers } from './workers.ts';

const log = logger('gateway');

// Every variable read and checked once, before anything connects: a bad one stops the start with one line.
const config = configOrExit('gateway', gatewayConfig);

/** The entity cache's store and the bus its invalidations come on (gateway/config.ts); null when it is off. */
async function entityCacheParts() {
  const { mode, busUrl, maxEntries } = config.entityCache;
  if (mode === 'off') return null;
  const bus = await connectEventBus(busUrl);
  // In memory, each worker its own: their invalidations go to the siblings too (a caller's mutation is seen by every worker at once).
  const memory = () => (cluster.isWorker ? sharedWithSiblings(memoryEntityStore({ maxEntries })) : memoryEntityStore({ maxEntries }));
  const store = mode === 'redis' ? redisEntityStore(new Redis(config.rateLimit.redisUrl!)) : memory();
  return { bus, store, close: () => store.close().then(() => bus.close()) };
}

/** One gateway process: the whole gateway on the port (alone, or as one of the workers). */
async function serveGateway(): Promise<void> {
  // Shared by every gateway instance and worker: Redis when REDIS_URL is set, else PostgreSQL (docs/security.md).
  const rateLimitStore = await rateLimitStoreFromEnv({ REDIS_URL: config.rateLimit.redisUrl, RATE_LIMIT_DATABASE_URL: config.rateLimit.databaseUrl });
  const entityCache = await entityCacheParts();
  const service = await buildGateway({
    rateLimiter: createRateLimiter({ store: rateLimitStore, rules: config.rateLimit.rules }),
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    subgraphWsUrls: config.subgraphWsUrls,
    tokenKeys: remoteTokenKeys(config.jwksUrl),
    corsOrigins: config.corsOrigins,
    trustedProxies: config.trustedProxies,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    mergeFetches: config.mergeFetches,
    sessionCheckTtlMs: config.sessionCheckTtlMs,
    gatewaySecret: config.gatewaySecret,
    trustedDocuments: config.trustedDocuments,
    automaticPersistedQueries: config.automaticPersistedQueries,
    ...(entityCache ? { entityCache } : {}),
    dedupeOperations: config.dedupeOperations,
  });
  // The service, not only its app: `listen` attaches the graphql-ws subscriptions to the server (issue 7).
  const { server, url } = await listen(service, config.port, 'gateway', config.host);
  log.info({ url: `${url}/graphql`, subscriptions: `${url.replace(/^http/, 'ws')}/graphql, SSE, multipart`, entityCache: config.entityCache.mode, worker: cluster.isWorker }, 'ready');
  stopOnSignal('gateway', server, [service.stop, () => rateLimitStore.close(), ...(entityCache ? [entityCache.close] : [])], config.shutdownGraceMs);
}

// A worker per core (gateway/workers.ts, GATEWAY_WORKERS): the primary only supervises them.
if (cluster.isPrimary && config.workers > 1) {
  log.info({ workers: config.workers }, 'starting workers');
  // The workers accept from the shared socket themselves (the kernel spreads the connections).
  // Under node:cluster's round robin the primary accepts and passes each connection on, and one in
  // transit to a worker that dies is neither closed nor passed to another: its client hung until
  // its own timeout (test/faults/gateway-worker-kill.test.ts). Now a connection is in the backlog,
  // where any worker takes it, or in a worker, which closes it by dying.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // One worker's entity-cache invalidations, passed to the others (gateway/entity-cache.ts, sharedWithSiblings).
  cluster.on('message', (from, message) => {
    if (!isSiblingInvalidation(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) if (worker && worker !== from && worker.isConnected()) worker.send(message);
  });
  // Each worker drains on its own (lib/service.ts, stopOnSignal); one still running past its own deadline is killed.
  const supervisor = superviseWorkers({ count: config.workers, fork: () => cluster.fork(), exit: (code) => process.exit(code), stopTimeoutMs: stopDeadlineMs(config.shutdownGraceMs) + 1_000 });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log.info({ signal, workers: supervisor.workers() }, 'stopping workers');
      void supervisor.stop();
    });
  }
} else {
  await serveGateway();
}
