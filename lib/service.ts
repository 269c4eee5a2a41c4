import express from 'express';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type BaseContext, type GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLScalarType, type GraphQLFormattedError } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { configOrExit, defaultHost, eventBusConfig, gatewaySecret, isProduction, serviceConfig, shutdownGraceMs, stopDeadlineMs, type EnvReader, type ServiceConfig, type SubgraphName } from './config.ts';
import { asRequestError, maskedError } from './errors.ts';
import { gatewayPerimeter, upgradeRefusal } from './gateway-credential.ts';
import { graphqlBodyErrors } from './http-errors.ts';
import { operationLimits, SUBGRAPH_CEILINGS } from './operation-limits.ts';
import { operationResolution, refuseControlCharacters } from './request-checks.ts';
import type { JWTVerifyGetKey } from 'jose';
import { createTokenVerifier, type Viewer } from './auth.ts';
import { LiveSessions, SESSION_CHECK_TTL_MS, type SessionStatusSource } from './sessions.ts';
import { connect, migrateSubgraph, ping, type Database } from './db.ts';
import { DeadlinePassedError } from './deadline.ts';
import { connectEventBus, type EventBus } from './events/bus.ts';
import { startSubgraphEvents, type SubgraphEvents } from './events/pipeline.ts';
import type { ResolverMap } from './resolvers.ts';
import { loadSubgraphSdl } from './schema.ts';
import { enforceRequirements } from './scopes.ts';
import { serveSubscriptions, type SubscriptionServerOptions } from './subscriptions.ts';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { logger } from './log.ts';

/** A built service: an Express app ready to be listened on, and how to stop what it holds. */
export interface Service {
  app: express.Express;
  stop(): Promise<void>;
  /**
   * Serves more than HTTP requests on the server once `listen` created it (WebSocket subscriptions,
   * lib/subscriptions.ts); returns how to close that, which `closeServer` calls once the port is closed.
   */
  attach?(server: Server): () => Promise<void>;
}

/**
 * Options every Apollo Server of ours gets: the Sandbox and introspection in development only,
 * no field suggestions, and internal failures masked: a person sees a plain message, the log gets
 * the cause (an SQL text or a stack never reaches a client); a lost database connection is
 * SERVICE_UNAVAILABLE, for a client to retry (lib/errors.ts, maskedError).
 */
export function apolloOptions(service: string) {
  const internalErrors = internalErrorLog(service);
  return {
    logger: internalErrors.apolloLogger,
    introspection: !isProduction(),
    includeStacktraceInErrorResponses: false,
    plugins: [
      isProduction() ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      ApolloServerPluginDisableSuggestions(),
      operationResolution(),
      refuseControlCharacters(),
      internalErrors.plugin,
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR' || formatted.extensions.serviceName) return formatted;
      const { message, extensions, cause } = maskedError(unwrapResolverError(error));
      internalErrors.log(cause, null);
      return { ...formatted, message, extensions };
    },
  };
}

/**
 * Logs each internal failure of a request once, with the operation's name when Apollo Server knows
 * it (`didEncounterErrors`, `unexpectedErrorProcessingRequest`), otherwise when `formatError` masks
 * it (a failing context). The error goes through lib/log.ts's `errorFields`: no message of a query
 * error, no parameters.
 */
function internalErrorLog(service: string) {
  const log = logger(service);
  const logged = new WeakSet<object>();
  const internalErrors = {
    /**
     * Apollo Server's own warnings and errors, as JSON lines too, except the line that writes a
     * request's unexpected error whole (`${error}`: a query error's parameters); the plugin's
     * `unexpectedErrorProcessingRequest` logs that error here instead.
     */
    apolloLogger: {
      debug: (message: unknown) => log.debug(String(message)),
      info: (message: unknown) => log.info(String(message)),
      warn: (message: unknown) => log.warn(String(message)),
      error: (message: unknown) => {
        if (message instanceof Error) log.error({ err: message }, 'Apollo Server error');
        else if (!String(message).startsWith('Unexpected error processing request:')) log.error(String(message));
      },
    },
    log(error: unknown, operationName: string | null) {
      if (typeof error === 'object' && error !== null) {
        if (logged.has(error)) return;
        logged.add(error);
      }
      // Not a failure of ours: the work was undone because the gateway had already answered (lib/deadline.ts).
      if (error instanceof DeadlinePassedError) log.warn({ operationName }, 'rolled back: the gateway stopped waiting for this request');
      else if (maskedError(error).extensions.code === 'BAD_USER_INPUT') log.warn({ err: error, operationName }, 'a value the database could not read: the caller’s mistake');
      else log.error({ err: error, operationName }, 'internal error, masked for the client');
    },
    plugin: {
      async unexpectedErrorProcessingRequest({ requestContext, error }) {
        internalErrors.log(error, requestContext.operationName ?? null);
      },
      async requestDidStart(): Promise<GraphQLRequestListener<BaseContext>> {
        return {
          async didEncounterErrors({ errors, operationName }) {
            for (const error of errors) {
              const code = error.extensions?.code;
              if ((code === undefined || code === 'INTERNAL_SERVER_ERROR') && !error.extensions?.serviceName) internalErrors.log(unwrapResolverError(error), operationName ?? null);
            }
          },
        };
      },
    } satisfies ApolloServerPlugin<BaseContext>,
  };
  return internalErrors;
}

