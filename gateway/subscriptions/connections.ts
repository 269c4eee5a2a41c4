import { GraphQLError } from './graphql.ts';
import { decodeJwt } from 'jose';
import type { TokenVerifier, Viewer } from '../../lib/auth.ts';
import { isSessionEndCode, SESSION_END_CLOSE_CODE, SESSION_END_MESSAGES, sessionEndCloseReason, type SessionEndCode, type SessionWatch } from '../../lib/sessions.ts';
import { CLOSE_REASONS, closeReason } from '../../lib/subscriptions.ts';
import type { GatewayContext } from '../server.ts';

/**
 * Why the gateway ends a client's subscriptions, with what each transport says: graphql-ws closes
 * the socket with `code` and `reason`; SSE and multipart end the response after an error carrying
 * `errorCode` and `reason` (docs/subscriptions.md, "Close codes").
 */
export interface StreamEnd {
  code: number;
  reason: string;
  errorCode: string;
  /**
   * The session ended (lib/sessions.ts): graphql-ws sends each subscription an `error` with this
   * code before closing, SSE and multipart their last error with the message alone.
   */
  session?: SessionEndCode;
}

/** Reasons fit a WebSocket close frame (123 bytes of UTF-8). */
export const GATEWAY_CLOSE_REASONS = {
  ...CLOSE_REASONS,
  /** SSE and multipart: the token goes in a header, not in `connection_init`. */
  noTokenHttp: 'Нужен токен доступа: передайте заголовок Authorization: Bearer <токен>.',
  tooManyConnections: 'Слишком много подключений к подпискам: закройте лишние вкладки.',
  upstreamLost: 'Источник событий перезапускается: подключитесь снова.',
  /** The gateway instance is stopping: another one takes the reconnect, and `after` resumes the feed. */
  goingAway: 'Шлюз перезапускается: подключитесь снова.',
} as const;

export const STREAM_ENDS = {
  /** The token expired while connected: refresh it, then connect again. graphql-ws clients do not retry 4401. */
  expired: { code: 4401, reason: GATEWAY_CLOSE_REASONS.expired, errorCode: 'UNAUTHENTICATED' },
  /** The client does not read fast enough. graphql-ws clients retry 1013. */
  slowConsumer: { code: 1013, reason: GATEWAY_CLOSE_REASONS.slowConsumer, errorCode: 'SLOW_CONSUMER' },
  /** A subgraph's connection went away (its instance stopped or restarted). graphql-ws clients retry 1012. */
  upstreamLost: { code: 1012, reason: GATEWAY_CLOSE_REASONS.upstreamLost, errorCode: 'SERVICE_UNAVAILABLE' },
  /** The gateway is stopping (lib/service.ts, closeServer). graphql-ws clients retry 1001. */
  goingAway: { code: 1001, reason: GATEWAY_CLOSE_REASONS.goingAway, errorCode: 'SERVICE_UNAVAILABLE' },
} as const satisfies Record<string, StreamEnd>;

/** What SSE and multipart say in their last error: the reason, or the session end's message without its code. */
export const endMessage = (end: StreamEnd): string => (end.session ? SESSION_END_MESSAGES[end.session] : end.reason);

/** The caller's session ended (logout, revocation, a password change, the account deleted): not retried, the person signs in again. */
export const sessionStreamEnd = (code: SessionEndCode): StreamEnd => ({ code: SESSION_END_CLOSE_CODE, reason: sessionEndCloseReason(code), errorCode: code, session: code });

/** A subgraph refused the caller's token (4401 upstream): the gateway says the same, with the subgraph's reason. */
export const unauthorizedEnd = (reason: string): StreamEnd => ({ code: 4401, reason: closeReason(reason || GATEWAY_CLOSE_REASONS.expired), errorCode: 'UNAUTHENTICATED' });

/** Counts one subscription of a caller against the gateway's rate limits; throws `RATE_LIMITED` over them. */
export type SubscriptionAdmission = (context: GatewayContext) => Promise<void>;

/** What a transport does when the gateway ends a client's connection. */
export interface StreamControl {
  end(end: StreamEnd): void;
}

/**
 * One client connection of any transport: a graphql-ws socket, or one SSE or multipart response.
 * It lives as long as the token it was opened with.
 */
export class ClientConnection {
  readonly context: GatewayContext & { viewer: Viewer; authorization: string };
  private expiry: NodeJS.Timeout | null = null;
  private readonly unwatch: () => void;
  private ended = false;
  private closed = false;
  /** The subscriptions running on this connection: they end with it, however it ends. */
  private readonly streams = new Set<{ end(): void }>();

