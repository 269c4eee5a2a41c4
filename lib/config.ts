/** Names, ports and URLs every service agrees on. Each can be overridden from the environment. */

export const SUBGRAPH_NAMES = ['identity', 'profile', 'notifications', 'appeals'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Default ports in development; a container sets PORT instead. */
export const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  identity: 4001,
  profile: 4002,
  notifications: 4003,
  appeals: 4004,
};

export const isProduction = (): boolean => process.env.NODE_ENV === 'production';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is required`);
  return value;
}

export function portFromEnv(service: SubgraphName | 'gateway'): number {
  return Number(process.env.PORT ?? DEFAULT_PORTS[service]);
}

/** Where the gateway reaches a subgraph: `IDENTITY_URL`, `PROFILE_URL`, … or loopback in development. */
export function subgraphUrl(name: SubgraphName): string {
  return process.env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;
}

/** The identity subgraph publishes its token-signing public keys here. */
export function jwksUrl(): string {
  return process.env.IDENTITY_JWKS_URL ?? new URL('/.well-known/jwks.json', subgraphUrl('identity')).href;
}

/**
 * The secret the gateway signs its requests to the subgraphs with (lib/gateway-credential.ts),
 * required by the gateway and every subgraph, in development too: a subgraph without it would have
 * nothing to check its callers with. `npm start` makes one per run.
 */
export function gatewaySecret(): string {
  const secret = process.env.GATEWAY_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error('GATEWAY_SECRET must be set to 32+ random characters, the same for the gateway and every subgraph (the subgraphs accept only requests the gateway signed with it)');
  }
  return secret;
}

/**
 * The address a service listens on: `HOST`, or by default loopback for a subgraph (only the gateway
 * may reach it; a container sets `HOST=0.0.0.0` on its private network) and every interface for the
 * gateway, the public entry (undefined: Node's own default, IPv6 and IPv4).
 */
export function hostFromEnv(service: 'subgraph' | 'gateway'): string | undefined {
  return process.env.HOST || (service === 'gateway' ? undefined : '127.0.0.1');
}
