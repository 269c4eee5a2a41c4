import { eventBusConfig, SUBGRAPH_NAMES, serviceConfig, subgraphUrl, type EnvReader, type SubgraphName } from '../lib/config.ts';
import { rateLimitRulesFromEnv, DEFAULT_RATE_LIMIT_RULES } from '../lib/rate-limit.ts';
import { schemaFile } from '../lib/schema.ts';
import { trustedProxies } from './client-address.ts';
import { subgraphWsUrls } from './subscriptions/index.ts';
import { workerCount } from './workers.ts';
import { DEFAULT_MANIFEST_PATH, readTrustedDocuments } from './trusted-documents.ts';

/** Apollo Studio's Explorer/Sandbox call the gateway from the browser, so it is allowed in development. */
const DEVELOPMENT_ORIGINS = ['https://studio.apollographql.com', 'http://localhost:3000', 'http://localhost:5173'];

/**
 * The gateway's whole configuration, read once at start (gateway/index.ts `configOrExit`): a bad
 * variable stops it with one line before it connects to anything.
 */
export function gatewayConfig(env: EnvReader) {
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(env, name)])) as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) env.url(`${name.toUpperCase()}_WS_URL`, ['ws:', 'wss:']);
  const corsOrigins = env.list('CORS_ORIGINS') ?? (env.production ? [] : DEVELOPMENT_ORIGINS);
  for (const origin of corsOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) env.refuse('CORS_ORIGINS', `"${origin}" is not an origin`, 'a comma-separated list of origins, https://portal.example.ru');
  }
  return {
    ...serviceConfig(env, 'gateway'),
    subgraphUrls,
    subgraphWsUrls: subgraphWsUrls(subgraphUrls, env.env),
    corsOrigins,
    trustedProxies: env.parsed('TRUST_PROXY', () => trustedProxies(env.raw('TRUST_PROXY')), trustedProxies(undefined)),
    subgraphTimeoutMs: env.duration('SUBGRAPH_TIMEOUT_MS', 10_000, { min: 100, max: 300_000 }),
    mergeFetches: env.flag('GATEWAY_MERGE_FETCHES', true),
    workers: env.parsed('GATEWAY_WORKERS', () => workerCount(env.env), 1),
    dedupeOperations: env.flag('GATEWAY_DEDUPE_OPERATIONS', true),
    supergraphPath: env.file('SUPERGRAPH_PATH') ?? schemaFile('supergraph'),
    ...documentsConfig(env),
    entityCache: entityCacheConfig(env),
    rateLimit: {
      redisUrl: env.url('REDIS_URL', ['redis:', 'rediss:']),
      /** RATE_LIMIT_DATABASE_URL, or else DATABASE_URL; neither: counted in memory, per instance (a warning). */
      databaseUrl: env.url('RATE_LIMIT_DATABASE_URL', ['postgres:', 'postgresql:']) ?? env.url('DATABASE_URL', ['postgres:', 'postgresql:']),
      rules: env.parsed('RATE_LIMIT_PER_USER', () => rateLimitRulesFromEnv(env.env), DEFAULT_RATE_LIMIT_RULES),
    },
  };
}
export type GatewayConfig = ReturnType<typeof gatewayConfig>;

/**
 * Which documents run (docs/security.md, "Trusted documents"): `TRUSTED_DOCUMENTS` (true in
 * production, false otherwise) runs only the manifest at `TRUSTED_DOCUMENTS_PATH` (the cabinet's
 * build output by default), read and checked here, so a missing or broken one stops the start.
 * `AUTOMATIC_PERSISTED_QUERIES` (on unless trusted documents) is for a gateway of other clients.
 */
function documentsConfig(env: EnvReader) {
  const trusted = env.flag('TRUSTED_DOCUMENTS', env.production);
  const automaticPersistedQueries = env.flag('AUTOMATIC_PERSISTED_QUERIES', !trusted);
  if (trusted && automaticPersistedQueries) env.refuse('AUTOMATIC_PERSISTED_QUERIES', 'true with TRUSTED_DOCUMENTS=true (it would register any document)', 'false while TRUSTED_DOCUMENTS is true');
  const path = env.raw('TRUSTED_DOCUMENTS_PATH') ?? DEFAULT_MANIFEST_PATH;
  const trustedDocuments = trusted ? env.parsed('TRUSTED_DOCUMENTS_PATH', () => readTrustedDocuments(path), undefined) : undefined;
  return { trustedDocuments, automaticPersistedQueries };
}

/**
 * The entity cache (docs/performance.md): `ENTITY_CACHE` is `memory` (each gateway process its own),
 * `redis` (shared, at REDIS_URL) or `off`. Its invalidations come on the event bus, read as the
 * subgraphs read it (`EVENT_BUS`, `EVENT_BUS_URL`, by default the database of
 * RATE_LIMIT_DATABASE_URL or DATABASE_URL); with no bus to read, there is no cache: an entry nothing
 * could invalidate is one that may be stale. Unset: `memory` where a bus is configured.
 */
function entityCacheConfig(env: EnvReader) {
  const { url: busUrl } = eventBusConfig(env, env.url('RATE_LIMIT_DATABASE_URL', ['postgres:', 'postgresql:']) ?? env.url('DATABASE_URL', ['postgres:', 'postgresql:']));
  const hasBus = busUrl !== undefined;
  const mode = env.oneOf('ENTITY_CACHE', ['memory', 'redis', 'off'], hasBus ? 'memory' : 'off');
  if (mode !== 'off' && !hasBus) env.refuse('ENTITY_CACHE', `${mode} without an event bus to invalidate it`, 'off, or set EVENT_BUS_URL (or DATABASE_URL), or EVENT_BUS=nats');
  if (mode === 'redis' && !env.raw('REDIS_URL')) env.refuse('ENTITY_CACHE', 'redis without REDIS_URL', 'memory, or set REDIS_URL');
  return { mode, busUrl: busUrl ?? '', maxEntries: env.integer('ENTITY_CACHE_MAX_ENTRIES', 100_000, { min: 1, max: 10_000_000 }) };
}
