import type { Server } from 'node:http';
import type { LiveConnections } from '../../lib/live/connection.ts';
import { serveGraphQLWs } from '../../lib/live/graphql-ws.ts';
import { ONLY_SUBSCRIPTIONS, type ClientConnection, type FederatedSubscriptions, type GatewayCaller } from './execute.ts';
import type { ClientAddress } from './http.ts';
import { getOperationAST } from '../../lib/live/graphql.ts';
import { LOADING, type PlanningSchemas, type SubscriptionPlanner } from './planner.ts';
import type { RequestPreparer } from './validation.ts';
import { graphQLError } from '../../lib/errors.ts';
import { trustedText, type TrustedDocuments } from '../trusted-documents.ts';

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's `/graphql`: what Apollo Client's
 * `GraphQLWsLink` and Apollo Explorer speak. The live core's graphql-ws adapter (lib/live/graphql-ws.ts)
 * with the gateway's caller (its address and browser), validation and execution.
 */
export interface WsTransportOptions {
  connections: LiveConnections<GatewayCaller>;
  subscriptions: FederatedSubscriptions;
  planner: SubscriptionPlanner;
  prepare: RequestPreparer;
  path: string;
  keepAliveMs: number;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  clientAddress: ClientAddress;
  /** Only these documents run (by hash or exact text), as on /graphql's HTTP transports; unset: any. */
  trustedDocuments?: TrustedDocuments | undefined;
}

/** What a validated subscription carries to `subscribe`: its connection and the supergraph it was validated with. */
type SubscriptionContextValue = { connection: ClientConnection; schemas: PlanningSchemas };

export function serveWebSocket(server: Server, options: WsTransportOptions): () => Promise<void> {
  const { subscriptions, planner, prepare } = options;
  return serveGraphQLWs(server, {
    ...options,
    caller: ({ viewer, authorization }, request) => ({ viewer, authorization, clientAddress: options.clientAddress(request), userAgent: request.headers['user-agent'] }),
    prepare(connection, payload) {
      // Before anything parses it: Apollo Client's persisted-queries link sends the hash in `extensions` here too.
      const query = options.trustedDocuments ? trustedText(options.trustedDocuments, payload) : payload.query;
      if (typeof query !== 'string') return [query];
      if (!planner.ready) return [graphQLError('SERVICE_UNAVAILABLE', LOADING)];
      const schemas = planner.schemas();
      const { document, errors } = prepare(schemas.schema, query, payload);
      if (!document) return errors;
      if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
        return [graphQLError('BAD_USER_INPUT', ONLY_SUBSCRIPTIONS)];
      }
      const contextValue: SubscriptionContextValue = { connection, schemas };
      return { schema: schemas.schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null, contextValue };
    },
    subscribe: (args) => {
      const { connection, schemas } = args.contextValue as SubscriptionContextValue;
      return subscriptions.subscribe({ document: args.document, operationName: args.operationName, variables: args.variableValues as Record<string, unknown> | null, connection, schemas });
    },
  });
}
