/**
 * The cabinet's Apollo Client: queries and mutations over HTTP, subscriptions over graphql-ws, both
 * at `/graphql` of the cabinet's own origin (vite.config.ts passes it on to the gateway).
 *
 * The production build sends every operation by its hash in the trusted-documents manifest
 * (`extensions.persistedQuery.sha256Hash`, Apollo's persisted-queries link with the preset's
 * `__meta__.hash`): over HTTP the hash alone, and the manifest's text only when the gateway asks for it
 * (APQ); over graphql-ws, whose subscribe message must carry a query, the hash with the manifest's text.
 * Development sends the text (Sandbox-style), still printed as the manifest prints it.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable, split } from '@apollo/client';
import { setContext } from '@apollo/client/link/context';
import { onError } from '@apollo/client/link/error';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import type { DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { graphql } from '../generated/gql.ts';
import { manifestHash, manifestText, manifestTextOf } from './documents.ts';
import { resumingStreams } from './live.ts';
import { refresh, session } from './session.ts';

const BY_HASH = import.meta.env.PROD;
const RECONNECT_MAX_MS = 5_000;

/** Tokens of a sign-in, a registration or a refresh; a refused step's reasons in `errors`. */
graphql(`
  fragment SignedIn on AuthPayload {
    accessToken
    accessTokenExpiresAt
    refreshToken
    errors {
      code
      message
    }
  }
`);

const RefreshSession = graphql(`
  mutation RefreshSession($input: RefreshSessionInput!) {
    refreshSession(input: $input) {
      ...SignedIn
    }
  }
`);

const bearer = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});

const sockets = createClient({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
  connectionParams: async () => bearer(session.accessToken() ?? (await refresh())),
  // A sleeping tab or a dropped network: try again for as long as it takes, at most 5 s apart.
  retryAttempts: Infinity,
  shouldRetry: () => true,
  retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, RECONNECT_MAX_MS))),
});
session.onChange(() => {
  if (!session.signedIn()) sockets.terminate();
});

const trustedSockets: Client = {
  ...sockets,
  subscribe: (payload, sink) => sockets.subscribe({ ...payload, query: manifestTextOf(payload.query) }, sink),
};

const isSubscription = ({ query }: { query: Parameters<typeof getMainDefinition>[0] }) => {
  const definition = getMainDefinition(query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
};

const withToken = setContext((_, context: { anonymous?: boolean; headers?: Record<string, string> }) => (context.anonymous ? {} : { headers: { ...context.headers, ...bearer(session.accessToken()) } }));

/** An access token that expired on the way: refresh once and send the operation again. */
const refreshOnExpiry = onError(({ graphQLErrors, operation, forward }) => {
  const context = operation.getContext();
  if (context.anonymous || context.refreshed || !graphQLErrors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) return;
  return new Observable((observer) => {
    void refresh().then((token) => {
      if (!token) return session.end();
      operation.setContext({ refreshed: true });
      forward(operation).subscribe(observer);
    });
  });
});

const transport = split(isSubscription, new GraphQLWsLink(trustedSockets), ApolloLink.from([withToken, new HttpLink({ uri: '/graphql', print: (document) => manifestText(document as DocumentNode) })]));

export const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: ApolloLink.from([refreshOnExpiry, resumingStreams, ...(BY_HASH ? [createPersistedQueryLink({ generateHash: manifestHash })] : []), transport]),
});

session.useRefresher(async (refreshToken) => {
  const { data } = await client.mutate({ mutation: RefreshSession, variables: { input: { refreshToken } }, context: { anonymous: true } });
  const tokens = data?.refreshSession;
  return tokens?.accessToken && tokens.accessTokenExpiresAt && tokens.refreshToken ? { accessToken: tokens.accessToken, accessTokenExpiresAt: tokens.accessTokenExpiresAt, refreshToken: tokens.refreshToken } : null;
});
