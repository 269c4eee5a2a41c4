import { buildASTSchema, parse } from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../lib/auth.ts';
import type { EventBus, EventHandler } from '../lib/events/bus.ts';
import { newEvent } from '../lib/events/catalogue.ts';
import { readCommittedSupergraph } from '../schema/compose.ts';
import { EventEmitter } from 'node:events';
import { entitiesFetchPolicy, isSiblingInvalidation, memoryEntityStore, sharedWithSiblings, startEntityCache, type EntityCacheStore } from './entity-cache.ts';

const supergraphSdl = readCommittedSupergraph();
const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
const entities = (selection: string) => `query($representations:[_Any!]!){_entities(representations:$representations){${selection}}}`;

describe('entitiesFetchPolicy', () => {
  it("keeps a person's profile fields for the SDL's maxAge, per caller", () => {
    expect(entitiesFetchPolicy(schema, entities('...on User{profile{lastName firstName}documents{id type verification{status}}}'))).toEqual({ maxAge: 300, scope: 'PRIVATE' });
  });

  it("keeps an appeal by its type's hint, what is under it included", () => {
    expect(entitiesFetchPolicy(schema, entities('...on Appeal{id number status authority{name}timeline{at action}}'))).toEqual({ maxAge: 300, scope: 'PRIVATE' });
  });

  it('never keeps a fetch with a value that depends on the clock (isOverdue: maxAge 0), however deep', () => {
    expect(entitiesFetchPolicy(schema, entities('...on Appeal{id isOverdue}'))).toBeNull();
    expect(entitiesFetchPolicy(schema, entities('...on User{appeals(first:5){totalCount edges{node{id isOverdue}}}}'))).toBeNull();
    expect(entitiesFetchPolicy(schema, entities('...on User{appeals(first:5){totalCount edges{node{id status}}}}'))).toEqual({ maxAge: 300, scope: 'PRIVATE' });
  });

  it('never keeps fields without a hint: the feed and its unread counts', () => {
    expect(entitiesFetchPolicy(schema, entities('...on User{notifications(first:5){unreadCount}}'))).toBeNull();
    // One field without a hint is enough.
    expect(entitiesFetchPolicy(schema, entities('...on User{profile{lastName}notifications(first:5){unreadCount}}'))).toBeNull();
  });

  it('follows named fragments, and keeps nothing but entity fetches', () => {
    expect(entitiesFetchPolicy(schema, `${entities('...on User{...P}')} fragment P on User { profile { lastName } }`)).toEqual({ maxAge: 300, scope: 'PRIVATE' });
    expect(entitiesFetchPolicy(schema, '{ me { id } }')).toBeNull();
    expect(entitiesFetchPolicy(schema, 'mutation { logout { errors { code } } }')).toBeNull();
  });
});

const PROFILE = entities('...on User{profile{lastName}}');
const anna: Viewer = { userId: '00000000-0000-4000-8000-00000000000a', level: 'CONFIRMED', roles: [], sessionId: 's1', service: null };
const boris: Viewer = { ...anna, userId: '00000000-0000-4000-8000-00000000000b' };
const user = (id: string) => ({ __typename: 'User', id });

/** A profile subgraph that answers each person's last name from `names`, counting what it was asked; `hold` keeps the next answer until released. */
function profileSubgraph(names: Map<string, string>) {
  const asked: string[][] = [];
  let held: Promise<void> | null = null;
  const source: GraphQLDataSource = {
    async process(options) {
      const representations = options.request.variables!.representations as { id: string }[];
      asked.push(representations.map(({ id }) => id));
      // Read before waiting, as a subgraph reads its row before its answer travels back.
      const answer = representations.map(({ id }) => (names.has(id) ? { profile: { lastName: names.get(id) } } : null));
      const errors = representations.flatMap(({ id }, index) => (id === 'broken' ? [{ message: 'сбой', path: ['_entities', index], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] : []));
      if (held) await held;
      return { data: { _entities: answer }, ...(errors.length ? { errors } : {}) } as GatewayGraphQLResponse;
    },
  };
  return {
    source,
    asked,
    hold() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = null;
        release();
      };
    },
  };
}

