import express from 'express';
import cors from 'cors';
import { GraphQLError } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { JWTVerifyGetKey } from 'jose';
import { createTokenVerifier, type Viewer } from '../lib/auth.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config.ts';
import { addHealthRoutes, apolloOptions, type Service } from '../lib/service.ts';

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
  /** Where each subgraph answers; overrides the development URLs written in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Keys that verify access tokens (identity's JWKS). */
  tokenKeys: JWTVerifyGetKey;
  /** Browser origins allowed to call the gateway (Apollo Studio, the portal's front end). */
  corsOrigins: string[];
}

/** Passes the caller's token on: each subgraph checks it and its own ownership rules for itself. */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (context.authorization) headers?.set('authorization', context.authorization);
    if (context.clientAddress) headers?.set('x-client-address', context.clientAddress);
    if (context.userAgent) headers?.set('user-agent', context.userAgent);
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

/** Builds the gateway without listening, so tests can serve it on a free port. */
export async function buildGateway(options: GatewayOptions): Promise<Service> {
  // @apollo/gateway otherwise reports usage to Apollo and probes cloud metadata addresses
  // (169.254.169.254) on construction: a portal's gateway calls nobody but its subgraphs.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => new SubgraphDataSource({ url: options.subgraphUrls[name as SubgraphName] ?? url }),
  });
  const apollo = new ApolloServer<GatewayContext>({ gateway, ...apolloOptions('gateway') });
  await apollo.start();
  const verify = createTokenVerifier(options.tokenKeys);

  const app = express();
  app.disable('x-powered-by');
  // The caller's address comes from X-Forwarded-For only when a proxy we run set it (TRUST_PROXY).
  app.set('trust proxy', process.env.TRUST_PROXY ?? 'loopback');
  addHealthRoutes(app, () => subgraphsReady(options.subgraphUrls));
  app.get('/', (_req, res) => res.redirect('/graphql'));
  app.use(
    '/graphql',
    cors({ origin: options.corsOrigins }),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return {
            viewer: await verify(req.headers.authorization),
            authorization: req.headers.authorization,
            clientAddress: req.ip,
            userAgent: req.get('user-agent'),
          };
        } catch (error) {
          // A bad token fails the whole request with 401, so clients know to refresh or sign in again.
          if (error instanceof GraphQLError) throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } });
          throw error;
        }
      },
    }),
  );
  return { app, stop: () => apollo.stop() };
}
