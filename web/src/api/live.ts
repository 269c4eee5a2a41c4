/**
 * Live streams that miss nothing (docs/subscriptions.md, "No loss across reconnects"). Each event's
 * `cursor` is written into the operation's own `variables.after`: graphql-ws resubscribes after a
 * dropped connection with that same payload, so the subgraph replays what came meanwhile. A stream
 * the gateway ends because the access token expired (4401, which graphql-ws never retries) is
 * started again here after a refresh, with the same `after`: the token changes, the stream goes on
 * (a stream without `after`, the unread counts, starts again from its next event).
 */
import { ApolloLink, Observable, type FetchResult } from '@apollo/client';
import { getMainDefinition } from '@apollo/client/utilities';
import { refresh } from './session.ts';

const TOKEN_EXPIRED = /4401 Срок действия токена истёк/;

function cursorOf(result: FetchResult): string | undefined {
  const field: unknown = result.data && Object.values(result.data)[0];
  const cursor = field && typeof field === 'object' ? (field as { cursor?: unknown }).cursor : undefined;
  return typeof cursor === 'string' ? cursor : undefined;
}

export const resumingStreams = new ApolloLink((operation, forward) => {
  const definition = getMainDefinition(operation.query);
  if (definition.kind !== 'OperationDefinition' || definition.operation !== 'subscription') return forward(operation);
  const resumes = definition.variableDefinitions?.some((variable) => variable.variable.name.value === 'after') ?? false;
  // The stream's own copy: the component's variables stay as it gave them.
  operation.variables = { ...operation.variables };
  return new Observable<FetchResult>((observer) => {
    let stream: { unsubscribe(): void } | undefined;
    let stopped = false;
    const start = () => {
      stream = forward(operation).subscribe({
        next(result) {
          const cursor = cursorOf(result);
          if (resumes && cursor) operation.variables.after = cursor;
          observer.next(result);
        },
        error(error: Error) {
          if (stopped) return;
          if (!TOKEN_EXPIRED.test(error.message)) return observer.error(error);
          void refresh().then((token) => (token ? start() : observer.error(error)));
        },
        complete: () => observer.complete(),
      });
    };
    start();
    return () => {
      stopped = true;
      stream?.unsubscribe();
    };
  });
});
