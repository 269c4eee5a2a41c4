import { accessSync, constants, statSync } from 'node:fs';
import { trustedServiceKeys } from './auth.ts';
import { LOG_LEVELS, logger } from './log.ts';
import { SESSION_CHECK_TTL_MS } from './sessions.ts';

/**
 * Names, ports and URLs every service agrees on, and the typed reader every service's configuration
 * is read with once at start (`configOrExit`): a bad variable stops it with one line, before anything
 * touches the database.
 */

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

/**
 * The secret the gateway signs its requests to the subgraphs with (lib/gateway-credential.ts),
 * required by the gateway and every subgraph, in development too: a subgraph without it would have
 * nothing to check its callers with. `npm start` makes one per run. Services read it with their
 * configuration (`EnvReader.secret`); this is the builders' default for tests that set the variable.
 */
export function gatewaySecret(): string {
  return readConfig(process.env, readGatewaySecret);
}

const readGatewaySecret = (env: EnvReader) => env.secret('GATEWAY_SECRET', { required: 'the same for the gateway and every subgraph (the subgraphs accept only requests the gateway signed with it)' });

/**
 * Where a service listens unless `HOST` says otherwise: loopback for a subgraph (only the gateway
 * may reach it; a container sets `HOST=0.0.0.0` on its private network) and every interface for the
 * gateway, the public entry (undefined: Node's own default, IPv6 and IPv4).
 */
export const defaultHost = (role: 'subgraph' | 'gateway'): string | undefined => (role === 'gateway' ? undefined : '127.0.0.1');

// ---------------------------------------------------------------------------------------------------
// Reading the configuration

/** The whole configuration refused: every bad variable, each `NAME: what is wrong; accepts …`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly problems: string[],
    readonly variables: string[],
  ) {
    super(problems.join('; '));
  }
}

type Env = Record<string, string | undefined>;

/**
 * Typed readers of environment variables. A bad value does not throw at once: the reader notes the
 * problem and answers the default, so that `readConfig` can name every bad variable in one line. A
 * problem quotes the value, except a secret's.
 */
export class EnvReader {
  readonly problems: string[] = [];
  readonly variables: string[] = [];
  readonly production: boolean;

  constructor(readonly env: Env) {
    this.production = this.oneOf('NODE_ENV', ['development', 'test', 'production'], 'development') === 'production';
  }

  /** The trimmed value, or undefined when unset or empty. */
  raw(name: string): string | undefined {
    return this.env[name]?.trim() || undefined;
  }

  /** Notes that `name` is refused; `accepts` says what would do. */
  refuse(name: string, problem: string, accepts: string): void {
    if (!this.variables.includes(name)) this.variables.push(name);
    // A variable two readers share (IDENTITY_URL) is refused once.
    const line = `${name}: ${problem}; accepts ${accepts}`;
    if (!this.problems.includes(line)) this.problems.push(line);
  }

  private quoted = (name: string) => `"${this.raw(name)}" is not accepted`;

  text(name: string, fallback: string): string;
  text(name: string): string | undefined;
  text(name: string, fallback?: string): string | undefined {
    return this.raw(name) ?? fallback;
  }

  /** A whole number within `min`…`max`. */
  integer(name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER, unit = '' }: { min?: number; max?: number; unit?: string } = {}): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
    this.refuse(name, this.quoted(name), `a whole number${unit} from ${min} to ${max}`);
    return fallback;
  }

  /** A duration in milliseconds, a whole number (1 ms to a day unless told). */
  duration(name: string, fallbackMs: number, { min = 1, max = 86_400_000 }: { min?: number; max?: number } = {}): number {
    return this.integer(name, fallbackMs, { min, max, unit: ' of milliseconds' });
  }

  port(name = 'PORT', fallback: number): number {
    return this.integer(name, fallback, { min: 0, max: 65_535 });
  }

  /** An absolute URL of one of `protocols` (`['https:']`…), as its text. */
  url(name: string, protocols: string[], fallback: string): string;
  url(name: string, protocols: string[]): string | undefined;
  url(name: string, protocols: string[], fallback?: string): string | undefined {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const accepts = `an absolute ${protocols.map((protocol) => `${protocol}//`).join(' or ')} URL`;
    if (!URL.canParse(text) || !protocols.includes(new URL(text).protocol)) {
      // A URL may carry a password (postgres://user:password@…): never quoted.
      this.refuse(name, 'not such a URL', accepts);
      return fallback;
    }
    return text;
  }

  oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): T {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if ((values as readonly string[]).includes(text)) return text as T;
    this.refuse(name, this.quoted(name), `one of ${values.join(', ')}`);
    return fallback;
  }

  /** `true` or `false`, nothing else (`1`, `yes`, `TRUE` are refused rather than guessed). */
  flag(name: string, fallback = false): boolean {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (text === 'true' || text === 'false') return text === 'true';
    this.refuse(name, this.quoted(name), 'true or false');
    return fallback;
  }

  /** A comma-separated list, each entry trimmed, empty ones dropped; undefined when unset. */
  list(name: string): string[] | undefined {
    const text = this.raw(name);
    return text === undefined
      ? undefined
      : text
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
  }

  /** 32+ characters; `required` says why when it must be set. The value is never quoted. */
  secret(name: string, { required }: { required: string | false }): string {
    const text = this.env[name] ?? '';
    if (!text && !required) return '';
    if (text.length < 32) this.refuse(name, text ? `too short (${text.length} characters)` : 'not set', `32+ random characters${required ? `, ${required}` : ''}`);
    return text;
  }

  /** The path of a readable file; undefined when unset. */
  file(name: string): string | undefined {
    const path = this.raw(name);
    if (path === undefined) return undefined;
    try {
      accessSync(path, constants.R_OK);
      if (!statSync(path).isFile()) throw new Error('not a file');
    } catch {
      this.refuse(name, `"${path}" is not a readable file`, 'the path of a readable file');
      return undefined;
    }
    return path;
  }

  /**
   * Runs a parser that throws (one that predates this reader, or reads a file), noting its message
   * as the problem of the variable it begins with, else of `name`.
   */
  parsed<T>(name: string, parse: () => T, fallback: T): T {
    try {
      return parse();
    } catch (error) {
      const message = (error as Error).message;
      const named = /^([A-Z][A-Z0-9_]+)\b/.exec(message)?.[1] ?? name;
      if (!this.variables.includes(named)) this.variables.push(named);
      this.problems.push(message.startsWith(named) ? message : `${named}: ${message}`);
      return fallback;
    }
  }
}

