import { createHash, randomUUID } from 'node:crypto';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { GatewayCachePolicy, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { buildASTSchema, getNamedType, isInterfaceType, isObjectType, Kind, parse, type ConstDirectiveNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import type { Viewer } from '../lib/auth.ts';
import type { EventBus, Subscription } from '../lib/events/bus.ts';
import type { EventType } from '../lib/events/catalogue.ts';
import { logger } from '../lib/log.ts';
import { isOperation, isShareable, spreadEntities } from './fetch-dedup.ts';

/**
 * The gateway's entity cache (docs/performance.md, "Entity cache"): the answers of `_entities`
 * fetches kept per entity, so the next fetch of the same fields of the same entity for the same
 * caller is answered without the subgraph. What may be kept, and for how long at most, the SDL says
 * (`@cacheControl`, composed into the supergraph); the subgraphs' `<subgraph>.entities-changed`
 * events (their tables' triggers, lib/events/entity-changes.ts) say when an entity changed, and
 * what is held of it stops counting from then. maxAge is only the backstop.
 */

const log = logger('gateway');

// ── What the SDL lets us keep ──────────────────────────────────────────────────────────────────

/** A `@cacheControl` hint: seconds at most, and whether the value is per caller (PRIVATE, the default) or the same for all. */
export interface CacheHint {
  maxAge: number;
  scope: 'PRIVATE' | 'PUBLIC';
}

/** How an `_entities` fetch may be kept: the shortest maxAge of its fields, and PUBLIC only if every hint says so. */
export type FetchPolicy = CacheHint;

function hintOf(directives: readonly ConstDirectiveNode[] | undefined): Partial<CacheHint> | undefined {
  const directive = directives?.find((node) => node.name.value === 'cacheControl');
  if (!directive) return undefined;
  const hint: Partial<CacheHint> = {};
  for (const argument of directive.arguments ?? []) {
    if (argument.name.value === 'maxAge' && argument.value.kind === Kind.INT) hint.maxAge = Number(argument.value.value);
    if (argument.name.value === 'scope' && argument.value.kind === Kind.ENUM) hint.scope = argument.value.value === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE';
  }
  return hint;
}

const typeHint = (type: GraphQLNamedType) => hintOf([...(type.astNode?.directives ?? []), ...type.extensionASTNodes.flatMap((node) => node.directives ?? [])]);

/**
 * The cache policy of an `_entities` fetch, from the hints of the supergraph, or null when it may
 * not be kept. Every field selected on an entity needs a hint with maxAge > 0, its own or its
 * type's; the fields under them inherit it, and one hinted `maxAge: 0` anywhere (a value that
 * depends on the clock, a count that must be live) makes the whole fetch uncacheable.
 */
export function entitiesFetchPolicy(schema: GraphQLSchema, query: string): FetchPolicy | null {
  const document = parse(query);
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map(document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]));
  const [operation] = operations;
  if (operations.length !== 1 || operation!.operation !== 'query') return null;
  const [root, ...others] = operation!.selectionSet.selections;
  if (others.length || root?.kind !== Kind.FIELD || root.name.value !== '_entities' || !root.selectionSet) return null;

  let policy: FetchPolicy = { maxAge: Infinity, scope: 'PUBLIC' };
  const restrict = (hint: Partial<CacheHint>) => {
    policy = { maxAge: Math.min(policy.maxAge, hint.maxAge ?? Infinity), scope: hint.scope === 'PUBLIC' && policy.scope === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE' };
  };
  // Walks a selection on `type`; `required`: the fields here need a hint (the entity's own), else they inherit one.
  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined, required: boolean): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        return walk(selection.selectionSet, on ?? undefined, required);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        return fragment !== undefined && walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, required);
      }
      // An entity's key (every entity of this graph is keyed by `id`) is in its representation already.
      if (selection.name.value === '__typename' || (required && selection.name.value === 'id' && !selection.selectionSet)) return true;
      if (!type || !(isObjectType(type) || isInterfaceType(type))) return false;
      const field = type.getFields()[selection.name.value];
      if (!field) return false;
      const fieldType = getNamedType(field.type);
      const own = hintOf(field.astNode?.directives);
      // An entity's fields take their own hint or the entity type's; fields under them may also take their type's.
      const hint = required ? (own ?? typeHint(type)) : (own ?? (selection.selectionSet ? typeHint(fieldType) : undefined));
      if (required && hint?.maxAge === undefined) return false;
      if (hint?.maxAge === 0) return false;
      if (hint) restrict(hint);
      return selection.selectionSet ? walk(selection.selectionSet, fieldType, false) : true;
    });
  return walk(root.selectionSet, undefined, true) && policy.maxAge > 0 && Number.isFinite(policy.maxAge) ? policy : null;
}

