import { connect } from 'nats';

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