/** Reads a whole configuration with `read`; throws one `ConfigError` naming every bad variable. */
export function readConfig<T>(env: Env, read: (env: EnvReader) => T): T {
  const reader = new EnvReader(env);
  const config = read(reader);
  if (reader.problems.length) throw new ConfigError(reader.problems, reader.variables);
  return config;
}

/**
 * A service's start: its configuration read from `process.env`, or else ONE fatal line naming every
 * bad variable and exit 1, before anything connects or migrates.
 */
export function configOrExit<T>(service: string, read: (env: EnvReader) => T): T {
  try {
    return readConfig(process.env, read);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger(service).fatal({ variables: error.variables }, `configuration refused: ${error.message}`);
    process.exit(1);
  }
}

/** Where the gateway reaches a subgraph: `IDENTITY_URL`, `PROFILE_URL`, … or loopback in development. */
export function subgraphUrl(env: EnvReader, name: SubgraphName): string {
  return env.url(`${name.toUpperCase()}_URL`, ['http:', 'https:'], `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`);
}

/** What every service reads: where it listens, the gateway's secret, identity's keys and sessions. */
export function serviceConfig(env: EnvReader, service: SubgraphName | 'gateway') {
  const identityUrl = subgraphUrl(env, 'identity');
  // The token verifier reads this JWKS file of trusted portal services (lib/auth.ts `trustedServiceKeys`); one that does not parse stops the start here.
  const trustedServicesJwks = env.file('TRUSTED_SERVICES_JWKS');
  if (trustedServicesJwks) env.parsed('TRUSTED_SERVICES_JWKS', () => trustedServiceKeys(trustedServicesJwks), undefined);
  env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  return {
    production: env.production,
    port: env.port('PORT', DEFAULT_PORTS[service]),
    host: env.text('HOST') ?? defaultHost(service === 'gateway' ? 'gateway' : 'subgraph'),
    gatewaySecret: readGatewaySecret(env),
    identityUrl,
    /** The identity subgraph publishes its token-signing public keys here. */
    jwksUrl: env.url('IDENTITY_JWKS_URL', ['http:', 'https:'], new URL('/.well-known/jwks.json', identityUrl).href),
    sessionCheckTtlMs: env.duration('SESSION_CHECK_TTL_MS', SESSION_CHECK_TTL_MS, { max: 300_000 }),
    shutdownGraceMs: readShutdownGraceMs(env),
  };
}
export type ServiceConfig = ReturnType<typeof serviceConfig>;

/**
 * The event bus a process reads (lib/events/bus.ts `connectEventBus` reads the rest): `EVENT_BUS`
 * (postgres, the default, or nats, whose `NATS_URL` servers are checked here) and, for PostgreSQL,
 * `EVENT_BUS_URL`, else `fallbackUrl` (the process's database). `url` is '' for NATS, undefined
 * when PostgreSQL has no URL to go to.
 */
export function eventBusConfig(env: EnvReader, fallbackUrl: string | undefined): { kind: 'postgres' | 'postgresql' | 'nats'; url: string | undefined } {
  const kind = env.oneOf('EVENT_BUS', ['postgres', 'postgresql', 'nats'], 'postgres');
  for (const server of env.list('NATS_URL') ?? []) {
    if (!URL.canParse(server) || new URL(server).protocol !== 'nats:') env.refuse('NATS_URL', `"${server}" is not a nats:// URL`, 'a comma-separated list of nats://host:port URLs');
  }
  return { kind, url: kind === 'nats' ? '' : (env.url('EVENT_BUS_URL', ['postgres:', 'postgresql:']) ?? fallbackUrl) };
}

/**
 * How long a stopping service lets the requests it is answering finish (lib/service.ts,
 * `stopOnSignal`): `SHUTDOWN_GRACE_MS`, 10 s by default; what still runs after it is cut. Read at
 * start with the rest, so a wrong value stops the start and not, later, the stop.
 */
export const readShutdownGraceMs = (env: EnvReader): number => env.duration('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 600_000 });
/** The same, for a caller outside a service's configuration (the launchers, `closeServer`'s default). */
export const shutdownGraceMs = (env: Env = process.env): number => readConfig(env, readShutdownGraceMs);

/**
 * A stopping service exits by itself at the latest this long after the signal: its grace period,
 * then up to 10 s to close its events and pools (a pool waits 5 s for its queries). The gateway's
 * primary and the launchers (dev/processes.ts) kill a service still running a second later.
 */
export const stopDeadlineMs = (graceMs: number): number => graceMs + 10_000;
