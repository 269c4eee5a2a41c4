import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';

/**
 * `gateway` with its executor wrapped: what Apollo Server calls to run an operation once it has
 * parsed, validated and admitted it (gateway/authorization.ts, gateway/operation-dedup.ts).
 */
export function wrappingExecutor(gateway: GatewayInterface, wrap: (inner: GatewayExecutor) => GatewayExecutor): GatewayInterface {
  return {
    ...gateway,
    // ApolloGateway's methods live on its prototype, which a spread leaves behind.
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      return loaded.executor ? { ...loaded, executor: wrap(loaded.executor) } : loaded;
    },
  };
}
