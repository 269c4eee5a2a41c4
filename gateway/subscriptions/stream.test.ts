import { describe, expect, it, vi } from 'vitest';
import { FederatedStream } from './execute.ts';
import { GraphQLError } from './graphql.ts';

/** The bounded queue between an upstream subscription and a client's transport. */
function stream(limit = 2) {
  const onOverflow = vi.fn();
  const onEnd = vi.fn();
  const unsubscribe = vi.fn();
  const run = vi.fn(async (payload: { data?: unknown }) => ({ data: { executed: payload.data } as Record<string, unknown> }));
  const created = new FederatedStream(run, { limit, onOverflow, onEnd });
  created.start(() => unsubscribe);
  return { stream: created, onOverflow, onEnd, unsubscribe, run };
}

describe('FederatedStream', () => {
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
