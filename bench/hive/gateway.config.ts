import { defineConfig, type GatewayPlugin } from '@graphql-hive/gateway';
import type { SubgraphName } from '../../lib/config.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../../lib/gateway-credential.ts';

/**
 * Hive Gateway as the benchmark runs it (bench/system.ts): the committed supergraph, each subgraph at
 * the URL the benchmark started it on (BENCH_SUBGRAPH_URLS), and every subgraph request signed the
 * way our gateway signs it (lib/gateway-credential.ts) with the caller's Authorization header passed
 * on — the subgraphs accept nothing else. Everything else is Hive's default.
 */
const secret = process.env.GATEWAY_SECRET!;
const actualUrls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<SubgraphName, string>;
/** The supergraph names the development ports (`http://localhost:4001/graphql`); the benchmark's are free ones. */
const SUPERGRAPH_PORTS: Record<string, SubgraphName> = { 4001: 'identity', 4002: 'profile', 4003: 'notifications', 4004: 'appeals' };

function signingAsOurGateway(): GatewayPlugin {
  return {
    // The caller's Authorization also goes in as a header of the subgraph request itself, where
    // Hive's de-duplication of identical in-flight fetches sees it (executor-http keys them by
    // URL, body and such headers): one caller's fetch is never shared with another. Without this,
    // `{ me { id } }` of two people at once is one fetch, answered to both.
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      const authorization = executionRequest.context ? callerAuthorization(executionRequest.context) : null;
      if (!authorization) return;
      const extensions = executionRequest.extensions ?? {};
      setExecutionRequest({ ...executionRequest, extensions: { ...extensions, headers: { ...extensions.headers, authorization } } });
    },
    async onFetch({ url, setURL, options, setOptions, context }) {
      const subgraph = SUPERGRAPH_PORTS[new URL(url).port];
      if (!subgraph) return;
      setURL(actualUrls[subgraph]);
      const { query, variables } = JSON.parse(String(options.body)) as { query: string; variables?: unknown };
      const authorization = callerAuthorization(context);
      const credential = await signGatewayCredential(secret, { subgraph, authorization, query, variables });
      setOptions({ ...options, headers: { ...options.headers, ...(authorization ? { authorization } : {}), [GATEWAY_CREDENTIAL_HEADER]: credential } });
    },
  };
}

/**
 * The caller's Authorization: the HTTP request's header, or over graphql-ws the `authorization` of
 * `connection_init` (Hive puts connectionParams among the context's headers).
 */
function callerAuthorization(context: object): string | null {
  const { request, headers } = context as { request?: Request; headers?: Record<string, string | undefined> };
  return request?.headers.get('authorization') ?? headers?.authorization ?? headers?.Authorization ?? null;
}

/**
 * Subscriptions go to the owning subgraph over graphql-ws, whose upgrade must carry the caller's
 * token and our gateway's credential for it as headers (for the socket use, as gateway/server.ts signs it).
 * The credential is kept per caller for half its life: the WebSocket transport keys its upstream
 * connections by their headers and connectionParams, so one caller's subscriptions share one connection.
 */
const credentials = new Map<string, { credential: string; until: number }>();
async function upstreamCredential(subgraph: SubgraphName, authorization: string): Promise<string> {
  const key = `${subgraph} ${authorization}`;
  const kept = credentials.get(key);
  if (kept && kept.until > Date.now()) return kept.credential;
  const credential = await signGatewayCredential(secret, { subgraph, authorization, use: 'socket' });
  credentials.set(key, { credential, until: Date.now() + 30_000 });
  return credential;
}

const SUBSCRIBING: SubgraphName[] = ['notifications', 'appeals'];

function upstreamCredentials(): GatewayPlugin {
  return {
    async onContextBuilding({ context, extendContext }) {
      // Only operations over graphql-ws may subscribe upstream: HTTP requests pay nothing for this.
      const authorization = 'connectionParams' in context ? callerAuthorization(context) : null;
      if (!authorization) return;
      extendContext(Object.fromEntries(await Promise.all(SUBSCRIBING.map(async (subgraph) => [`${subgraph}Credential`, await upstreamCredential(subgraph, authorization)]))));
    },
  };
}

export const gatewayConfig = defineConfig({
  plugins: () => [signingAsOurGateway(), upstreamCredentials()],
  transportEntries: Object.fromEntries(
    SUBSCRIBING.map((subgraph) => [
      subgraph,
      {
        options: {
          subscriptions: {
            kind: 'ws',
            location: actualUrls[subgraph],
            headers: [
              ['authorization', '{context.headers.authorization}'],
              [GATEWAY_CREDENTIAL_HEADER, `{context.${subgraph}Credential}`],
            ],
            options: { connectionParams: { authorization: '{context.headers.authorization}' } },
          },
        },
      },
    ]),
  ),
  // Answers as the subgraphs give them; no GraphiQL, no landing page, no usage reporting.
  graphiql: false,
  landingPage: false,
  // BENCH_HIVE_RESPONSE_CACHE=1 (bench/scenarios/mixed.ts): Hive's response cache, per caller, for
  // our entity cache's maxAge; it invalidates on mutations through this gateway, and by TTL.
  ...(process.env.BENCH_HIVE_RESPONSE_CACHE === '1' ? { responseCaching: { session: (request: Request) => request.headers.get('authorization'), ttl: 300_000 } } : {}),
});