/**
 * `/health/live` answers while the process runs; `/health/ready` only when its dependencies answer,
 * and never once the service is stopping (`listen` answers it then, before the app).
 */
export function addHealthRoutes(app: express.Express, ready: () => Promise<void>): void {
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    try {
      await ready();
      res.json({ status: 'ok' });
    } catch (error) {
      notReady(res, (error as Error).message);
    }
  });
}

const READINESS_PATH = '/health/ready';

function notReady(res: ServerResponse, reason: string): void {
  const body = JSON.stringify({ status: 'unavailable', reason });
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

/**
 * `DateTime` is an instant; `Date` a calendar date kept as its `YYYY-MM-DD` text both ways (a birth
 * date has no time zone, and a JS Date would invent one).
 */
export const scalarResolvers = {
  DateTime: DateTimeResolver,
  Date: new GraphQLScalarType({ ...LocalDateResolver.toConfig(), name: 'Date' }),
};

export interface SubgraphOptions<TContext extends BaseContext> {
  name: SubgraphName;
  /** The subgraph's resolvers, typed by its generated `Resolvers` (schema/codegen.ts). */
  resolvers: ResolverMap;
  /** The subgraph's own database; readiness means it answers. */
  database: { sql: Database<Record<string, unknown>>['sql'] };
  /** Keys that verify the caller's access token. */
  tokenKeys: JWTVerifyGetKey;
  /** Whether the token's session is still live (lib/sessions.ts): identity's tables for identity, its `/session-statuses` for the others. */
  sessionStatus: SessionStatusSource;
  /** Builds the per-request context once the caller is known; its database is `requestDatabase(database, req)` (lib/db.ts). */
  context: (viewer: Viewer | null, req: express.Request) => TContext;
  /** Extra HTTP routes (identity publishes its JWKS this way). */
  routes?: (app: express.Express) => void;
  /**
   * Serves the schema's `Subscription` fields over graphql-ws on the same server and path, the
   * caller's token verified at connection (lib/subscriptions.ts). `context` gets the verified viewer.
   */
  subscriptions?: Pick<SubscriptionServerOptions<TContext>, 'context' | 'keepAliveMs' | 'maxSubscriptionsPerConnection' | 'maxPayloadBytes' | 'maxBufferedBytes'>;
  /**
   * The process's configuration (`subgraphConfig`): the gateway's secret and how long a session
   * answer holds. Tests build without it: `GATEWAY_SECRET` from their environment, 5 s.
   */
  configured?: Configured;
}

/** What every subgraph's builder passes on from the configuration to `createSubgraphService`. */
export type Configured = Pick<ServiceConfig, 'gatewaySecret' | 'sessionCheckTtlMs'>;

/** Every subgraph is served the same way: its SDL from schema/, its resolvers, health routes. */
export async function createSubgraphService<TContext extends BaseContext>(options: SubgraphOptions<TContext>): Promise<Service> {
  const sdl = loadSubgraphSdl(options.name);
  const schema = buildSubgraphSchema({ typeDefs: sdl, resolvers: { ...scalarResolvers, ...options.resolvers } as GraphQLResolverMap<unknown> });
  // @authenticated / @requiresScopes hold here too, not only at the gateway (lib/scopes.ts).
  enforceRequirements(schema, sdl);
  const secret = options.configured?.gatewaySecret ?? gatewaySecret();
  // No Apollo Studio usage reporting here, so no per-request inline traces to build either.
  const apolloConfig = apolloOptions(options.name);
  const ceilings = operationLimits({ ...SUBGRAPH_CEILINGS, introspection: apolloConfig.introspection });
  const apollo = new ApolloServer<TContext>({
    schema,
    ...apolloConfig,
    validationRules: ceilings.validationRules,
    parseOptions: ceilings.parseOptions,
    plugins: [...apolloConfig.plugins, ...ceilings.plugins, ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  // A token of an ended session is refused here too, not only at the gateway, and ends its open streams.
  const sessions = new LiveSessions(options.sessionStatus, options.configured?.sessionCheckTtlMs ?? SESSION_CHECK_TTL_MS);
  const verify = sessions.verifying(createTokenVerifier(options.tokenKeys));
  addHealthRoutes(app, () => ping(options.database));
  options.routes?.(app);
  app.use(
    '/graphql',
    // Only the gateway's POST of the operation it signed gets past this (lib/gateway-credential.ts).
    ...gatewayPerimeter(secret, options.name),
    expressMiddleware(apollo, {
      // A refused token is the whole request's 401, an outage of identity's keys its 503 (not Apollo's 500).
      context: async ({ req }) => options.context(await verify(req.headers.authorization).catch((error: unknown) => Promise.reject(asRequestError(error))), req),
    }),
  );
  // A body that does not parse or is too large: a GraphQL error with a code, not Express's HTML page.
  app.use('/graphql', graphqlBodyErrors(options.name));
  const { subscriptions } = options;
  const admit = upgradeRefusal(secret, options.name);
  return {
    app,
    stop: () => apollo.stop(),
    ...(subscriptions ? { attach: (server: Server) => serveSubscriptions(server, { ...subscriptions, name: options.name, schema, verify, admit, sessions }) } : {}),
  };
}

/**
 * What `listen` keeps of each server for `closeServer`: how to close what it serves besides HTTP
 * requests (`Service.attach`), the responses not sent yet, and whether it is stopping.
 */
interface Serving {
  detach: (() => Promise<void>) | null;
  inFlight: Set<ServerResponse>;
  stopping: boolean;
}
const serving = new WeakMap<Server, Serving>();

/**
 * Listens on `port` (0 picks a free one) and resolves with the server and its URL. Given a service,
 * also attaches what it serves besides HTTP requests (`Service.attach`). The address is `host` (the
 * configuration's `HOST`), by default the one of the service's role: loopback for a subgraph.
 */
export async function listen(target: express.Express | Service, port: number, role: 'subgraph' | 'gateway' = 'subgraph', host = defaultHost(role)): Promise<{ server: Server; url: string }> {
  const service = typeof target === 'function' ? null : target;
  const app = service ? service.app : (target as express.Express);
  const state: Serving = { detach: null, inFlight: new Set(), stopping: false };
  const server = createServer((req, res) => {
    state.inFlight.add(res);
    res.once('close', () => {
      state.inFlight.delete(res);
      // A stream answered before the stop (its headers said keep-alive) leaves an idle connection: closed now.
      if (state.stopping) server.closeIdleConnections();
    });
    if (state.stopping) {
      // A request that came on a connection opened before the stop: answered, and the connection ends.
      res.setHeader('connection', 'close');
      if (req.url?.split('?')[0] === READINESS_PATH) return notReady(res, 'stopping');
    }
    app(req, res);
  });
  // Longer than the gateway keeps an idle connection to a subgraph (30 s, gateway/subgraph-fetch.ts),
  // so it is always the gateway that closes one: with Node's 5 s default a subgraph closed it just as
  // the gateway reused it (ECONNRESET: the caller got SUBGRAPH_UNAVAILABLE).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  if (service?.attach) {
    const detach = service.attach(server);
    let detaching: Promise<void> | undefined;
    state.detach = () => (detaching ??= detach());
  }
  serving.set(server, state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  // On loopback a name could resolve to ::1 first, where nothing listens: the address itself.
  return { server, url: `http://${host === '127.0.0.1' ? host : 'localhost'}:${actual}` };
}

/**
 * Stops a server `listen` started, letting what it is answering finish (docs/reliability.md,
 * "Stopping"): readiness answers 503 from now on; the port is closed (a new connection is refused)
 * and idle keep-alive connections with it; each answer still to come says `Connection: close`;
 * WebSocket clients get a close with 1001 and the gateway's SSE and multipart subscribers a last
 * message, both telling them to reconnect. Requests still running after `graceMs` are cut.
 * Resolves with how many were cut.
 */
export async function closeServer(server: Server, graceMs: number = shutdownGraceMs()): Promise<number> {
  const state = serving.get(server) ?? { detach: null, inFlight: new Set(), stopping: false };
  state.stopping = true;
  // An answer already under way (a stream) cannot change its headers: its connection is closed when it ends.
  for (const res of state.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  let drained = false;
  // Node closes the idle connections with the port; the busy ones end with their answer.
  const closed = new Promise<void>((resolve) => server.close(() => resolve())).then(() => void (drained = true));
  await state.detach?.();
  await Promise.race([closed, graceOver]);
  clearTimeout(timer);
  if (drained) return 0;
  const cut = state.inFlight.size;
  server.closeAllConnections();
  await closed;
  return cut;
}

/**
 * Runs until SIGINT/SIGTERM, then stops in order: the server first (its requests finish within
 * `graceMs`, `closeServer`), then the rest (`closers`: events, Apollo Server, database pools), and
 * exits 0 with one line saying whether anything was cut. A stop still not done at
 * `stopDeadlineMs` exits 1 with a line saying so.
 */
export function stopOnSignal(name: string, server: Server, closers: (() => Promise<void>)[], graceMs: number): void {
  let stopping = false;
  const log = logger(name);
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs }, 'stopping');
    setTimeout(() => {
      log.error({ graceMs }, 'did not stop in time; exiting anyway');
      process.exit(1);
    }, stopDeadlineMs(graceMs)).unref();
    const cut = await closeServer(server, graceMs);
    for (const close of closers) await close().catch((error: unknown) => log.error({ err: error }, 'stopping failed'));
    if (cut) log.warn({ cut, graceMs }, 'stopped; requests still running at the end of the grace period were cut');
    else log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** What every subgraph reads at start, besides its own variables. */
export function subgraphConfig(env: EnvReader, name: SubgraphName) {
  const databaseUrl = env.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  if (env.raw('DATABASE_URL') === undefined) env.refuse('DATABASE_URL', 'not set', "a postgres:// URL of the subgraph's database");
  const eventBus = eventBusConfig(env, databaseUrl ?? '');
  return {
    ...serviceConfig(env, name),
    databaseUrl: databaseUrl ?? '',
    /** The PostgreSQL event bus's database (lib/events/bus.ts `connectEventBus`, which reads the rest). */
    eventBusUrl: eventBus.url ?? '',
    demoData: env.flag('DEMO_DATA'),
  };
}
export type SubgraphConfig = ReturnType<typeof subgraphConfig>;

export interface RunSubgraphOptions<TSchema extends Record<string, unknown>, TConfig> {
  name: SubgraphName;
  tables: TSchema;
  migrations: URL;
  /** The subgraph's own variables (its config.ts), read at start with the shared ones. */
  config: (env: EnvReader) => TConfig;
  /**
   * Builds the service from the configuration; `bus` is the process's event bus when the subgraph
   * has events (notifications' live streams read it).
   */
  build: (database: Database<TSchema>, context: { bus: EventBus | null; config: SubgraphConfig & TConfig }) => Promise<Service>;
  /** Demo data for development, loaded when DEMO_DATA=true; must be safe to run on every start. */
  seed?: (database: Database<TSchema>) => Promise<void>;
  /** Reference data every environment needs (the appeals rubricator), loaded on every start before the demo data. */
  reference?: (database: Database<TSchema>) => Promise<void>;
  /**
   * The subgraph's outbox and consumers (its `events.ts`): a relay and subscriptions on the event
   * bus at `EVENT_BUS_URL`, by default the `event_bus` schema of `DATABASE_URL`.
   */
  events?: SubgraphEvents<TSchema>;
}

/**
 * The whole life of a subgraph process: read the configuration (a bad variable stops it here, in
 * one line, before anything connects), migrate, connect, (seed), start its relay and consumers,
 * serve, stop on a signal (requests first, then events, then the database).
 */
export async function runSubgraph<TSchema extends Record<string, unknown>, TConfig>(options: RunSubgraphOptions<TSchema, TConfig>): Promise<void> {
  const config = configOrExit(options.name, (env) => ({ ...subgraphConfig(env, options.name), ...options.config(env) }));
  await migrateSubgraph(config.databaseUrl, options.name, options.migrations);
  const database = connect(config.databaseUrl, options.tables);
  await options.reference?.(database);
  if (config.demoData && options.seed) await options.seed(database);
  const hasEvents = Boolean(options.events?.outbox || options.events?.consumers);
  const bus = hasEvents ? await connectEventBus(config.eventBusUrl) : null;
  const service = await options.build(database, { bus, config });
  const events = bus && options.events ? await startSubgraphEvents(bus, database, options.events) : null;
  const { server, url: address } = await listen(service, config.port, 'subgraph', config.host);
  logger(options.name).info({ url: `${address}/graphql` }, 'ready');
  stopOnSignal(
    options.name,
    server,
    [
      async () => {
        await events?.stop();
        await bus?.close();
      },
      service.stop,
      database.close,
    ],
    config.shutdownGraceMs,
  );
}
