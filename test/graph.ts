import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { remoteTokenKeys, type RemoteKeyOptions } from '../lib/auth.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { connect } from '../lib/db.ts';
import { DevOutbox, type ChannelAdapter, type MessageSender } from '../lib/delivery.ts';
import { startPostgresEventBus, type EventBus, type PostgresEventBus } from '../lib/events/bus.ts';
import { startSubgraphEvents } from '../lib/events/pipeline.ts';
import { closeServer, listen, type Service } from '../lib/service.ts';
import { identitySessionStatus, SESSION_STATUSES_PATH } from '../lib/sessions.ts';
import { randomBytes } from 'node:crypto';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../lib/gateway-credential.ts';
import { createMemoryRateLimitStore, createRateLimiter } from '../lib/rate-limit.ts';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { readCommittedSupergraph } from '../schema/compose.ts';
import { trustedProxies } from '../gateway/client-address.ts';
import { memoryEntityStore } from '../gateway/entity-cache.ts';
import { buildGateway, type GatewayOptions } from '../gateway/server.ts';
import * as identityTables from '../subgraphs/identity/db/schema.ts';
import * as profileTables from '../subgraphs/profile/db/schema.ts';
import * as notificationsTables from '../subgraphs/notifications/db/schema.ts';
import * as appealsTables from '../subgraphs/appeals/db/schema.ts';
import { buildIdentityService } from '../subgraphs/identity/server.ts';
import { buildProfileService } from '../subgraphs/profile/server.ts';
import { createDataCheckRunner } from '../subgraphs/profile/domain/data-check.ts';
import { devRegisters, type StateRegisters } from '../subgraphs/profile/registers.ts';
import { buildNotificationsService } from '../subgraphs/notifications/server.ts';
import { buildAppealsService } from '../subgraphs/appeals/server.ts';
import { identityEvents } from '../subgraphs/identity/events.ts';
import { profileEvents } from '../subgraphs/profile/events.ts';
import { notificationsEvents } from '../subgraphs/notifications/events.ts';
import { createDeliveryWorker } from '../subgraphs/notifications/delivery-worker.ts';
import { DevPushOutbox, type PushSender } from '../subgraphs/notifications/push.ts';
import { appealsEvents } from '../subgraphs/appeals/events.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface GraphQLResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted on whole
  body: { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  /** Which operation of the document to run, when it has several. */
  operationName?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** POSTs a GraphQL operation, as Apollo Client would. */
// Subgraphs accept only requests the gateway signed (lib/gateway-credential.ts); every graph of this
// test process shares one secret, and tests that call a subgraph directly sign as the gateway would.
process.env.GATEWAY_SECRET ??= randomBytes(32).toString('hex');
const subgraphOfUrl = new Map<string, SubgraphName>();

/** A subgraph a test built itself (on a database of its own): `graphql` and WebSocket clients sign for it as the gateway would. */
export function asSubgraph(url: string, name: SubgraphName): void {
  subgraphOfUrl.set(url, name);
}

/**
 * The headers a test connecting straight to a subgraph's WebSocket puts on the upgrade, as the
 * gateway would: the caller's Authorization and the gateway's credential for it (none for other URLs).
 */
export function gatewayUpgradeHeaders(wsUrl: string, authorization: string | undefined): Record<string, string> {
  const subgraph = subgraphOfUrl.get(wsUrl.replace(/^ws/, 'http'));
  if (!subgraph) return {};
  const credential = signGatewayCredential(process.env.GATEWAY_SECRET!, { subgraph, authorization, use: 'socket' });
  return { ...(authorization ? { authorization } : {}), [GATEWAY_CREDENTIAL_HEADER]: credential };
}

/**
 * POSTs a GraphQL operation, as Apollo Client would. Sent to a subgraph, it carries the gateway's
 * credential (a test of what a subgraph does on its own) unless `asGateway: false`.
 */
export async function graphql(url: string, query: string, { variables, operationName, token, headers, asGateway = true }: RequestOptions & { asGateway?: boolean } = {}): Promise<GraphQLResponse> {
  const authorization = token ? `Bearer ${token}` : undefined;
  const subgraph = subgraphOfUrl.get(url);
  const credential: Record<string, string> = subgraph && asGateway ? { [GATEWAY_CREDENTIAL_HEADER]: await signGatewayCredential(process.env.GATEWAY_SECRET!, { subgraph, authorization, query, variables }) } : {};
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...credential, ...headers } as Record<string, string>,
    body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

/** Each subgraph's connections for its services, and the SQL each sends (`statements`). */
function recordedDatabases(databaseUrl: string) {
  const statements = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, [] as string[]])) as Record<SubgraphName, string[]>;
  const record = (name: SubgraphName) => ({ onQuery: (statement: string) => statements[name].push(statement) });
  const databases = {
    identity: connect(databaseUrl, identityTables, record('identity')),
    profile: connect(databaseUrl, profileTables, record('profile')),
    notifications: connect(databaseUrl, notificationsTables, record('notifications')),
    appeals: connect(databaseUrl, appealsTables, record('appeals')),
  };
  return { databases, statements };
}

