import { defineConfig, type GatewayPlugin } from '@graphql-hive/gateway';
import type { SubgraphName } from '../../lib/config.ts';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../../lib/gateway-credential.ts';

/**
 * Hive Gateway as the benchmark runs it (bench/system.ts): the committed supergraph, each subgraph at
 * the URL the benchmark started it on (BENCH_SUBGRAPH_URLS), and every subgraph request signed the
 * way our gateway signs it (lib/gateway-credential.ts) with the caller's Authorization header passed
 * on — the subgraphs accept nothing else.
 */
const secret = process.env.GATEWAY_SECRET!;
const actualUrls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<SubgraphName, string>;
/** The supergraph names the development ports (`http://localhost:4001/graphql`); the benchmark's are free ones. */
const SUPERGRAPH_PORTS: Record<string, SubgraphName> = { 4001: 'identity', 4002: 'profile', 4003: 'notifications', 4004: 'appeals' };

function signingAsOurGateway(): GatewayPlugin {
  return {
    async onFetch({ url, setURL, options, setOptions, context }) {
      const subgraph = SUPERGRAPH_PORTS[new URL(url).port];
      if (!subgraph) return;
      setURL(actualUrls[subgraph]);
      const { query, variables } = JSON.parse(String(options.body)) as { query: string; variables?: unknown };
      const authorization = 'request' in context ? context.request.headers.get('authorization') : null;
      const credential = await signGatewayCredential(secret, { subgraph, authorization, query, variables });
      setOptions({ ...options, headers: { ...options.headers, ...(authorization ? { authorization } : {}), [GATEWAY_CREDENTIAL_HEADER]: credential } });
    },
  };
}

export const gatewayConfig = defineConfig({
  plugins: () => [signingAsOurGateway()],
  // Answers as the subgraphs give them; no GraphiQL, no landing page, no usage reporting.
  graphiql: false,
  landingPage: false,
});
