import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../../lib/gateway-credential.ts';
import type { LivePerson } from './audience.ts';
import { percentile } from './producer.ts';

/**
 * The entity fetch each feed event costs, sent straight to the appeals subgraph a few times a second
 * while the live feed runs (signed like the gateway signs it): how long appeals itself takes to answer
 * under that load, apart from the gateway.
 */
const ENTITY_QUERY = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Appeal{number status authority{name}}}}';

export function probeEntityFetches({ appealsUrl, secret, people, perSecond = 20 }: { appealsUrl: string; secret: string; people: LivePerson[]; perSecond?: number }) {
  const latencies: number[] = [];
  let failures = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const running = (async () => {
    for (let n = 0; !stopped; n++) {
      const { token, appealId } = people[(n * 7) % people.length]!;
      const authorization = `Bearer ${token}`;
      const variables = { representations: [{ __typename: 'Appeal', id: appealId }] };
      const started = performance.now();
      const probe = (async () => {
        const credential = await signGatewayCredential(secret, { subgraph: 'appeals', authorization, query: ENTITY_QUERY, variables });
        const response = await fetch(appealsUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization, [GATEWAY_CREDENTIAL_HEADER]: credential },
          body: JSON.stringify({ query: ENTITY_QUERY, variables }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (!response.ok || body.errors) failures++;
        else latencies.push(performance.now() - started);
      })()
        .catch(() => void failures++)
        .finally(() => inFlight.delete(probe));
      inFlight.add(probe);
      await sleep(1000 / perSecond);
    }
  })();
  return {
    async stop(): Promise<{ p50: number; p99: number; count: number; failures: number }> {
      stopped = true;
      await running;
      await Promise.all(inFlight);
      const sorted = [...latencies].sort((a, b) => a - b);
      return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), count: sorted.length, failures };
    },
  };
}