/** Anything the graph stops when it stops. */
type Stoppable = { stop(): Promise<void> };

/**
 * A service's HTTP server that can stop and start again on the same port, as a subgraph that goes
 * down and comes back (the gateway's requests, entity fetches and WebSocket connections to it fail
 * meanwhile). Stopped with the graph (`running`).
 */
function restartableServer(service: Service, running: Stoppable[]) {
  let current: Server | null = null;
  let port = 0;
  const sockets = new Set<Socket>();
  const control = {
    async start(): Promise<string> {
      const { server, url } = await listen(service, port);
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      port = Number(new URL(url).port);
      current = server;
      return url;
    },
    async stop(): Promise<void> {
      const server = current;
      current = null;
      if (server) await closeServer(server);
    },
    /**
     * As a process killed (SIGKILL) would go: every connection, WebSocket ones included, is cut
     * with no answer and no close frame, then the port is let go. Its work in the background
     * (bus consumers, the live feed) goes on, as another instance's would.
     */
    async kill(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await control.stop();
    },
  };
  running.push({ stop: () => control.stop().then(service.stop) });
  return control;
}

/**
 * Each subgraph's event pipeline on `bus` (its relay and consumers, as `runSubgraph` starts them),
 * on connections of its own, so that none of its SQL shows in the graph's `statements`.
 */
async function startEventPipelines(bus: PostgresEventBus, databaseUrl: string) {
  const databases = {
    identity: connect(databaseUrl, identityTables, { max: 2 }),
    profile: connect(databaseUrl, profileTables, { max: 2 }),
    notifications: connect(databaseUrl, notificationsTables, { max: 2 }),
    appeals: connect(databaseUrl, appealsTables, { max: 2 }),
  };
  const pipelines = [
    await startSubgraphEvents(bus, databases.identity, identityEvents),
    await startSubgraphEvents(bus, databases.profile, profileEvents),
    await startSubgraphEvents(bus, databases.notifications, notificationsEvents),
    await startSubgraphEvents(bus, databases.appeals, appealsEvents),
  ];
  const relays = pipelines.flatMap((pipeline) => (pipeline.relay ? [pipeline.relay] : []));
  const subscriptions = pipelines.flatMap((pipeline) => pipeline.subscriptions);
  const pending = async (parts: { pending(): Promise<number> }[]) => (await Promise.all(parts.map((part) => part.pending()))).reduce((a, b) => a + b, 0);
  return {
    databases,
    /**
     * Resolves once every recorded event is published and every consumer has handled everything
     * of its types, including events that handlers recorded in turn; throws with the consumers'
     * state after `timeoutMs`. Outboxes are read before and after the consumers, and the stream
     * head must not move meanwhile, so an event in transit between two of them is never missed.
     */
    async settled({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
      relays.forEach((relay) => relay.wake());
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const head = await bus.head();
        const waiting = (await pending(relays)) + (await pending(subscriptions)) + (await pending(relays));
        if (waiting === 0 && (await bus.head()) === head) return;
        if (Date.now() > deadline) throw new Error(`The event pipeline did not settle in ${timeoutMs} ms: ${JSON.stringify(await bus.consumers())}`);
        await sleep(10);
      }
    },
    /** Stops the relays and consumers (before the bus closes). */
    stop: () => Promise.all(pipelines.map((pipeline) => pipeline.stop())).then(() => {}),
    /** Closes the pipelines' connections (after the delivery worker, which shares notifications', has stopped). */
    close: () => Promise.all(Object.values(databases).map((db) => db.close())).then(() => {}),
  };
}

