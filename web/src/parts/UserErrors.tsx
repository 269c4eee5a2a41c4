/** A mutation's `errors` (docs/api.md, "Errors of mutations") and transport failures, as text. */
import type { ApolloError } from '@apollo/client';

export function UserErrors({ errors, failure }: { errors?: readonly { message: string }[] | null | undefined; failure?: ApolloError | undefined }) {
  const messages = [...(errors ?? []).map((error) => error.message), ...(failure ? [failure.message] : [])];
  if (!messages.length) return null;
  return (
    <ul className="errors" role="alert">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
