import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { webSocketWithHeaders } from '../lib/subscriptions.ts';
import { gatewayUpgradeHeaders } from './graph.ts';

/** How a socket ended: the close code and reason graphql-ws reports. */
export interface Closed {
  code: number;
  reason: string;
}

/**
 * graphql-ws clients for a test file: each subscription on its own connection, everything it
 * receives kept in order; `disposeAll` after each test closes them.
 */
export function subscriptionClients() {
  const clients: Client[] = [];
  return {
    subscribe(url: string, query: string, options: { token?: string; headers?: Record<string, string>; variables?: Record<string, unknown> } = {}) {
      const messages: unknown[] = [];
      const errors: unknown[] = [];
      const authorization = options.token ? `Bearer ${options.token}` : options.headers?.authorization;
      // Straight to a subgraph, the upgrade carries the gateway's credential for the caller, as the gateway's would.
      const headers = () => ({ ...options.headers, ...gatewayUpgradeHeaders(url, authorization) });
      const client = createClient({
        url,
        webSocketImpl: webSocketWithHeaders(headers),
        connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
        retryAttempts: 0,
      });
      clients.push(client);
      let ended!: () => void;
      const done = new Promise<void>((resolve) => (ended = resolve));
      client.subscribe(
        { query, variables: options.variables ?? {} },
        {
          next: (message) => void messages.push(message),
          error: (error) => {
            const { code, reason } = error as Closed;
            errors.push(typeof code === 'number' ? { code, reason } : error);
            ended();
          },
          complete: () => ended(),
        },
      );
      return { messages, errors, done, dispose: () => client.dispose() };
    },
    disposeAll: () => Promise.all(clients.splice(0).map((client) => client.dispose())),
  };
}

const FEED = 'subscription ($after: String) { notificationAdded(after: $after) { cursor node { id } } }';

/**
 * A person's live feed through a gateway's graphql-ws endpoint, followed as a front end keeps it:
 * the client reconnects by itself after any close (a cut connection, 1012, 1001) and resubscribes
 * with the payload as it is then, whose `after` is kept at the last cursor received
 * (docs/subscriptions.md, "No loss across reconnects"). `ids` are the items received, in order;
 * `connections.count` how often it connected. `name` names the operation: feeds of one person
 * under different names never share an upstream subscription (gateway/subscriptions/shared-executions.ts).
 * `after` is where it starts, as a front end starts from the newest item of the feed it loaded:
 * without one, items added before the first arrives are not replayed after a reconnect.
 */
export function followFeed(wsUrl: string, token: string, { name, after = null }: { name?: string; after?: string | null } = {}) {
  const ids: string[] = [];
  const errors: unknown[] = [];
  const connections = { count: 0 };
  const payload = { query: name ? FEED.replace('subscription', `subscription ${name}`) : FEED, variables: { after } };
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 1_000,
    retryWait: () => sleep(100),
    shouldRetry: () => true,
    on: { connected: () => void connections.count++ },
  });
  client.subscribe<{ notificationAdded: { cursor: string; node: { id: string } } }>(payload, {
    next: ({ data, errors: failed }) => {
      if (failed) errors.push(failed);
      if (!data) return;
      ids.push(data.notificationAdded.node.id);
      payload.variables.after = data.notificationAdded.cursor;
    },
    error: (error) => void errors.push(error),
    complete: () => {},
  });
  return { ids, errors, connections, dispose: () => client.dispose() };
}