/**
 * Notifications' channel deliveries: to their own dev outboxes, or through a sender a test puts in
 * front (one that fails). The worker has no timer here: a test runs it with `harness.runOnce`.
 */
function startDeliveries(database: Parameters<typeof createDeliveryWorker>[0]) {
  const messages = new DevOutbox({ print: false });
  const pushes = new DevPushOutbox({ print: false });
  let senders: { sender: MessageSender; push: PushSender } = { sender: messages, push: pushes };
  const adapterOf = <M>(current: () => MessageSender<M>): ChannelAdapter<M> => ({ provider: 'test', send: (message) => current().send(message) });
  const worker = createDeliveryWorker(database, {
    adapters: { SMS: adapterOf(() => senders.sender), EMAIL: adapterOf(() => senders.sender), PUSH: adapterOf(() => senders.push) },
    portalUrl: 'https://portal.test',
    log: false,
  });
  return {
    harness: {
      /** SMS and e-mails notifications sent (identity's codes are in `messages`). */
      messages,
      /** Pushes notifications sent. */
      pushes,
      /** Sends everything due at `now` (by default the present), as the timer would; resolves with how many were handled. */
      runOnce: (now?: Date) => worker.runOnce(now),
      /**
       * Sends through these instead of the dev outboxes (e.g. a sender that fails), until called
       * again; what is left out goes to the dev outbox again.
       */
      useSenders({ sender, push }: { sender?: MessageSender; push?: PushSender } = {}) {
        senders = { sender: sender ?? messages, push: push ?? pushes };
      },
    },
    stop: () => worker.stop(),
  };
}

/**
 * The whole graph for one test file: the four subgraphs and the gateway, each its own HTTP server
 * on a free port, on a fresh database, and the event pipeline between them (one bus, each
 * subgraph's relay and consumers, as `runSubgraph` starts them). `statements` records the SQL each
 * subgraph's services send; the pipeline has connections of its own, so it never shows there.
 */
