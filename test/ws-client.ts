import { createClient, type Client } from 'graphql-ws';
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
