import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { webSocketWithHeaders } from '../../lib/subscriptions.ts';

/**
 * The gateway's WebSocket connections to the subgraphs (graphql-ws, `graphql-transport-ws`).
 *
 * A connection belongs to one caller identity: it is opened with that caller's `Authorization`
 * (a header of the upgrade, where the subgraph checks the gateway's credential for that caller, and
 * again in `connection_init`, which the subgraph verifies as it would a browser's) and carries only that
 * caller's subscriptions, so the subgraph's own per-person checks hold. Subscriptions of the same
 * caller (the same token) to the same subgraph share a connection, up to
 * `maxSubscriptionsPerConnection` (the subgraphs' own limit); beyond that another is opened. A
 * connection left without subscriptions lingers for `lingerMs`, then closes; nothing is shared
 * across identities, ever.
 */

export interface UpstreamRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string | undefined;
}

/** How a subgraph ended an upstream subscription. */
export type UpstreamFailure =
  /** The subgraph refused the operation (`error` message): GraphQL errors. */
  | { kind: 'errors'; errors: FormattedExecutionResult['errors'] & object }
  /** The connection closed (the subgraph stopped, the token expired…) or could not be opened. */
  | { kind: 'closed'; code: number; reason: string };

/** One event of an upstream subscription, as the owning subgraph sent it. */
export type UpstreamEvent = FormattedExecutionResult<Record<string, unknown>, unknown>;

export interface UpstreamSink {
  next(result: UpstreamEvent): void;
  error(failure: UpstreamFailure): void;
  complete(): void;
}

export interface UpstreamPoolOptions {
  /** The WebSocket URL of each subgraph, by its name in the supergraph. */
  urls: Record<string, string>;
  /** Subscriptions one upstream connection carries before another is opened. Default 20 (the subgraphs' limit). */
  maxSubscriptionsPerConnection?: number;
  /** How long a connection without subscriptions stays open for the next one. Default 1 s. */
  lingerMs?: number;
  /** Pings each connection this often; one that does not answer within half of it is closed. Default 12 s. */
  keepAliveMs?: number;
  /**
   * More headers of the upgrade request than the caller's `authorization` (the credential the
   * gateway signs for the subgraph and caller), made afresh for each socket.
   */
  headers?: (service: string, authorization: string) => Record<string, string>;
}

interface Upstream {
  key: string;
  client: Client;
  active: number;
  /** Closed by the subgraph or failed: takes no new subscriptions. */
  dead: boolean;
  linger: NodeJS.Timeout | null;
}

const closeOf = (error: unknown): { code: number; reason: string } => {
  const event = error as { code?: unknown; reason?: unknown; message?: unknown } | null;
  if (typeof event?.code === 'number') return { code: event.code, reason: typeof event.reason === 'string' ? event.reason : '' };
  return { code: 1006, reason: typeof event?.message === 'string' ? event.message : String(error) };
};

export class UpstreamPool {
  private readonly pools = new Map<string, Upstream[]>();
  private readonly max: number;
  private readonly lingerMs: number;
  private readonly keepAliveMs: number;
  private closed = false;

  constructor(private readonly options: UpstreamPoolOptions) {
    this.max = options.maxSubscriptionsPerConnection ?? 20;
    this.lingerMs = options.lingerMs ?? 1_000;
    this.keepAliveMs = options.keepAliveMs ?? 12_000;
  }

  /** Open upstream connections and the subscriptions they carry, for tests and metrics. */
  stats(): { connections: number; subscriptions: number } {
    let connections = 0;
    let subscriptions = 0;
    for (const list of this.pools.values()) {
      connections += list.length;
      subscriptions += list.reduce((sum, upstream) => sum + upstream.active, 0);
    }
    return { connections, subscriptions };
  }