  constructor(
    private readonly registry: ClientConnections,
    context: GatewayContext & { viewer: Viewer; authorization: string },
    private readonly control: StreamControl,
    private readonly admission: SubscriptionAdmission | undefined,
    sessions: SessionWatch | undefined,
  ) {
    this.context = context;
    // Its session's end ends it, within the session check's time (lib/sessions.ts).
    this.unwatch = sessions?.watch(context.viewer, context.authorization, (code) => this.end(sessionStreamEnd(code))) ?? (() => {});
    const exp = decodeJwt(context.authorization.trim().replace(/^Bearer\s+/i, '')).exp;
    if (exp) {
      this.expiry = setTimeout(() => this.end(STREAM_ENDS.expired), Math.max(0, Math.min(exp * 1000 - Date.now(), 2 ** 31 - 1)));
      this.expiry.unref();
    }
  }

  get userId(): string {
    return this.context.viewer.userId;
  }

  /**
   * Counts a new subscription on this connection against the caller's rate limits: null when it may
   * start, the `RATE_LIMITED` error (with `retryAfterSeconds`) to answer it with when it may not.
   */
  async admit(): Promise<GraphQLError | null> {
    try {
      await this.admission?.(this.context);
      return null;
    } catch (error) {
      if (error instanceof GraphQLError) return error;
      throw error;
    }
  }

  /** Ends the connection with a reason its transport passes on (once). */
  end(end: StreamEnd): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    this.control.end(end);
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

  get isClosed(): boolean {
    return this.closed;
  }

  /** A subscription started on this connection; one started after the client went ends at once. */
  track(stream: { end(): void }): void {
    if (this.closed) stream.end();
    else this.streams.add(stream);
  }

  untrack(stream: { end(): void }): void {
    this.streams.delete(stream);
  }
}

export type Authentication =
  | { ok: true; viewer: Viewer; authorization: string }
  /**
   * `code`: UNAUTHENTICATED, the session's end (SESSION_REVOKED, ACCOUNT_DELETED), or
   * SERVICE_UNAVAILABLE: identity's keys are out of reach, the client retries (503, close 1013)
   * rather than signing in again.
   */
  | { ok: false; reason: string; code: string };

/** How graphql-ws closes on a refused token: a session's end carries its code in the reason. */
export const refusalCloseReason = (refused: { reason: string; code: string }): string => (isSessionEndCode(refused.code) ? sessionEndCloseReason(refused.code) : refused.reason);

/** The client connections of one gateway instance, by person, with the per-person limit. */
export class ClientConnections {
  private readonly byUser = new Map<string, Set<ClientConnection>>();

  constructor(
    private readonly verify: TokenVerifier,
    private readonly maxPerUser: number,
    private readonly admission?: SubscriptionAdmission,
    private readonly sessions?: SessionWatch,
  ) {}

  /**
   * Verifies `Authorization: Bearer …` with the same verifier as queries. Unlike a query, a
   * subscription needs a token: there is nothing an anonymous caller may subscribe to.
   */
  async authenticate(authorization: string | undefined): Promise<Authentication> {
    const noToken = { ok: false, reason: GATEWAY_CLOSE_REASONS.noToken, code: 'UNAUTHENTICATED' } as const;
    if (!authorization) return noToken;
    try {
      const viewer = await this.verify(authorization);
      return viewer ? { ok: true, viewer, authorization } : noToken;
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (isSessionEndCode(code) || code === 'SERVICE_UNAVAILABLE') return { ok: false, reason: (error as Error).message, code };
      return { ok: false, reason: code === 'UNAUTHENTICATED' ? (error as Error).message : 'Токен доступа недействителен. Войдите снова.', code: 'UNAUTHENTICATED' };
    }
  }

  /** Registers a connection of an authenticated caller; null when the person already has the most allowed. */
  open(context: GatewayContext & { viewer: Viewer; authorization: string }, control: StreamControl): ClientConnection | null {
    const userId = context.viewer.userId;
    const mine = this.byUser.get(userId) ?? new Set();
    if (mine.size >= this.maxPerUser) return null;
    const connection = new ClientConnection(this, context, control, this.admission, this.sessions);
    mine.add(connection);
    this.byUser.set(userId, mine);
    return connection;
  }

  forget(connection: ClientConnection): void {
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

  /** Ends every connection (the gateway is stopping). */
  endAll(end: StreamEnd): void {
    for (const set of [...this.byUser.values()]) for (const connection of [...set]) connection.end(end);
  }
}