/** A bus that hands the cache's handler to the test, to deliver `profile.entities-changed` when it likes. */
function testBus() {
  let handler: EventHandler | null = null;
  const bus = {
    subscribe: (_name: string, _types: unknown, given: EventHandler) => {
      handler = given;
      return { ready: async () => {}, pending: async () => 0, stop: async () => {} };
    },
    publish: async () => {},
    close: async () => {},
  } as unknown as EventBus;
  const changed = (...ids: string[]) => handler!(newEvent('profile.entities-changed', { entities: ids.map((id) => ({ type: 'User', id })) }) as never);
  return { bus, changed };
}

async function cacheOver(names: Map<string, string>, store: EntityCacheStore = memoryEntityStore()) {
  const subgraph = profileSubgraph(names);
  const { bus, changed } = testBus();
  const cache = await startEntityCache({ supergraphSdl, store, bus });
  const source = cache.dataSource('profile', subgraph.source);
  const fetch = (viewer: Viewer, ids: string[], query = PROFILE) =>
    source.process({ kind: 'incoming operation', request: { query, variables: { representations: ids.map(user) } }, context: { viewer }, incomingRequestContext: {} } as unknown as GraphQLDataSourceProcessOptions);
  return { cache, fetch, changed, asked: subgraph.asked, hold: subgraph.hold };
}

const lastNames = (answer: GatewayGraphQLResponse) => (answer.data!._entities as ({ profile: { lastName: string } } | null)[]).map((entity) => entity?.profile.lastName ?? null);

describe('the entity cache', () => {
  it('answers a kept entity without its subgraph, and asks only for the ones it lacks, in their places', async () => {
    const names = new Map([
      ['a', 'Иванова'],
      ['b', 'Петров'],
    ]);
    const { fetch, asked, cache } = await cacheOver(names);
    expect(lastNames(await fetch(anna, ['a']))).toEqual(['Иванова']);
    expect(lastNames(await fetch(anna, ['b', 'a']))).toEqual(['Петров', 'Иванова']);
    expect(lastNames(await fetch(anna, ['a', 'b', 'a']))).toEqual(['Иванова', 'Петров', 'Иванова']);
    expect(asked).toEqual([['a'], ['b']]);
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 2 });
  });

  it('drops an entity once its change event is handled', async () => {
    const names = new Map([['a', 'Иванова']]);
    const { fetch, changed } = await cacheOver(names);
    await fetch(anna, ['a']);
    names.set('a', 'Смирнова');
    expect(lastNames(await fetch(anna, ['a']))).toEqual(['Иванова']); // the event has not come yet
    await changed('a');
    expect(lastNames(await fetch(anna, ['a']))).toEqual(['Смирнова']);
  });

  it('never keeps what was read before a change whose event came while the answer travelled', async () => {
    const names = new Map([['a', 'Иванова']]);
    const { fetch, changed, hold, asked } = await cacheOver(names);
    const release = hold();
    const slow = fetch(anna, ['a']); // reads Иванова, then waits
    await new Promise((resolve) => setImmediate(resolve));
    names.set('a', 'Смирнова');
    await changed('a'); // handled before the old answer is in
    release();
    expect(lastNames(await slow)).toEqual(['Иванова']);
    expect(lastNames(await fetch(anna, ['a']))).toEqual(['Смирнова']);
    expect(asked).toHaveLength(2);
  });

  it("keeps each caller's answers apart", async () => {
    const names = new Map([['a', 'Иванова']]);
    const { fetch, asked } = await cacheOver(names);
    await fetch(anna, ['a']);
    await fetch(boris, ['a']);
    expect(asked).toEqual([['a'], ['a']]);
  });

  it("shows a caller's own change at their next read, before its event comes", async () => {
    const names = new Map([['a', 'Иванова']]);
    const { fetch, asked } = await cacheOver(names);
    await fetch(anna, ['a']);
    await fetch(anna, ['a'], 'mutation { updatePersonalData(input: {}) { errors { code } } }');
    names.set('a', 'Смирнова');
    expect(lastNames(await fetch(anna, ['a']))).toEqual(['Смирнова']);
    expect(asked).toHaveLength(3);
  });

  it('keeps neither failed entities nor missing ones, and leaves their errors at their places', async () => {
    const names = new Map([['a', 'Иванова']]);
    const { fetch, asked } = await cacheOver(names);
    await fetch(anna, ['a']);
    const answer = await fetch(anna, ['a', 'broken', 'nobody']);
    expect(lastNames(answer)).toEqual(['Иванова', null, null]);
    expect(answer.errors?.map((error) => error.path)).toEqual([['_entities', 1]]);
    await fetch(anna, ['broken', 'nobody']);
    expect(asked).toEqual([['a'], ['broken', 'nobody'], ['broken', 'nobody']]);
  });

  it('passes fetches it may not keep straight through', async () => {
    const { fetch, asked } = await cacheOver(new Map([['a', 'Иванова']]));
    const feed = entities('...on User{notifications(first:1){unreadCount}}');
    await fetch(anna, ['a'], feed);
    await fetch(anna, ['a'], feed);
    expect(asked).toHaveLength(2);
  });
});

