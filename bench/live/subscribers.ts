import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/**
 * Thousands of graphql-ws subscribers in one process, as light as the protocol allows: a bare
 * `ws` socket speaking `graphql-transport-ws` (connection_init with the token, one subscribe, pong to
 * ping), no client library in between, so the receive time is taken the moment a message is parsed.
 */
export interface Receipt {
  subscriber: number;
  itemId: string;
  /** performance.now() when the message was read. */
  at: number;
  /** False for an event with errors or missing parts (`isComplete`): delivered, but not whole. */
  complete: boolean;
}

export interface Subscriber {
  readonly index: number;
  readonly person: number;
  /** Why the socket or the subscription ended while it should not have, if it did. */
  readonly failure: string | null;
  close(): void;
}

export interface SubscriberPool {
  subscribers: Subscriber[];
  /** Every `next` received, in order of arrival. */
  receipts: Receipt[];
  /** Messages that were not a complete `next` (errors, missing parts, completes), with the subscriber that got them. */
  unexpected: { subscriber: number; message: string }[];
  closeAll(): Promise<void>;
}

/**
 * Opens `tokens.length × perPerson` connections to `url` (at most `concurrency` handshakes at a
 * time), each with one subscription to `query`, and resolves once every one is acknowledged.
 * `itemIdOf` picks the feed item's id out of a `next` payload; `isComplete` tells whether it is whole.
 */
export async function openSubscribers({
  url,
  tokens,
  perPerson,
  query,
  itemIdOf,
  isComplete = () => true,
  headers,
  concurrency = 100,
}: {
  url: string;
  tokens: string[];
  perPerson: number;
  query: string;
  itemIdOf: (data: unknown) => string | undefined;
  isComplete?: (data: unknown) => boolean;
  /** Headers of the upgrade for a token (a subgraph wants the gateway's credential on it). */
  headers?: (authorization: string) => Record<string, string>;
  concurrency?: number;
}): Promise<SubscriberPool> {
  const receipts: Receipt[] = [];
  const unexpected: SubscriberPool['unexpected'] = [];
  const subscribers: Subscriber[] = [];
  const sockets: WebSocket[] = [];
  const total = tokens.length * perPerson;

  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      // Connections of one person are spread over the run, as tabs and devices are.
      const person = index % tokens.length;
      const authorization = `Bearer ${tokens[person]}`;
      const socket = new WebSocket(url, 'graphql-transport-ws', headers ? { headers: headers(authorization) } : {});
      sockets.push(socket);
      const subscriber = { index, person, failure: null as string | null, close: () => socket.close(1000) };
      subscribers.push(subscriber);
      let subscribed = false;
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
      });
      socket.on('message', (raw) => {
        const at = performance.now();
        const message = JSON.parse(raw.toString()) as { type: string; payload?: { data?: unknown; errors?: unknown } };
        if (message.type === 'next') {
          const itemId = itemIdOf(message.payload?.data);
          const complete = !message.payload?.errors && isComplete(message.payload?.data);
          if (itemId) receipts.push({ subscriber: index, itemId, at, complete });
          if (!itemId || !complete) unexpected.push({ subscriber: index, message: raw.toString() });
        } else if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
          // graphql-ws sends nothing on a started subscription: the first event or a failure tells.
          subscribed = true;
          resolve();
        } else if (message.type === 'ping') {
          socket.send('{"type":"pong"}');
        } else if (message.type !== 'pong') {
          unexpected.push({ subscriber: index, message: raw.toString() });
        }
      });
      socket.on('close', (code, reason) => {
        if (code !== 1000) subscriber.failure = `closed ${code} ${reason.toString()}`;
        if (!subscribed) reject(new Error(`subscriber ${index}: ${subscriber.failure ?? 'closed before connection_ack'}`));
      });
      socket.on('error', (error) => {
        subscriber.failure = error.message;
        if (!subscribed) reject(error);
      });
    });

  const closeAll = () =>
    Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            socket.once('close', () => resolve());
            socket.close(1000);
          }),
      ),
    ).then(() => {});

  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, total) }, async () => {
        while (next < total) await open(next++);
      }),
    );
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { subscribers, receipts, unexpected, closeAll };
}
