import { GraphQLError } from 'graphql';

/**
 * Errors that are not a person's fixable mistake travel as GraphQL errors with a stable
 * `extensions.code`; the list of codes is in docs/errors.md. Messages are for people, in Russian.
 */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND';

export function graphQLError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export const unauthenticated = (message = 'Войдите на портал, чтобы продолжить.') =>
  graphQLError('UNAUTHENTICATED', message);

export const forbidden = (message = 'Недостаточно прав для просмотра этих данных.') =>
  graphQLError('FORBIDDEN', message);

export const badUserInput = (message: string) => graphQLError('BAD_USER_INPUT', message);

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
