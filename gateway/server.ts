import express from 'express';
import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { JWTVerifyGetKey } from 'jose';
import { createTokenVerifier, type TokenVerifier, type Viewer } from '../lib/auth.ts';
import { identitySessionStatus, LiveSessions, SESSION_CHECK_TTL_MS, SESSION_STATUSES_PATH } from '../lib/sessions.ts';
import { authorizingGateway, forApolloGateway, supergraphRequirements, withoutRefusedFields, withRefusalsApplied } from './authorization.ts';
import { operationLimits, SUBGRAPH_CEILINGS, supergraphListSizes, supergraphWeights, type OperationLimits } from '../lib/operation-limits.ts';
import { startEntityCache, type EntityCacheOptions, type EntityCacheStats } from './entity-cache.ts';
import { collapsingFetches } from './fetch-dedup.ts';
import { mergingFetches, type MergeStats } from './fetch-merge.ts';
import { copyAnswer, sharingInFlight, type InFlightStats } from './in-flight.ts';
import { sharingGateway, sharingOperations } from './operation-dedup.ts';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { subgraphFetcher, type Fetcher } from './subgraph-fetch.ts';
import { CLIENT_ADDRESS_HEADER, GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../lib/gateway-credential.ts';
import { rateLimitPlugin, type RateLimiter } from '../lib/rate-limit.ts';
import { gatewaySecret, SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { asRequestError, graphQLError } from '../lib/errors.ts';
import { addHealthRoutes, apolloOptions, type Service } from '../lib/service.ts';
import { graphqlBodyErrors, oneOperationBodies, onlyJsonBodies } from '../lib/http-errors.ts';
import { logger } from '../lib/log.ts';
import { clientAddressOf, trustedProxies, type TrustedProxies } from './client-address.ts';
import { trustedDocumentsGate, type TrustedDocuments } from './trusted-documents.ts';
// Federated subscriptions (issue 7): gateway/subscriptions/, docs/subscriptions.md.
import { createGatewaySubscriptions, subgraphWsUrls, type GatewaySubscriptions, type GatewaySubscriptionsOptions, type SubscriptionLimits } from './subscriptions/index.ts';

export interface GatewayContext {
  viewer: Viewer | null;
  /** The caller's `Authorization` header, passed on to the subgraphs, which verify it again. */
  authorization: string | undefined;
  /** The caller's address and browser, for identity's throttling and event log. */
  clientAddress: string | undefined;
  userAgent: string | undefined;
}

export interface GatewayOptions {
  supergraphSdl: string;
  /**
   * Hands the gateway a way to load another supergraph while it runs (a hot reload; tests of a
   * schema change); without it, `supergraphSdl` holds for the gateway's life. Queries plan over the
   * new one at once; open subscriptions end with SCHEMA_CHANGED and their clients subscribe again
   * (docs/subscriptions.md). Authorization requirements and limits stay those read from `supergraphSdl`.
   */
  supergraphUpdates?: (update: (supergraphSdl: string) => void) => void;
  /** Where each subgraph answers; overrides the development URLs written in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Keys that verify access tokens (identity's JWKS). */
  tokenKeys: JWTVerifyGetKey;
  /** Browser origins allowed to call the gateway (Apollo Studio, the portal's front end). */
  corsOrigins: string[];
  /** Where each subgraph serves subscriptions; by default its HTTP URL with `ws://` (the configuration reads `<NAME>_WS_URL`). */
  subgraphWsUrls?: Partial<Record<SubgraphName, string>>;
  /** Limits of the subscription path (gateway/subscriptions/index.ts has the defaults). */
  subscriptionLimits?: Partial<SubscriptionLimits>;
  /** Requests per person and per address, counted in a store every instance shares (lib/rate-limit.ts). */
  rateLimiter: RateLimiter;
  /** How long one subgraph request may take before its fields give `SUBGRAPH_UNAVAILABLE`; the configuration's `SUBGRAPH_TIMEOUT_MS`, by default 10 s. */
  subgraphTimeoutMs?: number;
  /** How long identity's answer that a session is live holds; `SESSION_CHECK_TTL_MS`, by default 5 s (lib/sessions.ts). */
  sessionCheckTtlMs?: number;
  /** Whose `X-Forwarded-For` is believed (gateway/client-address.ts); the configuration's `TRUST_PROXY`, by default none. */
  trustedProxies?: TrustedProxies;
  /** What the gateway signs its requests to the subgraphs with; by default `GATEWAY_SECRET` (lib/config.ts `gatewaySecret`). */
  gatewaySecret?: string;
  /**
   * Only these documents run, on every transport (gateway/trusted-documents.ts); unset: any document,
   * as in development. The configuration's TRUSTED_DOCUMENTS (production's default) and TRUSTED_DOCUMENTS_PATH.
   */
  trustedDocuments?: TrustedDocuments;
  /**
   * Apollo Server's automatic persisted queries (a hash registered by the client with its text);
   * by default on, unless `trustedDocuments`, with which they cannot go (they would register any text).
   */
  automaticPersistedQueries?: boolean;
  /**
   * A query identical to one in flight (same caller, text, operation, variables) waits for that
   * one's result instead of executing again (gateway/operation-dedup.ts); on by default, the
   * configuration's `GATEWAY_DEDUPE_OPERATIONS`.
   */
  dedupeOperations?: boolean;
  /**
   * Fetches of one operation that go to the same subgraph at the same moment go as one request
   * (gateway/fetch-merge.ts, docs/gateway.md "Merged fetches"); by default on. The configuration's
   * `GATEWAY_MERGE_FETCHES`.
   */
  mergeFetches?: boolean;
  /**
   * The entity cache (gateway/entity-cache.ts, docs/performance.md): where entries are kept and the
   * bus the subgraphs' `entities-changed` events come on. Unset: no cache (nothing could invalidate it).
   */
  entityCache?: Pick<EntityCacheOptions, 'store' | 'bus' | 'onInvalidated'>;
}

/**
 * The gateway: an HTTP service, plus its subscription path, its shared subgraph fetches and
 * operations, its entity cache and its authorization work (for tests and metrics).
 */
export type GatewayService = Service & {
  subscriptions: GatewaySubscriptions;
  fetches: { stats(): InFlightStats & MergeStats };
  operations: { stats(): InFlightStats };
  authorization: { stats(): { authorized: number } };
  entityCache: { stats(): EntityCacheStats } | null;
};

const log = logger('gateway');

/** A subgraph that did not answer (down, too slow, failing): its fields are `null` with this error, the rest of the answer stands. */
function subgraphUnavailable(subgraph: SubgraphName): GraphQLError {
  return graphQLError('SUBGRAPH_UNAVAILABLE', `Сервис «${subgraph}» временно не отвечает. Попробуйте позже.`);
}

/** Passes the caller's token on: each subgraph checks it and its own ownership rules for itself. */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: SubgraphName,
    url: string | undefined,
    private readonly secret: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  // Apollo's errors carry the subgraph's internal URL and raw body: the caller gets a code and a sentence instead.
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => null)) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
    const first = body?.errors?.[0];
    const said = typeof first?.extensions?.code === 'string' ? first.extensions.code : null;
    // A subgraph failing is SUBGRAPH_UNAVAILABLE, unless it says why: what it depends on is out of
    // reach (503 SERVICE_UNAVAILABLE: retry), or it refused the token (sign in again).
    if (response.status >= 500 && said !== 'SERVICE_UNAVAILABLE' && said !== 'UNAUTHENTICATED') return subgraphUnavailable(this.subgraph);
    const code = said ?? (response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST');
    const message = typeof first?.message === 'string' ? first.message : `Сервис «${this.subgraph}» отклонил запрос (HTTP ${response.status}).`;
    return new GraphQLError(message, { extensions: { code } });
  }

  override didEncounterError(error: Error): void {
    // Errors made above (and GraphQL errors) pass as they are; network failures and timeouts are the subgraph not answering.
    if (error instanceof GraphQLError) throw error;
    log.error({ subgraph: this.subgraph, err: error }, 'subgraph did not answer');
    throw subgraphUnavailable(this.subgraph);
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const { request } = options;
    // Apollo types the context of a health check or schema load as any record; only an operation's has a caller.
    const { authorization, clientAddress, userAgent } = options.context as Partial<GatewayContext>;
    const headers = request.http?.headers;
    if (authorization) headers?.set('authorization', authorization);
    if (clientAddress) headers?.set(CLIENT_ADDRESS_HEADER, clientAddress);
    if (userAgent) headers?.set('user-agent', userAgent);
    // Subgraphs accept only what the gateway signed, for this caller, this operation and this address.
    const credential = signGatewayCredential(this.secret, {
      subgraph: this.subgraph,
      authorization,
      query: request.query ?? '',
      variables: request.variables,
      clientAddress,
    });
    headers?.set(GATEWAY_CREDENTIAL_HEADER, credential);
  }
}