describe('memoryEntityStore', () => {
  it('never gives an invalidated tag a generation an entry could carry, even after forgetting it', async () => {
    let now = 0;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const store = memoryEntityStore({ maxTtlMs: 1_000 });
      await store.invalidate(['t']);
      const first = (await store.read([], ['t'])).generations[0]!;
      now = 5_000;
      await store.invalidate(['other']); // forgets t's generation, older than any entry may live
      expect((await store.read([], ['t'])).generations[0]).toBe(0);
      await store.invalidate(['t']);
      const second = (await store.read([], ['t'])).generations[0]!;
      expect(second).not.toBe(first);
      expect(second).not.toBe(0);
    } finally {
      Date.now = realNow;
    }
  });

  it('lets an entry live its maxAge at most, and the oldest go past maxEntries', async () => {
    const store = memoryEntityStore({ maxEntries: 2 });
    const entry = { value: '{}', generations: [0] };
    await store.write([
      { key: 'a', entry, ttlMs: 60_000 },
      { key: 'b', entry, ttlMs: 60_000 },
      { key: 'c', entry, ttlMs: -1 },
    ]);
    expect((await store.read(['a', 'b', 'c'], [])).entries).toEqual([null, entry, null]);
  });
});

describe('sharedWithSiblings', () => {
  /** Two workers' channels to a primary that passes each one's messages to the other, as gateway/index.ts does. */
  function twoWorkers() {
    const channels = [new EventEmitter(), new EventEmitter()].map((emitter, index, all) =>
      Object.assign(emitter, { send: (message: unknown) => (isSiblingInvalidation(message) ? all[1 - index]!.emit('message', message) : false) }),
    );
    return channels.map((channel) => sharedWithSiblings(memoryEntityStore(), channel));
  }

  it("moves a tag in the sibling worker too: a caller's change through one is seen through the other", async () => {
    const [one, two] = twoWorkers();
    const before = (await two!.read([], ['viewer:anna'])).generations[0];
    await one!.invalidate(['viewer:anna']);
    const after = (await two!.read([], ['viewer:anna'])).generations[0];
    expect(after).not.toBe(before);
  });

  it('does not pass on what it received, so a message goes round once', async () => {
    const [one, two] = twoWorkers();
    await one!.invalidate(['t']);
    const seen = (await one!.read([], ['t'])).generations[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect((await one!.read([], ['t'])).generations[0]).toBe(seen);
    expect((await two!.read([], ['t'])).generations[0]).not.toBe(0);
  });
});
