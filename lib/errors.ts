import { GraphQLError } from 'graphql';

/**
 * Errors that are not a person's fixable mistake travel as GraphQL errors with a stable
 * `extensions.code`; the list of codes is in docs/errors.md. Messages are for people, in Russian.
 */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RATE_LIMITED' | 'SESSION_REVOKED' | 'ACCOUNT_DELETED';

export function graphQLError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export const unauthenticated = (message = 'Войдите на портал, чтобы продолжить.') =>
  graphQLError('UNAUTHENTICATED', message);

/**
 * A token refused while a request's context is built (bad, expired, its session ended) fails the
 * whole request with 401, so clients know to refresh or sign in again, and the gateway passes a
 * subgraph's refusal on with its code (a 500 would read as the subgraph being down).
 */
export const refusedToken = (error: unknown): unknown =>
  error instanceof GraphQLError ? new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } }) : error;

export const forbidden = (message = 'Недостаточно прав для просмотра этих данных.') =>
  graphQLError('FORBIDDEN', message);

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
