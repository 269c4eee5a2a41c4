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

/**
 * How long a stopping service lets the requests it is answering finish (lib/service.ts,
 * `stopOnSignal`): `SHUTDOWN_GRACE_MS`, 10 s by default; what still runs after it is cut. Read at
 * start, so a wrong value stops the start and not, later, the stop.
 */
export function shutdownGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.SHUTDOWN_GRACE_MS?.trim();
  if (!value) return 10_000;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms > 600_000) throw new Error(`SHUTDOWN_GRACE_MS must be a whole number of milliseconds from 0 to 600000 (got "${value}")`);
  return ms;
}

/**
 * A stopping service exits by itself at the latest this long after the signal: its grace period,
 * then up to 10 s to close its events and pools (a pool waits 5 s for its queries). The gateway's
 * primary and the launchers (dev/processes.ts) kill a service still running a second later.
 */
export const stopDeadlineMs = (graceMs: number): number => graceMs + 10_000;
