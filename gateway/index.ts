import { readFileSync } from 'node:fs';
import { remoteTokenKeys } from '../lib/auth.ts';
import { isProduction, jwksUrl, portFromEnv, SUBGRAPH_NAMES, subgraphUrl } from '../lib/config.ts';
import { createRateLimiter, rateLimitRulesFromEnv, rateLimitStoreFromEnv } from '../lib/rate-limit.ts';
import { schemaFile } from '../lib/schema.ts';
import { closeServer, listen, stopOnSignal } from '../lib/service.ts';
import { buildGateway } from './server.ts';

/** Apollo Studio's Explorer/Sandbox call the gateway from the browser, so it is allowed in development. */
const DEVELOPMENT_ORIGINS = ['https://studio.apollographql.com', 'http://localhost:3000', 'http://localhost:5173'];

const corsOrigins = process.env.CORS_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean)
  ?? (isProduction() ? [] : DEVELOPMENT_ORIGINS);

// Shared by every gateway instance: Redis when REDIS_URL is set, else PostgreSQL (docs/security.md).
const rateLimitStore = await rateLimitStoreFromEnv();
const service = await buildGateway({
  rateLimiter: createRateLimiter({ store: rateLimitStore, rules: rateLimitRulesFromEnv() }),
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? schemaFile('supergraph'), 'utf8'),
  subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name)])) as Record<(typeof SUBGRAPH_NAMES)[number], string>,
  tokenKeys: remoteTokenKeys(jwksUrl()),
  corsOrigins,
});
// The service, not only its app: `listen` attaches the graphql-ws subscriptions to the server (issue 7).
const { server, url } = await listen(service, portFromEnv('gateway'));
console.log(`[gateway] ready at ${url}/graphql (subscriptions: ${url.replace(/^http/, 'ws')}/graphql, SSE, multipart)`);
stopOnSignal('gateway', [() => closeServer(server), service.stop, () => rateLimitStore.close()]);
