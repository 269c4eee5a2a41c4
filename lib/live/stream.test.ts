import { describe, expect, it, vi } from 'vitest';
import { closeReason, LIVE_ENDS } from './ends.ts';
import { GraphQLError } from './graphql.ts';
import { EventQueue, LiveStream } from './stream.ts';

describe('EventQueue: one subscription’s bounded buffer', () => {
  it('hands events over in order, to a waiting reader at once', async () => {
    const queue = new EventQueue<number>({ limit: 3, onOverflow: () => {} });
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect([await waiting, await queue.next(), await queue.next()]).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
    ]);
  });

  it('ends and calls onOverflow when a slow reader lets `limit` events pile up', async () => {
    const calls: string[] = [];
    const queue = new EventQueue<number>({ limit: 2, onOverflow: () => calls.push('overflow'), onEnd: () => calls.push('end') });
    expect([queue.push(1), queue.push(2), queue.push(3), queue.push(4)]).toEqual([true, true, false, false]);
    expect(calls).toEqual(['end', 'overflow']);
    expect(await queue.next()).toEqual({ done: true, value: undefined });
  });

  it('ends a waiting next() at once on return(), so a closed socket lets go without waiting for an event', async () => {
    let ended = 0;
    const queue = new EventQueue<number>({ limit: 2, onOverflow: () => {}, onEnd: () => ended++ });
    const waiting = queue.next();
    await queue.return();
    await queue.return();
    expect([await waiting, ended, queue.push(1)]).toEqual([{ done: true, value: undefined }, 1, false]);
  });

  it('passes a failure to the reader, waiting or not', async () => {
    const waitingQueue = new EventQueue<number>({ limit: 2, onOverflow: () => {} });
    const waiting = waitingQueue.next();
    waitingQueue.fail(new Error('replay failed'));
    await expect(waiting).rejects.toThrow('replay failed');

    const idle = new EventQueue<number>({ limit: 2, onOverflow: () => {} });
    idle.fail(new Error('replay failed'));
    await expect(idle.next()).rejects.toThrow('replay failed');
    expect(await idle.next()).toEqual({ done: true, value: undefined });
  });

  it('lets a producer that can wait (a replay) wait for room instead of overflowing', async () => {
    const queue = new EventQueue<number>({ limit: 2, onOverflow: () => {} });
    queue.push(1);
    queue.push(2);
    let roomy = false;
    const room = queue.roomFor(1).then(() => (roomy = true));
    await Promise.resolve();
    expect(roomy).toBe(false);
    await queue.next();
    await room;
    expect(roomy).toBe(true);
  });
});

/** The gateway's use: the bounded queue between an upstream subscription and a client's transport. */
function stream(limit = 2) {
  const onOverflow = vi.fn();
  const onEnd = vi.fn();
  const unsubscribe = vi.fn();
  const run = vi.fn(async (payload: { data?: unknown }) => ({ data: { executed: payload.data } as Record<string, unknown> }));
  const created = new LiveStream(run, { limit, onOverflow, onEnd });
  created.start(() => unsubscribe);
  return { stream: created, onOverflow, onEnd, unsubscribe, run };
}

describe('LiveStream: a subscription whose events are worked on as the transport reads them', () => {
  it('executes events in order as the transport reads them', async () => {
    const { stream: s, run } = stream();
    s.push({ kind: 'event', payload: { data: { n: 1 } } });
    s.push({ kind: 'event', payload: { data: { n: 2 } } });
    expect(run).not.toHaveBeenCalled();
    expect(await s.next()).toEqual({ done: false, value: { data: { executed: { n: 1 } } } });
    expect(await s.next()).toEqual({ done: false, value: { data: { executed: { n: 2 } } } });
  });

  it('drops a client that lets more events wait than the limit, and lets go of the upstream subscription', async () => {
    const { stream: s, onOverflow, unsubscribe, onEnd } = stream(2);
    for (const n of [1, 2, 3]) s.push({ kind: 'event', payload: { data: { n } } });
    expect(onOverflow).toHaveBeenCalledTimes(1);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });

  it('sends what is queued when the upstream completes, then ends', async () => {
    const { stream: s, unsubscribe } = stream();
    s.push({ kind: 'event', payload: { data: { n: 1 } } });
    s.finish();
    expect(await s.next()).toMatchObject({ done: false });
    expect(await s.next()).toEqual({ done: true, value: undefined });
    expect(unsubscribe).not.toHaveBeenCalled(); // the upstream had already completed
  });

  it('ends at once on return(), even while a read waits, and unsubscribes upstream', async () => {
    const { stream: s, unsubscribe } = stream();
    const waiting = s.next();
    await s.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    s.push({ kind: 'event', payload: { data: {} } });
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });

  it('ends after the errors of a subgraph that refused the operation', async () => {
    const { stream: s } = stream();
    const error = new GraphQLError('нет');
    s.push({ kind: 'errors', errors: [error] });
    s.finish();
    expect(await s.next()).toEqual({ done: false, value: { errors: [error] } });
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });
});

describe('closeReason', () => {
  it('keeps a reason within the 123 bytes a close frame allows, cutting at a character', () => {
    const long = 'Ж'.repeat(100);
    expect(Buffer.byteLength(closeReason(long))).toBe(122);
    for (const reason of Object.values(LIVE_ENDS).map((end) => end.reason)) expect(closeReason(reason)).toBe(reason);
    expect(closeReason('Срок действия сессии истёк. Обновите токен или войдите снова.')).toBe('Срок действия сессии истёк. Обновите токен или войдите снова.');
  });
});
