import { ApolloClient, gql, HttpLink, InMemoryCache, type ApolloLink } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The clients front ends use, pointed at the gateway's `/graphql`, behind one shape for tests: each
 * subscription keeps what it receives in order; `disposeAll` after each test closes everything.
 *
 * - `graphql-ws`: the graphql-ws client (`graphql-transport-ws`), the token in `connection_init`;
 * - `sse`: the graphql-sse client, distinct connections, the token in the `Authorization` header;
 * - `apollo-ws`: Apollo Client with `GraphQLWsLink`;
 * - `apollo-multipart`: Apollo Client with a plain `HttpLink` (multipart HTTP subscriptions).
 *
 * Apollo Client adds `__typename` to every selection; `messages` leaves it out so results compare
 * the same across clients.
 */
export const TRANSPORTS = ['graphql-ws', 'sse', 'apollo-ws', 'apollo-multipart'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface ClientStream {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are asserted on whole
  messages: { data?: any; errors?: any[] }[];
  /** What ended the stream with an error: a close event `{ code, reason }`, GraphQL errors, or an Error. */
  errors: unknown[];
  /** Resolves when the stream has ended (completed or errored). */
  done: Promise<void>;
  dispose(): Promise<void>;
}

export interface SubscribeOptions {
  token?: string;
  variables?: Record<string, unknown>;
}

function withoutTypename(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypename);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '__typename')
      .map(([key, inner]) => [key, withoutTypename(inner)]),
  );
}

/**
 * A subscription POSTed over HTTP as a browser would, with `accept` choosing the transport
 * (`text/event-stream` for SSE, `multipart/mixed;subscriptionSpec="1.0"…` for multipart): the raw
 * response, for tests of what the gateway answers before and while it streams.
 */
export function postSubscription(url: string, query: string, { accept, token, variables, signal }: SubscribeOptions & { accept: string; signal?: AbortSignal }): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
}

export function gatewayClients(urls: { http: string; ws: string }) {
  const open: (() => Promise<void>)[] = [];

  function track(dispose: () => Promise<void> | void) {
    let disposed: Promise<void> | undefined;
    const once = () => (disposed ??= Promise.resolve(dispose()));
    open.push(once);
    return once;
  }

  function sink() {
    const stream = { messages: [] as ClientStream['messages'], errors: [] as unknown[] };
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    return {
      stream,
      done,
      next: (message: unknown) => void stream.messages.push(message as ClientStream['messages'][number]),
      error: (error: unknown) => {
        const { code, reason } = (error ?? {}) as { code?: unknown; reason?: unknown };
        stream.errors.push(typeof code === 'number' ? { code, reason } : error);
        ended();
      },
      complete: () => ended(),
    };
  }

  function apollo(link: ApolloLink, query: string, options: SubscribeOptions, close: () => Promise<void> | void = () => {}): ClientStream {
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    const s = sink();
    const subscription = client.subscribe({ query: gql(query), variables: options.variables ?? {}, fetchPolicy: 'no-cache', errorPolicy: 'all' }).subscribe({
      next: (result) => s.next(withoutTypename({ ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors?.length ? { errors: result.errors } : {}) })),
      error: s.error,
      complete: s.complete,
    });
    const dispose = track(async () => {
      subscription.unsubscribe();
      client.stop();
      await close();
    });
    return { ...s.stream, done: s.done, dispose };
  }

  function wsClient(options: SubscribeOptions) {
    return createWsClient({
      url: urls.ws,
      webSocketImpl: WebSocket,
      ...(options.token ? { connectionParams: { authorization: `Bearer ${options.token}` } } : {}),
      retryAttempts: 0,
    });
  }

  const subscribe = (transport: Transport, query: string, options: SubscribeOptions = {}): ClientStream => {
    const authorization: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    switch (transport) {
      case 'graphql-ws': {
        const client = wsClient(options);
        const s = sink();
        client.subscribe({ query, variables: options.variables ?? {} }, s);
        return { ...s.stream, done: s.done, dispose: track(() => client.dispose()) };
      }
      case 'sse': {
        const client = createSseClient({ url: urls.http, headers: authorization, retryAttempts: 0 });
        const s = sink();
        const unsubscribe = client.subscribe({ query, variables: options.variables ?? {} }, s);
        return {
          ...s.stream,
          done: s.done,
          dispose: track(() => {
            unsubscribe();
            client.dispose();
          }),
        };
      }
      case 'apollo-ws': {
        const client = wsClient(options);
        return apollo(new GraphQLWsLink(client), query, options, () => client.dispose());
      }
      case 'apollo-multipart':
        return apollo(new HttpLink({ uri: urls.http, headers: authorization }), query, options);
    }
  };

  return {
    subscribe,
    disposeAll: () => Promise.all(open.splice(0).map((dispose) => dispose())),
  };
}
