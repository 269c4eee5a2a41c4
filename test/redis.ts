import { Redis } from 'ioredis';

/** The Redis the tests that need one use (CI runs one on this machine kind). */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Asked once per file: null when a Redis answers at REDIS_URL, else why its tests are skipped. */
export async function probeRedis(): Promise<string | null> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  let cause = '';
  client.on('error', (error: Error) => {
    cause ||= error.message;
  });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return `Redis not reachable at ${REDIS_URL} (${cause || (error as Error).message})`;
  } finally {
    client.disconnect();
  }
}

/** A describe title that says where its Redis is, or why it is skipped. */
export const redisTitle = (title: string, skip: string | null) => (skip ? `${title} (skipped: ${skip})` : `${title} at ${REDIS_URL}`);
