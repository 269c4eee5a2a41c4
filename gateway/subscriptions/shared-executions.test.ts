import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { replays, SharedExecutions, shareKey, type SharedSource } from './shared-executions.ts';
import type { UpstreamEvent } from './upstream.ts';
import type { UpstreamSink } from './upstream.ts';

/** An upstream that records subscriptions and executions, and lets the test send events and ends. */
function upstream() {
  const sinks: UpstreamSink[] = [];
  let unsubscribed = 0;
  let executed = 0;
  const source = (): SharedSource => ({
    execute: async (event) => ({ data: { executed: ++executed, event: event.data } }),
    subscribe: (sink) => {
      sinks.push(sink);
      return () => void unsubscribed++;
    },
  });
  return { source, sinks, unsubscribed: () => unsubscribed, executed: () => executed };
}

function subscriber() {
  const heard: string[] = [];
  const events: UpstreamEvent[] = [];
  const sink: UpstreamSink = { next: (event) => void events.push(event), error: (failure) => void heard.push(`error ${failure.kind}`), complete: () => void heard.push('complete') };
  return { sink, events, heard };
}

const plan = {};
const key = shareKey('Bearer anna', 'subscription { notificationAdded { node { id } } }', null, {});

describe('SharedExecutions', () => {
  it('runs identical subscriptions on one upstream subscription and one execution per event; the last one leaving unsubscribes', async () => {
    const shared = new SharedExecutions();
    const up = upstream();
    const [a, b] = [subscriber(), subscriber()];
    const first = shared.join(key, plan, up.source);
    const leaveA = first.add(a.sink);
    const second = shared.join(key, plan, up.source);
    const leaveB = second.add(b.sink);
    expect([up.sinks.length, shared.stats()]).toEqual([1, { shared: 1, subscribers: 2 }]);

    const event = { data: { id: '1' } };
    up.sinks[0]!.next(event);
    expect([a.events, b.events]).toEqual([[event], [event]]);
    const results = await Promise.all([first.run(a.events[0]!), second.run(b.events[0]!)]);
    expect(results).toEqual([{ data: { executed: 1, event: { id: '1' } } }, { data: { executed: 1, event: { id: '1' } } }]);

    leaveA();
    up.sinks[0]!.next({ data: { id: '2' } });
    expect([a.events.length, b.events.length, up.unsubscribed()]).toEqual([1, 2, 0]);
    leaveB();
    expect([up.unsubscribed(), shared.stats()]).toEqual([1, { shared: 0, subscribers: 0 }]);
  });

  it('keeps callers, operations and plans apart, and never shares what has no key', () => {
    const shared = new SharedExecutions();
    const up = upstream();
    shared.join(key, plan, up.source).add(subscriber().sink);
    shared.join(shareKey('Bearer boris', 'subscription { notificationAdded { node { id } } }', null, {}), plan, up.source).add(subscriber().sink);
    shared.join(shareKey('Bearer anna', 'subscription { unreadCountChanged { unreadCount } }', null, {}), plan, up.source).add(subscriber().sink);
    shared.join(key, {}, up.source).add(subscriber().sink);
    shared.join(null, plan, up.source).add(subscriber().sink);
    shared.join(null, plan, up.source).add(subscriber().sink);
    expect(up.sinks).toHaveLength(6);
  });

  it('tells every subscriber how the upstream subscription ended, and the next identical subscription starts afresh', () => {
    const shared = new SharedExecutions();
    const up = upstream();
    const [a, b] = [subscriber(), subscriber()];
    shared.join(key, plan, up.source).add(a.sink);
    shared.join(key, plan, up.source).add(b.sink);
    up.sinks[0]!.error({ kind: 'closed', code: 1012, reason: 'restart' });
    expect([a.heard, b.heard, shared.stats()]).toEqual([['error closed'], ['error closed'], { shared: 0, subscribers: 0 }]);
    shared.join(key, plan, up.source).add(subscriber().sink);
    expect(up.sinks).toHaveLength(2);
  });
});

describe('replays', () => {
  const operation = (text: string) => parse(text).definitions[0] as OperationDefinitionNode;
  it('is true when a root field is given a cursor, by literal or by a variable with a value', () => {
    expect(replays(operation('subscription { notificationAdded(after: "c1") { cursor } }'), {})).toBe(true);
    expect(replays(operation('subscription ($after: String) { notificationAdded(after: $after) { cursor } }'), { after: 'c1' })).toBe(true);
    expect(replays(operation('subscription ($after: String) { notificationAdded(after: $after) { cursor } }'), { after: null })).toBe(false);
    expect(replays(operation('subscription ($after: String) { notificationAdded(after: $after) { cursor } }'), {})).toBe(false);
    expect(replays(operation('subscription { notificationAdded(after: null) { cursor } }'), {})).toBe(false);
    expect(replays(operation('subscription { appealStatusChanged(appealId: "a1") { status } }'), {})).toBe(false);
  });
});
