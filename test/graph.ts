import postgres from 'postgres';
import { inject } from 'vitest';
import { remoteTokenKeys } from '../lib/auth.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { connect } from '../lib/db.ts';
import { closeServer, listen, type Service } from '../lib/service.ts';
import { readCommittedSupergraph } from '../schema/compose.ts';
import { buildGateway } from '../gateway/server.ts';
import * as identityTables from '../subgraphs/identity/db/schema.ts';
import * as profileTables from '../subgraphs/profile/db/schema.ts';
import * as notificationsTables from '../subgraphs/notifications/db/schema.ts';
import * as appealsTables from '../subgraphs/appeals/db/schema.ts';
import { buildIdentityService } from '../subgraphs/identity/server.ts';
import { buildProfileService } from '../subgraphs/profile/server.ts';
import { buildNotificationsService } from '../subgraphs/notifications/server.ts';
import { buildAppealsService } from '../subgraphs/appeals/server.ts';
import { withDatabase } from './global-setup.ts';

export interface GraphQLResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted on whole
  body: { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  token?: string;
  headers?: Record<string, string>;
}

/** POSTs a GraphQL operation, as Apollo Client would. */
export async function graphql(url: string, query: string, { variables, token, headers }: RequestOptions = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

/** A new database copied from the migrated template: each test file's data is its own. */
async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { serverUrl, template } = inject('testDatabase');
  const name = `epgu_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  return {
    url: withDatabase(serverUrl, name),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/**
 * The whole graph for one test file: the four subgraphs and the gateway, each its own HTTP server
 * on a free port, on a fresh database. `statements` records the SQL each subgraph sends.
 */
export async function startGraph() {
  const database = await createTestDatabase();
  const statements = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, [] as string[]])) as Record<SubgraphName, string[]>;
  const record = (name: SubgraphName) => ({ onQuery: (statement: string) => statements[name].push(statement) });
  const databases = {
    identity: connect(database.url, identityTables, record('identity')),
    profile: connect(database.url, profileTables, record('profile')),
    notifications: connect(database.url, notificationsTables, record('notifications')),
    appeals: connect(database.url, appealsTables, record('appeals')),
  };
  const running: { stop(): Promise<void> }[] = [];
  const serve = async (service: Service) => {
    const { server, url } = await listen(service.app, 0);
    running.push({ stop: () => closeServer(server).then(service.stop) });
    return url;
  };

  const identityUrl = await serve(await buildIdentityService({ database: databases.identity }));
  const tokenKeys = remoteTokenKeys(`${identityUrl}/.well-known/jwks.json`);
  const subgraphUrls: Record<SubgraphName, string> = {
    identity: `${identityUrl}/graphql`,
    profile: `${await serve(await buildProfileService({ database: databases.profile, tokenKeys }))}/graphql`,
    notifications: `${await serve(await buildNotificationsService({ database: databases.notifications, tokenKeys }))}/graphql`,
    appeals: `${await serve(await buildAppealsService({ database: databases.appeals, tokenKeys }))}/graphql`,
  };
  const gatewayBase = await serve(
    await buildGateway({ supergraphSdl: readCommittedSupergraph(), subgraphUrls, tokenKeys, corsOrigins: ['https://studio.apollographql.com'] }),
  );
  const url = `${gatewayBase}/graphql`;

  return {
    /** The gateway's GraphQL endpoint. */
    url,
    gatewayBase,
    subgraphUrls,
    databases,
    statements,
    /** Sends an operation through the gateway. */
    request: (query: string, options?: RequestOptions) => graphql(url, query, options),
    async stop() {
      for (const service of running.reverse()) await service.stop();
      await Promise.all(Object.values(databases).map((db) => db.close()));
      await database.drop();
    },
  };
}

export type TestGraph = Awaited<ReturnType<typeof startGraph>>;
