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
