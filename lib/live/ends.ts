import { CloseCode } from 'graphql-ws';
import { NOT_THE_GATEWAY } from '../gateway-credential.ts';
import { isSessionEndCode, SESSION_END_CLOSE_CODE, SESSION_END_MESSAGES, sessionEndCloseReason, type SessionEndCode } from '../sessions.ts';
import type { GraphQLErrorCode } from '../errors.ts';

/**
 * Why a live connection is refused or ended, with what each transport says: graphql-ws closes the
 * socket with `code` and `reason`; SSE and multipart answer a refusal with `httpStatus`, and end an
 * open response after a last error carrying `errorCode` and `endMessage(end)` — or, for `cut`, by
 * cutting the response. The one table of docs/subscriptions.md, "Close codes", for the gateway's
 * three transports and the subgraphs' endpoint alike.
 */
export interface LiveEnd {
  code: number;
  /** Fits a WebSocket close frame (123 bytes of UTF-8, `closeReason`). */
  reason: string;
  errorCode: GraphQLErrorCode;
  /** A refusal at connection over HTTP. */
  httpStatus?: number;
  /** The response is cut with no last event: the client is not reading it anyway. */
  cut?: boolean;
  /**
   * The session ended (lib/sessions.ts): graphql-ws sends each subscription an `error` with this
   * code before closing, SSE and multipart their last error with the message alone.
   */
  session?: SessionEndCode;
}

/** A WebSocket close reason may hold at most 123 bytes of UTF-8: longer text is cut at a character. */
export function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

export const LIVE_ENDS = {
  /** No token at connection. graphql-ws clients do not retry 4401. */
  noToken: { code: CloseCode.Unauthorized, reason: 'Нужен токен доступа: передайте authorization в connection_init.', errorCode: 'UNAUTHENTICATED', httpStatus: 401 },
  /** The token expired while connected: refresh it, then connect again. */
  expired: { code: CloseCode.Unauthorized, reason: 'Срок действия токена истёк: подключитесь снова с новым токеном.', errorCode: 'UNAUTHENTICATED', httpStatus: 401 },
  /** The person already holds the most connections allowed. Not retried. */
  tooManyConnections: { code: 4429, reason: 'Слишком много подключений к подпискам: закройте лишние вкладки.', errorCode: 'TOO_MANY_CONNECTIONS', httpStatus: 429 },
  /** A subgraph's `connection_init` named another caller than the upgrade the gateway's credential was checked on. */
  notTheGateway: { code: CloseCode.Forbidden, reason: NOT_THE_GATEWAY, errorCode: 'FORBIDDEN', httpStatus: 403 },
  /** The client does not read fast enough (its queue or its socket's buffer filled up). graphql-ws clients retry 1013. */
  slowConsumer: { code: 1013, reason: 'Клиент не успевает принимать события: подключитесь снова.', errorCode: 'SLOW_CONSUMER', cut: true },
  /** A subgraph's connection went away (its instance stopped or restarted). graphql-ws clients retry 1012. */
  upstreamLost: { code: 1012, reason: 'Источник событий перезапускается: подключитесь снова.', errorCode: 'SERVICE_UNAVAILABLE' },
  /**
   * The gateway loaded another supergraph: a stream planned over the old one ends rather than mix
   * plans and schemas, and the client subscribes again (with `after`, nothing is lost). 1012
   * (Service Restart) rather than a 4xxx of ours: graphql-ws clients retry it, as they retry a
   * restart, and the reason tells the two apart.
   */
  schemaChanged: { code: 1012, reason: 'Схема обновилась: подключитесь снова.', errorCode: 'SCHEMA_CHANGED' },
  /** The service is stopping: another instance takes the reconnect, and `after` resumes the feed. graphql-ws clients retry 1001. */
  goingAway: { code: 1001, reason: 'Шлюз перезапускается: подключитесь снова.', errorCode: 'SERVICE_UNAVAILABLE' },
} as const satisfies Record<string, LiveEnd>;

/** SSE and multipart: the token goes in a header, not in `connection_init`. */
export const NO_TOKEN_OVER_HTTP = 'Нужен токен доступа: передайте заголовок Authorization: Bearer <токен>.';

/** The caller's session ended (logout, revocation, a password change, the account deleted): not retried, the person signs in again. */
export const sessionEnd = (code: SessionEndCode): LiveEnd => ({ code: SESSION_END_CLOSE_CODE, reason: sessionEndCloseReason(code), errorCode: code, httpStatus: 401, session: code });

/** A refused token (bad, expired, or a subgraph's 4401 upstream) with its own reason. */
export const unauthorized = (reason: string): LiveEnd => ({ ...LIVE_ENDS.expired, reason: closeReason(reason || LIVE_ENDS.expired.reason) });

/** Identity's keys are out of reach, so a token cannot be checked now: connect again later (1013, HTTP 503). */
export const unavailable = (reason: string): LiveEnd => ({ code: 1013, reason: closeReason(reason), errorCode: 'SERVICE_UNAVAILABLE', httpStatus: 503 });

/** What SSE and multipart say in their last error: the reason, or the session end's message without its code. */
export const endMessage = (end: LiveEnd): string => (end.session ? SESSION_END_MESSAGES[end.session] : end.reason);

/** The end a token's refusal by the verifier means: its session's end, identity unreachable, or a bad token. */
export function refusalOf(error: unknown): LiveEnd {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  if (isSessionEndCode(code)) return sessionEnd(code);
  if (code === 'SERVICE_UNAVAILABLE') return unavailable((error as Error).message);
  return unauthorized(code === 'UNAUTHENTICATED' ? (error as Error).message : 'Токен доступа недействителен. Войдите снова.');
}