/** Gateway readiness: every subgraph reports ready. */
async function subgraphsReady(urls: Record<SubgraphName, string>): Promise<void> {
  const failed: string[] = [];
  await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const response = await fetch(new URL('/health/ready', urls[name]), { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (!response?.ok) failed.push(name);
    }),
  );
  if (failed.length) throw new Error(`subgraphs not ready: ${failed.join(', ')}`);
}

/** A trusted service is limited by its own agreement, not as a person. */
const rateLimitedCaller = (context: GatewayContext) => (context.viewer?.service ? null : { userId: context.viewer?.userId ?? null, address: context.clientAddress ?? null });

/**
 * Subscriptions (issue 7): planned over the same supergraph (the planner is rebuilt on each schema
 * load), entity fields fetched with the same data sources, the same token verifier, validation and
 * authorization as queries. Served on /graphql by `gatewayApp`: SSE and multipart through
 * `subscriptions.http`, graphql-ws through `attach`.
 */
function gatewaySubscriptions(
  options: GatewayOptions,
  {
    gateway,
    secret,
    verify,
    sessions,
    dataSource,
    limits,
    requirements,
    clientAddress,
  }: Pick<GatewaySubscriptionsOptions, 'gateway' | 'verify' | 'sessions' | 'dataSource' | 'clientAddress'> & {
    secret: string;
    limits: OperationLimits;
    requirements: ReturnType<typeof supergraphRequirements>;
  },
): GatewaySubscriptions {
  return createGatewaySubscriptions({
    gateway,
    // The subgraphs' WebSockets, like their HTTP, accept only the gateway: its credential for this caller, on the upgrade.
    upstreamHeaders: (service, authorization) => ({
      [GATEWAY_CREDENTIAL_HEADER]: signGatewayCredential(secret, { subgraph: service as SubgraphName, authorization, use: 'socket' }),
    }),
    verify,
    sessions,
    // Each subscription counts against the same per-person and per-address limits as a query.
    admit: async (context) => {
      const caller = rateLimitedCaller(context);
      if (caller) await options.rateLimiter.check(caller);
    },
    wsUrls: { ...subgraphWsUrls(options.subgraphUrls, {}), ...options.subgraphWsUrls } as Record<string, string>,
    dataSource,
    // The operation limits of queries (token limit, depth, cost, aliases, directives), for subscriptions too.
    prepareOperation: limits.prepareOperation,
    checkRequest: limits.checkRequest,
    parseOptions: limits.parseOptions,
    guard: (schema, document, viewer) => {
      const { document: narrowed, removals } = withoutRefusedFields(schema, document, requirements, viewer);
      return { document: narrowed, rootRefused: removals.some((removal) => removal.path.length === 1), complete: (result) => withRefusalsApplied(result, removals) };
    },
    limits: options.subscriptionLimits,
    clientAddress,
    ...(options.trustedDocuments ? { trustedDocuments: options.trustedDocuments } : {}),
  });
}

