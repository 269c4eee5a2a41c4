import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { afterAll } from 'vitest';
import type { EventBus } from '../lib/events/bus.ts';
import { startNatsEventBus } from '../lib/events/nats.ts';

/** Where the NATS tests look for a server with JetStream. */
export const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** Why the NATS tests cannot run here, or null when a server with JetStream answers. */
export async function natsUnavailable(): Promise<string | null> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 1_000, reconnect: false });
    try {
      await (await nc.jetstreamManager({ timeout: 1_000 })).getAccountInfo();
      return null;
    } catch {
      return `NATS at ${NATS_URL} has no JetStream`;
    } finally {
      await nc.close();
    }
  } catch {
    return `NATS not reachable at ${NATS_URL}`;
  }
}

/**
 * NATS buses on a stream of their own (`EPGU_<NAME>_TEST_<run>`), for the describe block that calls
 * it: each `start()` is one more client, as another process would have. The clients close and the
 * stream is deleted after the block.
 */
export function natsTestBuses(name: string): { start: () => Promise<EventBus> } {
  const run = randomUUID().slice(0, 8);
  const stream = `EPGU_${name.toUpperCase()}_TEST_${run}`;
  const buses: EventBus[] = [];
  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    const nc = await connect({ servers: NATS_URL });
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => {});
    await nc.close();
  });
  return {
    async start() {
      const bus = await startNatsEventBus({ servers: NATS_URL, stream, subjectPrefix: `epgu-${name}-test.${run}`, onError: () => {} });
      buses.push(bus);
      return bus;
    },
  };
}