  /**
   * Subscribes on `service` as the caller `authorization`; returns how to unsubscribe (sends
   * `complete` upstream). The sink hears nothing after that.
   */
  subscribe(service: string, authorization: string, request: UpstreamRequest, sink: UpstreamSink): () => void {
    if (this.closed) throw new Error('the upstream pool is closed');
    const url = this.options.urls[service];
    if (!url) throw new Error(`no WebSocket URL for subgraph ${service}`);
    const key = `${service}\n${authorization}`;
    const list = this.pools.get(key) ?? [];
    this.pools.set(key, list);
    let upstream = list.find((candidate) => !candidate.dead && candidate.active < this.max);
    if (!upstream) {
      upstream = { key, client: this.connect(service, url, authorization), active: 0, dead: false, linger: null };
      list.push(upstream);
    }
    const chosen = upstream;
    if (chosen.linger) clearTimeout(chosen.linger);
    chosen.linger = null;
    chosen.active++;

    let finished = false;
    const finish = () => {
      if (finished) return false;
      finished = true;
      chosen.active--;
      if (chosen.active === 0) this.idle(chosen);
      return true;
    };
    const unsubscribe = chosen.client.subscribe<Record<string, unknown>>(request, {
      next: (result) => {
        if (!finished) sink.next(result);
      },
      error: (error) => {
        if (Array.isArray(error)) {
          if (finish()) sink.error({ kind: 'errors', errors: error });
          return;
        }
        // The socket is gone: every subscription on it hears this, and it takes no new ones.
        chosen.dead = true;
        if (finish()) sink.error({ kind: 'closed', ...closeOf(error) });
      },
      complete: () => {
        if (finish()) sink.complete();
      },
    });
    return () => {
      if (!finish()) return;
      unsubscribe();
    };
  }

  /** Closes every upstream connection (the gateway is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pools.values()].flat();
    this.pools.clear();
    await Promise.all(all.map((upstream) => this.dispose(upstream)));
  }

  private idle(upstream: Upstream): void {
    if (upstream.dead || this.lingerMs <= 0) {
      void this.remove(upstream);
      return;
    }
    upstream.linger = setTimeout(() => {
      if (upstream.active === 0) void this.remove(upstream);
    }, this.lingerMs);
    upstream.linger.unref();
  }

  private async remove(upstream: Upstream): Promise<void> {
    const list = this.pools.get(upstream.key);
    if (list) {
      const at = list.indexOf(upstream);
      if (at >= 0) list.splice(at, 1);
      if (!list.length) this.pools.delete(upstream.key);
    }
    await this.dispose(upstream);
  }

  private async dispose(upstream: Upstream): Promise<void> {
    if (upstream.linger) clearTimeout(upstream.linger);
    upstream.linger = null;
    await upstream.client.dispose();
  }

  private connect(service: string, url: string, authorization: string): Client {
    let socket: WebSocket | null = null;
    let pongWait: NodeJS.Timeout | null = null;
    const headers = () => ({ ...(authorization ? { authorization } : {}), ...this.options.headers?.(service, authorization) });
    return createClient({
      url,
      webSocketImpl: webSocketWithHeaders(headers),
      // The subgraph verifies the caller's token as it would a browser's (docs/notifications.md, "Connecting").
      connectionParams: { authorization },
      lazy: true,
      // The pool closes a connection itself once it has lingered without subscriptions.
      lazyCloseTimeout: Math.max(this.lingerMs, 0) + 1_000,
      // A lost upstream ends the client's subscriptions (the client reconnects and resumes): no silent retry here.
      retryAttempts: 0,
      keepAlive: this.keepAliveMs,
      on: {
        connected: (connected) => {
          socket = connected as WebSocket;
        },
        ping: (received) => {
          if (received) return;
          pongWait = setTimeout(() => {
            if (socket?.readyState === WebSocket.OPEN) socket.close(4408, 'Upstream did not answer a ping');
          }, this.keepAliveMs / 2);
          pongWait.unref();
        },
        pong: (received) => {
          if (received && pongWait) clearTimeout(pongWait);
        },
        closed: () => {
          if (pongWait) clearTimeout(pongWait);
        },
      },
    });
  }
}