/**
 * The gateway's HTTP routes: health, and /graphql, where a body that is not one JSON operation is
 * refused first, then subscriptions (SSE, multipart) are taken, and everything else goes to Apollo
 * Server with the caller's verified token as its context.
 */
function gatewayApp(
  options: GatewayOptions,
  {
    trusted,
    subscriptions,
    apollo,
    verify,
    clientAddress,
  }: {
    trusted: TrustedProxies;
    subscriptions: GatewaySubscriptions;
    apollo: ApolloServer<GatewayContext>;
    verify: TokenVerifier;
    clientAddress: (req: IncomingMessage) => string | undefined;
  },
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For and X-Forwarded-Proto count only from the proxies in TRUST_PROXY (none by default).
  app.set('trust proxy', (address: string) => trusted(address));
  addHealthRoutes(app, () => subgraphsReady(options.subgraphUrls));
  app.get('/', (_req, res) => res.redirect('/graphql'));
  app.use(
    '/graphql',
    cors({ origin: options.corsOrigins }),
    onlyJsonBodies,
    express.json({ limit: '1mb' }),
    oneOperationBodies,
    // Before every transport: an untrusted document is refused before anything parses it.
    ...(options.trustedDocuments ? [trustedDocumentsGate(options.trustedDocuments)] : []),
    subscriptions.http, // SSE and multipart subscriptions; everything else goes on to Apollo Server
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return {
            viewer: await verify(req.headers.authorization),
            authorization: req.headers.authorization,
            clientAddress: clientAddress(req),
            userAgent: req.get('user-agent'),
          };
        } catch (error) {
          // A bad token (or its session's end) fails the whole request with 401, so clients know to
          // refresh or sign in again; identity's keys out of reach with 503, so they retry instead.
          throw asRequestError(error);
        }
      },
    }),
  );
  // A body that does not parse or is too large: a GraphQL error with a code, not Express's HTML page.
  app.use('/graphql', graphqlBodyErrors('gateway'));
  return app;
}

