import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { remoteTokenKeys } from '../lib/auth.ts';
import { isProduction, jwksUrl, portFromEnv, SUBGRAPH_NAMES, subgraphUrl } from '../lib/config.ts';
import { createRateLimiter, rateLimitRulesFromEnv, rateLimitStoreFromEnv } from '../lib/rate-limit.ts';
import { schemaFile } from '../lib/schema.ts';
import { closeServer, listen, stopOnSignal } from '../lib/service.ts';
import { logger } from '../lib/log.ts';
import { trustedProxies, type TrustedProxies } from './client-address.ts';
import { buildGateway } from './server.ts';
import { superviseWorkers, workerCount } from './workers.ts';

/** Apollo Studio's Explorer/Sandbox call the gateway from the browser, so it is allowed in development. */
const DEVELOPMENT_ORIGINS = ['https://studio.apollographql.com', 'http://localhost:3000', 'http://localhost:5173'];

const corsOrigins = process.env.CORS_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean)
  ?? (isProduction() ? [] : DEVELOPMENT_ORIGINS);

const log = logger('gateway');

/** Whose X-Forwarded-For to believe; a wrong TRUST_PROXY stops the start with one line, before anything connects. */
let trusted: TrustedProxies;
try {
  trusted = trustedProxies(process.env.TRUST_PROXY);
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}

/** One gateway process: the whole gateway on the port (alone, or as one of the workers). */
async function serveGateway(): Promise<void> {
  // Shared by every gateway instance and worker: Redis when REDIS_URL is set, else PostgreSQL (docs/security.md).
  const rateLimitStore = await rateLimitStoreFromEnv();
  const service = await buildGateway({
    rateLimiter: createRateLimiter({ store: rateLimitStore, rules: rateLimitRulesFromEnv() }),
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? schemaFile('supergraph'), 'utf8'),
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name)])) as Record<(typeof SUBGRAPH_NAMES)[number], string>,
    tokenKeys: remoteTokenKeys(jwksUrl()),
    corsOrigins,
    trustedProxies: trusted,
  });
  // The service, not only its app: `listen` attaches the graphql-ws subscriptions to the server (issue 7).
  const { server, url } = await listen(service, portFromEnv('gateway'), 'gateway');
  log.info({ url: `${url}/graphql`, subscriptions: `${url.replace(/^http/, 'ws')}/graphql, SSE, multipart`, worker: cluster.isWorker }, 'ready');
  stopOnSignal('gateway', [() => closeServer(server), service.stop, () => rateLimitStore.close()]);
}

// A worker per core (gateway/workers.ts, GATEWAY_WORKERS): the primary only supervises them.
const workers = workerCount();
if (cluster.isPrimary && workers > 1) {
  log.info({ workers }, 'starting workers');
  // The workers accept from the shared socket themselves (the kernel spreads the connections).
  // Under node:cluster's round robin the primary accepts and passes each connection on, and one in
  // transit to a worker that dies is neither closed nor passed to another: its client hung until
  // its own timeout (test/faults/gateway-worker-kill.test.ts). Now a connection is in the backlog,
  // where any worker takes it, or in a worker, which closes it by dying.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const supervisor = superviseWorkers({ count: workers, fork: () => cluster.fork(), exit: (code) => process.exit(code) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log.info({ signal, workers: supervisor.workers() }, 'stopping workers');
      void supervisor.stop();
    });
  }
} else {
  await serveGateway();
}
