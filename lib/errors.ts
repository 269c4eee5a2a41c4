import { GraphQLError } from 'graphql';

/**
 * Errors that are not a person's fixable mistake travel as GraphQL errors with a stable
 * `extensions.code`; the list of codes is in docs/errors.md. Messages are for people, in Russian.
 */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RATE_LIMITED' | 'SESSION_REVOKED' | 'ACCOUNT_DELETED' | 'SERVICE_UNAVAILABLE';

export function graphQLError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export const unauthenticated = (message = 'Войдите на портал, чтобы продолжить.') =>
  graphQLError('UNAUTHENTICATED', message);

export const forbidden = (message = 'Недостаточно прав для просмотра этих данных.') =>
  graphQLError('FORBIDDEN', message);

/**
 * Something the service depends on (its database, identity's signing keys) cannot be reached: the
 * same request may succeed later, so a client retries instead of sending the person to sign in.
 */
export const serviceUnavailable = (message = 'Сервис временно недоступен. Повторите попытку позже.') =>
  graphQLError('SERVICE_UNAVAILABLE', message);

/**
 * An error that fails the whole request before any field runs (the token check): 401 for a token
 * that is refused (bad, expired, its session ended), so a client signs in again, 503 for an outage,
 * so it retries; the gateway passes a subgraph's refusal on with its code (a 500 would read as the
 * subgraph being down). Other errors pass.
 */
export function asRequestError(error: unknown): unknown {
  if (!(error instanceof GraphQLError)) return error;
  const status = REQUEST_STATUS[String(error.extensions.code)];
  return status ? new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status } } }) : error;
}
const REQUEST_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, SESSION_REVOKED: 401, ACCOUNT_DELETED: 401, SERVICE_UNAVAILABLE: 503 };

/**
 * The coded error in `error`'s cause chain that says a connection was refused or lost (the
 * database's, or any other service's): postgres.js's codes, Node's socket codes, PostgreSQL's
 * SQLSTATEs of a server that is shutting down, starting up or full. Null for anything else (a bug).
 */
export function connectionFailure(error: unknown): Error | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return cause;
    if (cause instanceof AggregateError) for (const each of cause.errors) if (connectionFailure(each)) return connectionFailure(each);
  }
  return null;
}
const CONNECTION_CODES = new Set([
  // postgres.js (a connection lost, ended under a query, or not opened in time)
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  // Node's sockets and name lookups
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
]);
/** Class 08 (connection exception), 57P01–57P03 (admin or crash shutdown, starting up), 53300 (too many connections). */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

export const INTERNAL_ERROR_MESSAGE = 'Внутренняя ошибка сервиса. Попробуйте позже.';

/**
 * What a client gets for an error without a code of ours: SERVICE_UNAVAILABLE when a connection
 * failed (an outage: retry), else the masked INTERNAL_SERVER_ERROR (a bug). `cause` is what the
 * caller logs (lib/log.ts): for an outage only its connection error (a query's text and parameters
 * stay out), for a bug the error itself.
 */
export function maskedError(error: unknown): { message: string; extensions: { code: 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR' }; cause: unknown } {
  const failure = connectionFailure(error);
  if (failure) return { message: serviceUnavailable().message, extensions: { code: 'SERVICE_UNAVAILABLE' }, cause: failure };
  return { message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' }, cause: error };
}

export const badUserInput = (message: string) => graphQLError('BAD_USER_INPUT', message);

/** Too many attempts or sends: `retryAfterSeconds` tells a client when to offer the action again. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds } });

/** "N минут" with the right Russian plural, for messages that say when to try again. */
export function minutesPhrase(seconds: number): string {
  const n = Math.max(1, Math.ceil(seconds / 60));
  const [one, few, many] = ['минуту', 'минуты', 'минут'];
  const word = n % 10 === 1 && n % 100 !== 11 ? one : [2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100) ? few : many;
  return `${n} ${word}`;
}

/**
 * A mistake the person can fix (a wrong password, an invalid field): returned inside a mutation's
 * payload so a form can show it next to the field.
 */
export interface UserError {
  /** Path to the input field, e.g. `['input', 'password']`; null when the error is about the whole form. */
  field: string[] | null;
  code: string;
  message: string;
}

export const userError = (code: string, message: string, field: string[] | null = null): UserError => ({
  field,
  code,
  message,
});
