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

/** Where the gateway reaches a subgraph: `IDENTITY_URL`, `PROFILE_URL`, … or localhost in development. */
export function subgraphUrl(name: SubgraphName): string {
  return process.env[`${name.toUpperCase()}_URL`] ?? `http://localhost:${DEFAULT_PORTS[name]}/graphql`;
}

/** The identity subgraph publishes its token-signing public keys here. */
export function jwksUrl(): string {
  return process.env.IDENTITY_JWKS_URL ?? new URL('/.well-known/jwks.json', subgraphUrl('identity')).href;
}

/**
 * The secret the gateway signs its requests to the subgraphs with (lib/gateway-credential.ts).
 * Required in production; in development `npm start` makes one per run, and without one (a subgraph
 * started alone) requests are not checked.
 */
export function gatewaySecret(): string | null {
  const secret = process.env.GATEWAY_SECRET || null;
  if (!secret && isProduction()) throw new Error('GATEWAY_SECRET is required in production: the subgraphs accept only requests the gateway signed');
  if (secret && secret.length < 32) throw new Error('GATEWAY_SECRET must be at least 32 characters');
  return secret;
}