/** Builds the gateway without listening, so tests can serve it on a free port. */
export async function buildGateway(options: GatewayOptions): Promise<GatewayService> {
  // @apollo/gateway otherwise reports usage to Apollo and probes cloud metadata addresses
  // (169.254.169.254) on construction: a portal's gateway calls nobody but its subgraphs.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const automaticPersistedQueries = options.automaticPersistedQueries ?? !options.trustedDocuments;
  if (automaticPersistedQueries && options.trustedDocuments) throw new Error('automatic persisted queries register any document: they cannot go with trusted documents');
  const secret = options.gatewaySecret ?? gatewaySecret();
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const trusted = options.trustedProxies ?? trustedProxies(undefined);
  const clientAddress = (req: IncomingMessage) => clientAddressOf(req, trusted);
  // The same verifier for queries and subscriptions: signature, expiry, and a session still live;
  // the same answers end the open streams of a session that ends (lib/sessions.ts).
  const sessions = new LiveSessions(
    identitySessionStatus({ statusUrl: new URL(SESSION_STATUSES_PATH, options.subgraphUrls.identity).href, secret, service: 'gateway' }),
    options.sessionCheckTtlMs ?? SESSION_CHECK_TTL_MS,
  );
  const verify = sessions.verifying(createTokenVerifier(options.tokenKeys));
  // Repeated representations and identical queries of one caller in flight go once (gateway/fetch-dedup.ts),
  // for queries and subscription events alike: Hive Gateway does the same, @apollo/gateway does not.
  const inFlight = sharingInFlight<GatewayGraphQLResponse>(copyAnswer);
  // A hung subgraph must not hold the caller (and a gateway socket) for ever: the fetcher's
  // per-request timeout rejects with an error that didEncounterError turns into SUBGRAPH_UNAVAILABLE.
  const fetcher = subgraphFetcher({ timeoutMs });
  // Under the collapsing: a fetch joined in flight is never sent, and one sent may be merged with
  // others of its operation, within what a subgraph accepts (its ceilings count the merged query).
  const merging = options.mergeFetches === false ? null : mergingFetches(SUBGRAPH_CEILINGS);
  // Entities the SDL lets us keep are answered from the cache until their subgraph's event says they changed.
  const entityCache = options.entityCache ? await startEntityCache({ supergraphSdl: options.supergraphSdl, ...options.entityCache }) : null;
  const buildService = ({ name, url }: { name: string; url?: string | undefined }) => {
    const source = new SubgraphDataSource(name as SubgraphName, options.subgraphUrls[name as SubgraphName] ?? url, secret, fetcher);
    const collapsing = collapsingFetches(name, merging ? merging.wrap(source) : source, inFlight);
    return entityCache ? entityCache.dataSource(name, collapsing) : collapsing;
  };
  const gateway = new ApolloGateway({
    // Authorization is enforced here, not by @apollo/gateway, which refuses its SECURITY features.
    supergraphSdl: options.supergraphUpdates
      ? async ({ update }) => {
          options.supergraphUpdates!((supergraphSdl) => update(forApolloGateway(supergraphSdl)));
          return { supergraphSdl: forApolloGateway(options.supergraphSdl) };
        }
      : forApolloGateway(options.supergraphSdl),
    buildService,
    logger: log,
  });
  // Read once from the supergraph, for queries and subscriptions alike.
  const requirements = supergraphRequirements(options.supergraphSdl);
  const authorized = authorizingGateway(gateway, requirements, (context) => (context as unknown as GatewayContext).viewer);
  // The gateway's own validation rules, for every operation whatever its transport: Apollo Server
  // applies them to queries and mutations, the subscription path to subscriptions (issue 8's limits go here).
  const apolloConfig = apolloOptions('gateway');
  // List sizes (`@listSize`) are read from the supergraph once: the API schema has none of them.
  const limits = operationLimits({ introspection: apolloConfig.introspection, listSizes: supergraphListSizes(options.supergraphSdl), weights: supergraphWeights(options.supergraphSdl) });
  // Identical queries of one caller in flight execute once, after every check of each request (gateway/operation-dedup.ts).
  const operations = sharingOperations();
  const apollo = new ApolloServer<GatewayContext>({
    gateway: (options.dedupeOperations ?? true) ? sharingGateway(authorized, operations) : authorized,
    ...apolloConfig,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // On: Apollo Server's default cache (an LRU in memory); a hash resolves to a text that then passes every limit as sent.
    ...(automaticPersistedQueries ? {} : { persistedQueries: false as const }),
    plugins: [...apolloConfig.plugins, ...limits.plugins, rateLimitPlugin<GatewayContext>(options.rateLimiter, rateLimitedCaller)],
  });

  const subscriptions = gatewaySubscriptions(options, {
    gateway,
    secret,
    verify,
    sessions,
    limits,
    requirements,
    clientAddress,
    dataSource: (name) => buildService({ name, url: options.subgraphUrls[name as SubgraphName] }),
  });

  await apollo.start();

  const app = gatewayApp(options, { trusted, subscriptions, apollo, verify, clientAddress });
  return {
    app,
    stop: async () => {
      await subscriptions.stop();
      await apollo.stop();
      await entityCache?.stop();
    },
    attach: (server) => subscriptions.attach(server), // graphql-ws subscriptions on /graphql
    subscriptions,
    fetches: { stats: () => ({ ...inFlight.stats(), ...(merging?.stats() ?? { merges: 0, mergedFetches: 0 }) }) },
    operations: { stats: operations.stats },
    authorization: { stats: authorized.stats },
    entityCache: entityCache ? { stats: entityCache.stats } : null,
  };
}
