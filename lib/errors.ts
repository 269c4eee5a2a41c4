import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

/**
 * Every code the graph returns, defined here once: a code is added to these lists, and to
 * docs/errors.md (lib/errors.test.ts holds the two to each other), before anything can return it.
 * Messages are for people, in Russian.
 */

/**
 * `errors[].extensions.code` of a GraphQL error: what is not the person's fixable mistake, refused
 * for the whole request (before GraphQL too: lib/http-errors.ts) or for one field. Apollo Server's
 * own codes are here as well, as it returns them for us.
 */
export const GRAPHQL_ERROR_CODES = [
  'UNAUTHENTICATED',
  'SESSION_REVOKED',
  'ACCOUNT_DELETED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'RATE_LIMITED',
  'SUBGRAPH_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  // Subscriptions (lib/live/ends.ts)
  'SCHEMA_CHANGED',
  'TOO_MANY_CONNECTIONS',
  'SLOW_CONSUMER',
  // The request itself, before GraphQL (lib/http-errors.ts, lib/gateway-credential.ts)
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  // Trusted documents at the gateway (gateway/trusted-documents.ts)
  'DOCUMENT_NOT_TRUSTED',
] as const;
export type GraphQLErrorCode = (typeof GRAPHQL_ERROR_CODES)[number];

/** `payload.errors[].code` of a mutation (`UserError`): a mistake the person can fix in the form. */
export const USER_ERROR_CODES = [
  // Signing in and sessions (identity)
  'INVALID_CREDENTIALS',
  'INVALID_LOGIN_FORMAT',
  'PASSWORD_CHANGE_REQUIRED',
  'SESSION_NOT_FOUND',
  'PIN_INVALID',
  'PIN_TOO_SIMPLE',
  'PIN_CHANGE_LIMIT',
  'DEVICE_ID_INVALID',
  'FULL_LOGIN_REQUIRED',
  'PIN_WRONG',
  'PIN_ATTEMPTS_EXHAUSTED',
  'DEVICE_NOT_BOUND',
  'REFRESH_TOKEN_INVALID',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
  'REFRESH_TOKEN_REUSED',
  // Codes and links (identity)
  'CODE_INVALID',
  'CODE_ATTEMPTS_EXHAUSTED',
  'CODE_EXPIRED',
  // Registration, passwords and contacts (identity)
  'NAME_REQUIRED',
  'NAME_INVALID',
  'CONTACT_REQUIRED',
  'ONE_CONTACT_ONLY',
  'PHONE_INVALID',
  'EMAIL_INVALID',
  'PHONE_TAKEN',
  'EMAIL_TAKEN',
  'REGISTRATION_NOT_FOUND',
  'CONTACT_NOT_CONFIRMED',
  'PASSWORD_TOO_SHORT',
  'PASSWORD_TOO_LONG',
  'PASSWORD_INVALID_CHARACTERS',
  'PASSWORD_MISSING_LOWERCASE',
  'PASSWORD_MISSING_UPPERCASE',
  'PASSWORD_MISSING_DIGIT',
  'PASSWORD_TOO_COMMON',
  'PASSWORD_CONTAINS_PERSONAL_DATA',
  'PASSWORD_MISMATCH',
  'WRONG_PASSWORD',
  'PHONE_REQUIRED',
  'NO_CONFIRMED_CONTACTS',
  'ACCOUNT_NOT_FOUND',
  'NO_TEMPORARY_PASSWORD',
  // Account levels (identity)
  'STANDARD_LEVEL_REQUIRED',
  'ALREADY_CONFIRMED',
  'DOCUMENT_MISMATCH',
  'POSTAL_ADDRESS_INVALID',
  'LETTERS_UNAVAILABLE',
  'LETTER_NOT_SENT',
  'LETTER_TOO_SOON',
  'NO_LETTER_ORDERED',
  'CHALLENGE_EXPIRED',
  'SIGNATURE_SNILS_MISMATCH',
  'CERTIFICATE_UNREADABLE',
  'SIGNATURE_UNREADABLE',
  'UNSUPPORTED_ALGORITHM',
  'CERTIFICATE_NOT_YET_VALID',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_FOR_SIGNING',
  'CERTIFICATE_SELF_SIGNED',
  'CERTIFICATE_UNTRUSTED',
  'ISSUER_NOT_CA',
  'ISSUER_NOT_YET_VALID',
  'ISSUER_EXPIRED',
  'CERTIFICATE_CHAIN_INVALID',
  'SIGNATURE_INVALID',
  // Fields of a form (profile, notifications, appeals)
  'REQUIRED',
  'INVALID_FORMAT',
  'TOO_SHORT',
  'TOO_LONG',
  'INVALID_CHECKSUM',
  'CHECKSUM_WARNING',
  'DATE_IN_FUTURE',
  'DATE_TOO_EARLY',
  'EXPIRY_BEFORE_ISSUE',
  'INVALID_REGION',
  'ONE_OF_REQUIRED',
  'CHILD_TOO_OLD',
  'NOT_FOUND',
  // Profile
  'ONE_DOCUMENT_REQUIRED',
  'DATA_UNDER_CHECK',
  'DATA_CHECK_INCOMPLETE',
  // Notifications
  'SECURITY_CHANNEL_REQUIRED',
  'DUPLICATE_KIND',
  'UNKNOWN_TIME_ZONE',
  'DELIVERY_WINDOW_EMPTY',
  'DELIVERY_WINDOW_CONFLICT',
  'TOO_MANY_ITEMS',
  'CATEGORY_NOT_ALLOWED',
  // Appeals
  'CONFIRMED_LEVEL_REQUIRED',
  'TOO_MANY_ATTACHMENTS',
  'FILE_TOO_LARGE',
  'FILE_TYPE_NOT_ALLOWED',
  'NO_AUTHORITY_FOR_PLACE',
  'TRANSITION_NOT_ALLOWED',
  'ALREADY_EXTENDED',
  'ALREADY_REOPENED',
  'EXTENSION_TOO_LONG',
  'EXTENSION_DAYS_INVALID',
  'EXTENSION_NOT_ALLOWED',
  'REDIRECT_TOO_LATE',
  'SAME_AUTHORITY',
  'INVALID_RATING',
  'REOPEN_NOT_ALLOWED',
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** Every code the graph returns, of either kind. */
export type ErrorCode = GraphQLErrorCode | UserErrorCode;

/** A GraphQL error with its code; `options` for its nodes, path or further extensions (`extensions.code` is always `code`). */
export function graphQLError(code: GraphQLErrorCode, message: string, options: GraphQLErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, { ...options, extensions: { ...options.extensions, code } });
}