// ── Where entries are kept ─────────────────────────────────────────────────────────────────────

/**
 * An entry: the entity's answer as JSON, and the generations of its tags (the entity, the caller)
 * when its fetch started. It counts only while every tag is still at that generation: an
 * invalidation moves the tag on, so an answer fetched before a change can never be read after
 * the change's event, even when it arrives after the event (the race every such cache has).
 */
export interface CacheEntry {
  value: string;
  generations: number[];
}

/** The cache's storage: in this process (`memoryEntityStore`) or shared by every gateway (`redisEntityStore`). */
export interface EntityCacheStore {
  /** The entries of `keys` (null where none) and the current generation of each of `tags` (0 for one never invalidated). */
  read(keys: readonly string[], tags: readonly string[]): Promise<{ entries: (CacheEntry | null)[]; generations: number[] }>;
  write(entries: readonly { key: string; entry: CacheEntry; ttlMs: number }[]): Promise<void>;
  /** Moves each tag to a new generation, never one it had before: what was kept under the old one stops counting. */
  invalidate(tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** The longest an entry is kept whatever its maxAge says (ENTITY_CACHE_MAX_TTL_MS): 10 minutes. */
export const ENTITY_CACHE_MAX_TTL_MS = 10 * 60_000;

/**
 * Entries in a Map of at most `maxEntries` (the oldest written go first), each for its maxAge, at
 * most `maxTtlMs`. Generations come from one
 * clock, so a tag's new generation is one no entry carries; a tag's generation is forgotten once
 * older than the longest maxAge, when every entry written before it has expired anyway.
 */
export function memoryEntityStore({ maxEntries = 100_000, maxTtlMs = ENTITY_CACHE_MAX_TTL_MS }: { maxEntries?: number; maxTtlMs?: number } = {}): EntityCacheStore {
  const entries = new Map<string, { entry: CacheEntry; expiresAt: number }>();
  const generations = new Map<string, { generation: number; at: number }>();
  let clock = 0;
  const forgetOldGenerations = (now: number) => {
    for (const [tag, { at }] of generations) {
      if (now - at <= maxTtlMs) break;
      generations.delete(tag);
    }
  };
  return {
    async read(keys, tags) {
      const now = Date.now();
      return {
        entries: keys.map((key) => {
          const kept = entries.get(key);
          if (kept && kept.expiresAt <= now) entries.delete(key);
          return kept && kept.expiresAt > now ? kept.entry : null;
        }),
        generations: tags.map((tag) => generations.get(tag)?.generation ?? 0),
      };
    },
    async write(written) {
      const now = Date.now();
      for (const { key, entry, ttlMs } of written) {
        entries.delete(key);
        entries.set(key, { entry, expiresAt: now + Math.min(ttlMs, maxTtlMs) });
      }
      for (const key of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(key);
      }
    },
    async invalidate(tags) {
      const now = Date.now();
      forgetOldGenerations(now);
      // Moved to the end on each change, so the oldest come first for forgetOldGenerations.
      for (const tag of tags) {
        generations.delete(tag);
        generations.set(tag, { generation: ++clock, at: now });
      }
    },
    close: async () => entries.clear(),
  };
}

/** What `redisEntityStore` needs of a Redis client (ioredis'). */
export interface RedisLike {
  mget(...keys: string[]): Promise<(string | null)[]>;
  eval(script: string, keyCount: number, ...args: (string | number)[]): Promise<unknown>;
  quit(): Promise<unknown>;
  pipeline(): { set(key: string, value: string, px: 'PX', ms: number): unknown; exec(): Promise<unknown> };
}

// One clock for every gateway: a tag's generation is a value the clock gave once, kept as long as an entry may live.
const INVALIDATE_SCRIPT = `local g = redis.call('INCR', KEYS[1]) for i = 2, #KEYS do redis.call('SET', KEYS[i], g, 'PX', ARGV[1]) end return g`;

/** Entries shared by every gateway instance in Redis (`ENTITY_CACHE=redis`): an entry expires with its maxAge, a generation after the longest. */
export function redisEntityStore(redis: RedisLike, { prefix = 'epgu:entity-cache:', maxTtlMs = ENTITY_CACHE_MAX_TTL_MS }: { prefix?: string; maxTtlMs?: number } = {}): EntityCacheStore {
  const entryKey = (key: string) => `${prefix}e:${key}`;
  const tagKey = (tag: string) => `${prefix}g:${tag}`;
  return {
    async read(keys, tags) {
      if (!keys.length && !tags.length) return { entries: [], generations: [] };
      const values = await redis.mget(...keys.map(entryKey), ...tags.map(tagKey));
      return {
        entries: values.slice(0, keys.length).map((value) => (value === null ? null : (JSON.parse(value) as CacheEntry))),
        generations: values.slice(keys.length).map((value) => (value === null ? 0 : Number(value))),
      };
    },
    async write(written) {
      if (!written.length) return;
      const pipeline = redis.pipeline();
      for (const { key, entry, ttlMs } of written) pipeline.set(entryKey(key), JSON.stringify(entry), 'PX', Math.min(ttlMs, maxTtlMs));
      await pipeline.exec();
    },
    async invalidate(tags) {
      if (tags.length) await redis.eval(INVALIDATE_SCRIPT, tags.length + 1, `${prefix}clock`, ...tags.map(tagKey), 2 * maxTtlMs);
    },
    close: async () => void (await redis.quit()),
  };
}

/** What `sharedWithSiblings` needs of the process: node:cluster's worker channel to the primary. */
export interface SiblingChannel {
  send?(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

const SIBLING_INVALIDATION = 'epgu:entity-cache:invalidate';

/** Whether `message` is one worker's invalidation, for the primary to pass to the others (gateway/index.ts). */
export const isSiblingInvalidation = (message: unknown): message is { type: typeof SIBLING_INVALIDATION; tags: string[] } =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SIBLING_INVALIDATION && Array.isArray((message as { tags?: unknown }).tags);

/**
 * A memory store of one gateway worker whose invalidations reach its sibling workers too (through
 * the primary): a caller's mutation through one worker moves their tag in every worker, so their
 * next read is fresh wherever the kernel hands its connection. (Events reach each worker on the
 * bus anyway; moving a tag twice is harmless.)
 */
export function sharedWithSiblings(store: EntityCacheStore, channel: SiblingChannel = process): EntityCacheStore {
  channel.on('message', (message) => {
    if (isSiblingInvalidation(message)) void store.invalidate(message.tags);
  });
  return {
    ...store,
    async invalidate(tags) {
      await store.invalidate(tags);
      channel.send?.({ type: SIBLING_INVALIDATION, tags });
    },
  };
}

// ── The cache ──────────────────────────────────────────────────────────────────────────────────

export interface EntityCacheStats {
  /** Entities answered from the cache. */
  hits: number;
  /** Entities of cacheable fetches that went to their subgraph. */
  misses: number;
  /** Invalidation events handled, and how long after the change each was (occurredAt → handled), the last 10,000. */
  invalidations: number;
  invalidationLagsMs: number[];
}

export interface EntityCache {
  /** Wraps a subgraph's data source (outside the fetch collapsing of fetch-dedup.ts). */
  dataSource(subgraph: string, inner: GraphQLDataSource): GraphQLDataSource;
  stats(): EntityCacheStats;
  stop(): Promise<void>;
}

export interface EntityCacheOptions {
  supergraphSdl: string;
  store: EntityCacheStore;
  /** Where the subgraphs' `entities-changed` events come from; the cache is ready once subscribed. */
  bus: EventBus;
  /** Told each time tags move, after the store has moved them (measurements: bench/scenarios/mixed.ts). */
  onInvalidated?: (tags: readonly string[]) => void;
}

/** The events that invalidate, one per subgraph that has entity sources. */
export const ENTITY_CHANGE_EVENTS = ['profile.entities-changed', 'appeals.entities-changed'] as const satisfies readonly EventType[];

/** The tag of an entity in a subgraph, `profile:User:<id>`, and of a caller, `viewer:<userId>`. */
const entityTag = (subgraph: string, type: string, id: string) => `${subgraph}:${type}:${id}`;
const viewerTag = (viewer: Viewer) => `viewer:${viewer.userId}`;

/**
 * Whose answers a PRIVATE entry is: what the subgraphs' rules read of the caller (the account, its
 * level, roles and service), not the session or the token, so a refreshed token keeps its entries.
 */
const callerKey = (viewer: Viewer | null) => (viewer ? JSON.stringify([viewer.userId, viewer.level, [...viewer.roles].sort(), viewer.service]) : 'anonymous');

const hash = (text: string) => createHash('sha256').update(text).digest('base64url');

const isMutation = (query: string) => /^\s*mutation\b/.test(query);

/**
 * The keys of an `_entities` fetch's entities (subgraph, selection, caller where PRIVATE, the
 * representation) and the tags whose generations they must still have: each entity's own, then the
 * caller's. Null when an entity has no string `id` to tag it by.
 */
function entityLookup(subgraph: string, selection: string, policy: FetchPolicy, viewer: Viewer | null, representations: unknown[]): { keys: string[]; tags: string[] } | null {
  const scope = policy.scope === 'PRIVATE' ? callerKey(viewer) : 'public';
  const prefix = `${subgraph}:${selection}:${hash(scope)}:`;
  const tags: string[] = [];
  for (const representation of representations) {
    const { __typename, id } = representation as { __typename?: unknown; id?: unknown };
    if (typeof __typename !== 'string' || typeof id !== 'string') return null;
    tags.push(entityTag(subgraph, __typename, id));
  }
  if (policy.scope === 'PRIVATE' && viewer) tags.push(viewerTag(viewer));
  return { keys: representations.map((representation) => prefix + JSON.stringify(representation)), tags };
}

/** Which positions have no entry that still counts, and the generations an entry for a position must carry. */
function currentEntries(entries: (CacheEntry | null)[], generations: number[], representations: unknown[]) {
  const callerGenerations = generations.slice(representations.length);
  const generationsOf = (position: number) => [generations[position]!, ...callerGenerations];
  const counts = (entry: CacheEntry | null, position: number) => {
    const wanted = generationsOf(position);
    return entry !== null && entry.generations.length === wanted.length && entry.generations.every((generation, at) => generation === wanted[at]);
  };
  return { missing: representations.flatMap((_, position) => (counts(entries[position]!, position) ? [] : [position])), generationsOf };
}

/** The fetched entities worth keeping: not null, no error at their path, no error of the whole fetch. */
function entriesToKeep(answer: GatewayGraphQLResponse, fetched: unknown[], missing: number[], keyOf: (position: number) => string, generationsOf: (position: number) => number[], ttlMs: number) {
  if (answer.errors?.some((error) => !error.path)) return [];
  const failed = new Set((answer.errors ?? []).flatMap((error) => (error.path?.[0] === '_entities' && typeof error.path[1] === 'number' ? [error.path[1]] : [])));
  return missing.flatMap((position, index) =>
    fetched[index] !== null && !failed.has(index) ? [{ key: keyOf(position), entry: { value: JSON.stringify(fetched[index]), generations: generationsOf(position) }, ttlMs }] : [],
  );
}

/**
 * The whole fetch's answer: the fetched entities and the kept ones, each at its position, with the
 * fetched ones' errors moved to their positions (spreadEntities, given the kept after the fetched).
 */
function withKeptEntities(answer: GatewayGraphQLResponse, fetched: unknown[], missing: number[], entries: (CacheEntry | null)[]): GatewayGraphQLResponse {
  const fetchedAt = new Map(missing.map((position, index) => [position, index]));
  const kept = entries.flatMap((entry, position) => (fetchedAt.has(position) ? [] : [JSON.parse(entry!.value) as unknown]));
  let keptIndex = fetched.length;
  const positions = entries.map((_, position) => fetchedAt.get(position) ?? keptIndex++);
  const all = [...fetched, ...kept];
  return spreadEntities({ ...answer, data: { ...answer.data, _entities: all } }, { unique: all, positions });
}

/** Starts the cache: subscribes to the invalidations (from the head of the stream: what changes from now on). */
export async function startEntityCache({ supergraphSdl, store, bus, onInvalidated }: EntityCacheOptions): Promise<EntityCache> {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const policies = new Map<string, { policy: FetchPolicy | null; id: string }>();
  const policyOf = (query: string) => {
    let known = policies.get(query);
    if (!known) {
      let policy: FetchPolicy | null = null;
      try {
        policy = entitiesFetchPolicy(schema, query);
      } catch (error) {
        log.warn({ err: error }, 'entity cache: a fetch that does not parse is not cached');
      }
      known = { policy, id: hash(query) };
      policies.set(query, known);
    }
    return known;
  };
  const stats: EntityCacheStats = { hits: 0, misses: 0, invalidations: 0, invalidationLagsMs: [] };

  const subscription: Subscription = bus.subscribe(
    `gateway-entity-cache-${randomUUID()}`,
    ENTITY_CHANGE_EVENTS,
    async (event) => {
      const subgraph = event.type.slice(0, event.type.indexOf('.'));
      const tags = event.payload.entities.map(({ type, id }) => entityTag(subgraph, type, id));
      await store.invalidate(tags);
      onInvalidated?.(tags);
      stats.invalidations++;
      stats.invalidationLagsMs.push(Date.now() - Date.parse(event.occurredAt));
      if (stats.invalidationLagsMs.length > 10_000) stats.invalidationLagsMs.shift();
    },
    { startAt: 'head', ephemeral: true },
  );
  await subscription.ready?.();

  return {
    dataSource: (subgraph, inner) => ({
      async process(options) {
        if (!isOperation(options)) return inner.process(options);
        const { viewer = null } = options.context as { viewer?: Viewer | null };
        const query = options.request.query ?? '';
        // A caller's own change is seen by their next read at once, before its event comes round.
        if (isMutation(query)) {
          const answer = await inner.process(options);
          if (viewer) await store.invalidate([viewerTag(viewer)]);
          return answer;
        }
        const { representations, ...variables }: { representations?: unknown; [name: string]: unknown } = options.request.variables ?? {};
        const { policy, id } = policyOf(query);
        const lookup = policy && isShareable(query) && Array.isArray(representations) ? entityLookup(subgraph, `${id}:${hash(JSON.stringify(variables))}`, policy, viewer, representations) : null;
        if (!lookup) return inner.process(options);

        const { entries, generations } = await store.read(lookup.keys, lookup.tags);
        const { missing, generationsOf } = currentEntries(entries, generations, representations as unknown[]);
        stats.hits += lookup.keys.length - missing.length;
        stats.misses += missing.length;
        // Answered (in part) without a subgraph, so no subgraph's Cache-Control: not for HTTP caches.
        if (missing.length < lookup.keys.length) (options.incomingRequestContext.overallCachePolicy as GatewayCachePolicy | undefined)?.restrict({ maxAge: 0 });
        const answer: GatewayGraphQLResponse = missing.length
          ? await inner.process({ ...options, request: { ...options.request, variables: { ...options.request.variables, representations: missing.map((position): unknown => (representations as unknown[])[position]) } } })
          : { data: { _entities: [] } };
        const fetched: unknown = answer.data?._entities;
        if (!Array.isArray(fetched) || fetched.length !== missing.length) return answer;
        await store.write(entriesToKeep(answer, fetched as unknown[], missing, (position) => lookup.keys[position]!, generationsOf, policy!.maxAge * 1000));
        return withKeptEntities(answer, fetched as unknown[], missing, entries);
      },
    }),
    stats: () => ({ ...stats, invalidationLagsMs: [...stats.invalidationLagsMs] }),
    async stop() {
      await subscription.stop();
    },
  };
}
