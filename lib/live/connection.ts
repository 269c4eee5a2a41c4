import { decodeJwt } from 'jose';
import type { TokenVerifier, Viewer } from '../auth.ts';
import type { SessionWatch } from '../sessions.ts';
import { LIVE_ENDS, refusalOf, sessionEnd, type LiveEnd } from './ends.ts';
import { GraphQLError } from './graphql.ts';
import { graphQLError } from '../errors.ts';

/** Who a connection is for: the verified caller and the header that proved it (forwarded upstream). */
export interface LiveCaller {
  viewer: Viewer;
  authorization: string;
}

/** What a transport does when the core ends its connection. */
export interface LiveTransport {
  end(end: LiveEnd): void;
}

/** Counts one subscription of a caller against the rate limits; throws a coded GraphQLError (`RATE_LIMITED`) over them. */
export type LiveAdmission<Caller> = (caller: Caller) => Promise<void>;

export interface LiveConnectionOptions<Caller> {
  /** Tells when the session of a connection's token ends (lib/sessions.ts). */
  sessions?: SessionWatch;
  admission?: LiveAdmission<Caller>;
  /** Subscriptions one connection may hold at once. */
  maxSubscriptions?: number;
  /** Connections one person may hold at once. */
  maxConnectionsPerUser?: number;
}

export type Authentication = { ok: true; viewer: Viewer; authorization: string } | { ok: false; end: LiveEnd };

/** Anything that runs on a connection and must stop with it. */
export interface LiveStreamHandle {
  end(): void;
}

/**
 * One live connection of any transport — a graphql-ws socket (the gateway's or a subgraph's), one
 * SSE or multipart response — and what holds for every one of them: an authenticated caller, for as
 * long as the token it was opened with lives and its session lasts; a per-person limit of
 * connections; a limit of subscriptions on it and an admission (rate limit) of each; its streams
 * ending with it; one `end`, however it ends. A transport adapter only says how an end looks on
 * its protocol (`LiveTransport`).
 */
export class LiveConnection<Caller extends LiveCaller = LiveCaller> {
  private expiry: NodeJS.Timeout | null = null;
  private readonly unwatch: () => void;
  private ended = false;
  private closed = false;
  /** The subscriptions running on this connection: they end with it, however it ends. */
  private readonly streams = new Set<LiveStreamHandle>();

  constructor(
    private readonly registry: LiveConnections<Caller>,
    /** Who the connection is for (the gateway's: its request context, as queries get it). */
    readonly context: Caller,
    private readonly transport: LiveTransport,
  ) {
    const { sessions } = registry.options;
    // Its session's end ends it, within the session check's time (lib/sessions.ts).
    this.unwatch = sessions?.watch(context.viewer, context.authorization, (code) => this.end(sessionEnd(code))) ?? (() => {});
    const exp = decodeJwt(context.authorization.trim().replace(/^Bearer\s+/i, '')).exp;
    if (exp) {
      this.expiry = setTimeout(() => this.end(LIVE_ENDS.expired), Math.max(0, Math.min(exp * 1000 - Date.now(), 2 ** 31 - 1)));
      this.expiry.unref();
    }
  }

  get userId(): string {
    return this.context.viewer.userId;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * May another subscription start here, `open` being those the transport already counts on it
   * (the new one included)? Null when it may; else the error to refuse it with: over the limit per
   * connection (`BAD_USER_INPUT`), or the admission's (`RATE_LIMITED` with `retryAfterSeconds`).
   */
  async admit(open: number): Promise<GraphQLError | null> {
    const { maxSubscriptions, admission } = this.registry.options;
    if (maxSubscriptions !== undefined && open > maxSubscriptions) {
      return graphQLError('BAD_USER_INPUT', `Не больше ${maxSubscriptions} подписок на одно соединение.`);
    }
    try {
      await admission?.(this.context);
      return null;
    } catch (error) {
      if (error instanceof GraphQLError) return error;
      throw error;
    }
  }

  /** Ends the connection with a reason its transport passes on (once), and everything on it. */
  end(end: LiveEnd): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    this.transport.end(end);
    this.close();
  }

  /** Forgets the connection (its transport closed it) and ends its subscriptions. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.expiry) clearTimeout(this.expiry);
    this.unwatch();
    this.registry.forget(this);
    for (const stream of [...this.streams]) stream.end();
    this.streams.clear();
  }

  /** A subscription started on this connection; one started after the client went ends at once. */
  track(stream: LiveStreamHandle): void {
    if (this.closed) stream.end();
    else this.streams.add(stream);
  }

  untrack(stream: LiveStreamHandle): void {
    this.streams.delete(stream);
  }
}

/** The live connections of one process, by person. */
export class LiveConnections<Caller extends LiveCaller = LiveCaller> {
  private readonly byUser = new Map<string, Set<LiveConnection<Caller>>>();

  constructor(
    private readonly verify: TokenVerifier,
    readonly options: LiveConnectionOptions<Caller> = {},
  ) {}

  /**
   * Verifies `Authorization: Bearer …` with the verifier of queries. Unlike a query, a
   * subscription needs a token: there is nothing an anonymous caller may subscribe to.
   */
  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (!authorization) return { ok: false, end: LIVE_ENDS.noToken };
    try {
      const viewer = await this.verify(authorization);
      return viewer ? { ok: true, viewer, authorization } : { ok: false, end: LIVE_ENDS.noToken };
    } catch (error) {
      return { ok: false, end: refusalOf(error) };
    }
  }

  /** Registers a connection of an authenticated caller; null when the person already holds the most allowed. */
  open(caller: Caller, transport: LiveTransport): LiveConnection<Caller> | null {
    const userId = caller.viewer.userId;
    const mine = this.byUser.get(userId) ?? new Set();
    if (this.options.maxConnectionsPerUser !== undefined && mine.size >= this.options.maxConnectionsPerUser) return null;
    const connection = new LiveConnection(this, caller, transport);
    mine.add(connection);
    this.byUser.set(userId, mine);
    return connection;
  }

  forget(connection: LiveConnection<Caller>): void {
    const mine = this.byUser.get(connection.userId);
    mine?.delete(connection);
    if (mine && !mine.size) this.byUser.delete(connection.userId);
  }

  /** Open connections in all, or of one person. */
  count(userId?: string): number {
    if (userId) return this.byUser.get(userId)?.size ?? 0;
    let total = 0;
    for (const set of this.byUser.values()) total += set.size;
    return total;
  }

  /** Ends every connection (the service is stopping, the schema changed). */
  endAll(end: LiveEnd): void {
    for (const set of [...this.byUser.values()]) for (const connection of [...set]) connection.end(end);
  }
}