export const unauthenticated = (message = 'Войдите на портал, чтобы продолжить.') => graphQLError('UNAUTHENTICATED', message);

export const forbidden = (message = 'Недостаточно прав для просмотра этих данных.') => graphQLError('FORBIDDEN', message);

/**
 * Something the service depends on (its database, identity's signing keys) cannot be reached: the
 * same request may succeed later, so a client retries instead of sending the person to sign in.
 */
export const serviceUnavailable = (message = 'Сервис временно недоступен. Повторите попытку позже.') => graphQLError('SERVICE_UNAVAILABLE', message);

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
export const connectionFailure = (error: unknown): Error | null => causeWithCode(error, (code) => CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code));

/** The first error in `error`'s cause chain (and an AggregateError's errors) whose string `code` matches. */
function causeWithCode(error: unknown, matches: (code: string) => boolean): Error | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && matches(code)) return cause;
    if (cause instanceof AggregateError)
      for (const each of cause.errors) {
        const found = causeWithCode(each, matches);
        if (found) return found;
      }
  }
  return null;
}
const CONNECTION_CODES = new Set([
  // lib/deadline.ts: work rolled back because the gateway stopped waiting (it told the client to retry)
  'DEADLINE_PASSED',
  // postgres.js (a connection lost, ended under a query, or not opened in time)
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // Node's sockets and name lookups
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Class 08 (connection exception), 57P01–57P03 (admin or crash shutdown, starting up), 53300 (too many connections). */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

export const INTERNAL_ERROR_MESSAGE = 'Внутренняя ошибка сервиса. Попробуйте позже.';

export const UNREADABLE_VALUE_MESSAGE = 'Значение записано в неверном формате (например, идентификатор не того вида): такой записи нет.';

/**
 * The database's refusal to read a value as its column's type (SQLSTATE 22P02 invalid text
 * representation, 22003 out of range, 22007/22008 a date): only a client's value gets there
 * unchecked (an id of another form than a uuid, lib/ids.ts), so it is the caller's mistake, not a
 * bug. The subgraphs check the ids they look up; this is the net under what they miss.
 */
const unreadableValue = (error: unknown): Error | null => causeWithCode(error, (code) => /^22(P02|003|007|008)$/.test(code));

/**
 * What a client gets for an error without a code of ours: SERVICE_UNAVAILABLE when a connection
 * failed (an outage: retry), else the masked INTERNAL_SERVER_ERROR (a bug). `cause` is what the
 * caller logs (lib/log.ts): for an outage only its connection error (a query's text and parameters
 * stay out), for a bug the error itself.
 */
export function maskedError(error: unknown): { message: string; extensions: { code: Extract<GraphQLErrorCode, 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR' | 'BAD_USER_INPUT'> }; cause: unknown } {
  const failure = connectionFailure(error);
  if (failure) return { message: serviceUnavailable().message, extensions: { code: 'SERVICE_UNAVAILABLE' }, cause: failure };
  const unreadable = unreadableValue(error);
  if (unreadable) return { message: UNREADABLE_VALUE_MESSAGE, extensions: { code: 'BAD_USER_INPUT' }, cause: unreadable };
  return { message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' }, cause: error };
}

export const badUserInput = (message: string) => graphQLError('BAD_USER_INPUT', message);

/** Too many attempts or sends: `retryAfterSeconds` tells a client when to offer the action again. */
export const rateLimited = (message: string, retryAfterSeconds: number) => graphQLError('RATE_LIMITED', message, { extensions: { retryAfterSeconds } });

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
  code: UserErrorCode;
  message: string;
}

export const userError = (code: UserErrorCode, message: string, field: string[] | null = null): UserError => ({
  field,
  code,
  message,
});