export async function startGraph(
  options: {
    trustedRoots?: string[];
    registers?: StateRegisters;
    tokenKeys?: RemoteKeyOptions;
    trustProxy?: string;
    /** A database prepared elsewhere (`prepareGraphDatabase`), e.g. on a server the test stops and kills; `drop` runs at `stop`. */
    database?: TestDatabase;
    /** The gateway keeps entities (gateway/entity-cache.ts) in memory, invalidated by the graph's bus; off unless asked. */
    entityCache?: boolean;
  } = {},
) {
  const database = options.database ?? (await createTestDatabase());
  const { databases, statements } = recordedDatabases(database.url);
  const bus = await startPostgresEventBus({ url: database.url, max: 4 });
  const running: Stoppable[] = [];
  const serve = async (service: Service) => {
    const { server, url } = await listen(service, 0);
    running.push({ stop: () => closeServer(server).then(service.stop) });
    return url;
  };

  // Codes and letters land here, for tests to read as the person would.
  const messages = new DevOutbox({ print: false });
  const identityServer = restartableServer(
    await buildIdentityService({
      database: databases.identity,
      sender: messages,
      config: { portalUrl: 'https://portal.test', trustedRoots: options.trustedRoots ?? [], letterDeliveryMs: 14 * 86_400_000 },
    }),
    running,
  );
  const identityUrl = await identityServer.start();
  const jwksUrl = `${identityUrl}/.well-known/jwks.json`;
  const tokenKeys = remoteTokenKeys(jwksUrl, options.tokenKeys);
  // The other subgraphs ask identity about sessions as in production, signed as the gateway.
  const sessionStatus = (service: SubgraphName) => identitySessionStatus({ statusUrl: `${identityUrl}${SESSION_STATUSES_PATH}`, secret: process.env.GATEWAY_SECRET!, service });
  // The registers answer at once; tests wait for a check with `dataChecksSettled`.
  const dataChecks = createDataCheckRunner(databases.profile.db, options.registers ?? devRegisters({ delayMs: 0 }));
  // Notifications' live feed reads the bus (its own ephemeral consumer), as in `runSubgraph`.
  const notifications = await buildNotificationsService({ database: databases.notifications, tokenKeys, sessionStatus: sessionStatus('notifications'), bus });
  // Tests mark overdue appeals when they mean to (markOverdueAppeals), never by the clock.
  const appeals = await buildAppealsService({ database: databases.appeals, tokenKeys, sessionStatus: sessionStatus('appeals'), bus, overdueCheckMs: 2 ** 31 - 1 });
  const appealsServer = restartableServer(appeals, running);
  const notificationsServer = restartableServer(notifications, running);
  const subgraphUrls: Record<SubgraphName, string> = {
    identity: `${identityUrl}/graphql`,
    profile: `${await serve(await buildProfileService({ database: databases.profile, tokenKeys, sessionStatus: sessionStatus('profile'), dataChecks }))}/graphql`,
    notifications: `${await notificationsServer.start()}/graphql`,
    appeals: `${await appealsServer.start()}/graphql`,
  };
  for (const [name, subgraphUrl] of Object.entries(subgraphUrls)) asSubgraph(subgraphUrl, name as SubgraphName);
  const gatewayOptions = (overrides: Partial<GatewayOptions> = {}): GatewayOptions => ({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls,
    tokenKeys,
    corsOrigins: ['https://studio.apollographql.com'],
    // Every test request comes from one loopback address: no request-level limits unless a test asks.
    rateLimiter: createRateLimiter({ store: createMemoryRateLimitStore(), rules: { perUser: null, perAddress: null } }),
    // A test that plays many client addresses stands as the gateway's proxy (TRUST_PROXY), sending X-Forwarded-For.
    ...(options.trustProxy ? { trustedProxies: trustedProxies(options.trustProxy) } : {}),
    ...(options.entityCache ? { entityCache: { store: memoryEntityStore(), bus } } : {}),
    ...overrides,
  });
  const gateway = await buildGateway(gatewayOptions());
  const gatewayBase = await serve(gateway);
  const url = `${gatewayBase}/graphql`;

  const events = await startEventPipelines(bus, database.url);
  const deliveries = startDeliveries(events.databases.notifications);

  return {
    /** The gateway's GraphQL endpoint. */
    url,
    gatewayBase,
    subgraphUrls,
    databases,
    statements,
    /** Sends an operation through the gateway. */
    request: (query: string, options?: RequestOptions) => graphql(url, query, options),
    /** Every SMS, e-mail and letter identity sent. */
    messages,
    /** Notifications' channel deliveries (SMS, e-mail, push of feed items) and their worker. */
    deliveries: deliveries.harness,
    /** Resolves when every started data check has the registers' answer recorded. */
    dataChecksSettled: () => dataChecks.settled(),
    /** The event bus the subgraphs' relays publish to and their consumers read. */
    bus,
    /** The notifications subgraph's WebSocket endpoint (graphql-ws, `graphql-transport-ws`): its subscriptions. */
    notificationsWsUrl: subgraphUrls.notifications.replace(/^http/, 'ws'),
    /** The appeals subgraph's WebSocket endpoint (live statuses). */
    appealsWsUrl: subgraphUrls.appeals.replace(/^http/, 'ws'),
    appealsLive: appeals.live!,
    /** That instance's live feed: `streams(userId)` tells when a subscription is listening. */
    notificationsLive: notifications.live!,
    /** The gateway's WebSocket endpoint (graphql-ws): federated subscriptions (docs/subscriptions.md). */
    gatewayWsUrl: `${gatewayBase.replace(/^http/, 'ws')}/graphql`,
    /** The gateway's subscription path: `stats()` counts client connections, streams, shared executions and upstream subscriptions. */
    gatewaySubscriptions: gateway.subscriptions,
    /** The gateway's subgraph fetches: `stats()` counts those sent (`ran`) and those that joined an identical one in flight. */
    gatewayFetches: gateway.fetches,
    /** The gateway's entity cache, when `entityCache` asked for it. */
    gatewayEntityCache: gateway.entityCache,
    /**
     * Appeals' HTTP server (its queries, entities and WebSocket): `stop()` takes it down, `kill()`
     * cuts its connections as a killed process would, `start()` brings it back on the same port.
     */
    appealsServer,
    /** Notifications' HTTP server (its queries and WebSocket), stoppable and killable the same way. */
    notificationsServer,
    /** Identity's HTTP server (sign-in, its JWKS, session checks), stoppable the same way. */
    identityServer,
    /** Identity's JWKS endpoint, for a key source of a test's own (`remoteTokenKeys`). */
    jwksUrl,
    /**
     * Another gateway instance, as a second process would be, with its own upstream connections;
     * `options` may point it at other subgraph instances. Stopped with the graph, or earlier with `stop`.
     */
    async startGatewayInstance(options: Partial<GatewayOptions> = {}) {
      const service = await buildGateway(gatewayOptions(options));
      const { server, url: base } = await listen(service, 0);
      let stopped: Promise<void> | undefined;
      const stop = () => (stopped ??= closeServer(server).then(service.stop));
      running.push({ stop });
      return {
        url: `${base}/graphql`,
        wsUrl: `${base.replace(/^http/, 'ws')}/graphql`,
        subscriptions: service.subscriptions,
        fetches: service.fetches,
        operations: service.operations,
        authorization: service.authorization,
        entityCache: service.entityCache,
        stop,
      };
    },
    /**
     * Another notifications instance on the same database, as a second process would be: its own
     * connections and its own bus client (a PostgreSQL one on the same stream unless `bus` is given;
     * the caller then closes that bus). Stopped with the graph, or earlier with `stop`.
     */
    async startNotificationsInstance({ bus: instanceBus }: { bus?: EventBus } = {}) {
      const instanceDatabase = connect(database.url, notificationsTables, { max: 2 });
      const ownBus = instanceBus ? null : await startPostgresEventBus({ url: database.url, max: 2 });
      const service = await buildNotificationsService({ database: instanceDatabase, tokenKeys, sessionStatus: sessionStatus('notifications'), bus: instanceBus ?? ownBus });
      const { server, url: base } = await listen(service, 0);
      let stopped: Promise<void> | undefined;
      const stop = () =>
        (stopped ??= (async () => {
          await closeServer(server);
          await service.stop();
          await ownBus?.close();
          await instanceDatabase.close();
        })());
      running.push({ stop });
      asSubgraph(`${base}/graphql`, 'notifications');
      return { url: `${base}/graphql`, wsUrl: `${base.replace(/^http/, 'ws')}/graphql`, live: service.live!, stop };
    },
    /** Resolves once the event pipeline has settled (`startEventPipelines`, `settled`). */
    eventsSettled: events.settled,
    async stop() {
      await events.stop();
      await deliveries.stop();
      await bus.close();
      await events.close();
      for (const service of running.reverse()) await service.stop();
      await Promise.all(Object.values(databases).map((db) => db.close()));
      await database.drop();
    },
  };
}

export type TestGraph = Awaited<ReturnType<typeof startGraph>>;

/**
 * The gateway as production runs it, `node gateway/index.ts` in a process of its own, on `port`,
 * against `graph`'s subgraphs, with `env` on top (GATEWAY_WORKERS, the rate-limit store…); its
 * output piped for the caller to read.
 */
export function spawnGateway(graph: Pick<TestGraph, 'subgraphUrls'>, port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], {
    cwd: new URL('..', import.meta.url),
    env: {
      ...process.env,
      PORT: String(port),
      IDENTITY_URL: graph.subgraphUrls.identity,
      PROFILE_URL: graph.subgraphUrls.profile,
      NOTIFICATIONS_URL: graph.subgraphUrls.notifications,
      APPEALS_URL: graph.subgraphUrls.appeals,
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Stops a process `spawnGateway` started, if it still runs (SIGTERM: it drains), and waits for its exit. */
export async function stopSpawned(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
