import {
  GraphQLError,
  Kind,
  Lexer,
  parse,
  print,
  Source,
  stripIgnoredCharacters,
  TokenKind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { logger } from '../lib/log.ts';
import { isOperation, type SubgraphAnswer } from './fetch-dedup.ts';

const log = logger('gateway');

/**
 * Fetches of one client operation that go to the same subgraph at the same moment, merged into one
 * request (docs/gateway.md, "Merged fetches"). @apollo/gateway sends one request per Fetch node of
 * its plan, even when several of them start together for one subgraph (entities at two paths of
 * one answer); Hive Gateway merges them as they start (graphql-tools' batch-execute). Here each
 * fetch becomes a part of one query: its root fields aliased, its variables and fragments renamed
 * under a prefix of its own, and the answer is split back so that each fetch gets what it would
 * have got alone.
 */

// ── One fetch as a part of a merged query ──────────────────────────────────────────────────────

/** A subgraph query, parsed once per text (plans repeat), with what merging it needs. */
export interface FetchPart {
  operation: OperationDefinitionNode;
  fragments: readonly FragmentDefinitionNode[];
  /** The root fields' response keys, each once, in the order the subgraph answers them. */
  responseKeys: readonly string[];
  /** Lexical tokens the part adds to a merged query, as the subgraph's parser counts them (its root fields aliased). */
  tokens: number;
  /** Aliases the part adds, as graphql-armor counts them at the subgraph (its root fields aliased). */
  aliases: number;
}

const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** graphql-armor's count (max-aliases): every alias but `__typename`'s, a fragment's once per spread. */
function aliasCount(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, known: Map<string, number>, rootAliased: boolean): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      let inFragment = known.get(name);
      if (inFragment === undefined) {
        const fragment = fragments.get(name);
        known.set(name, (inFragment = fragment ? aliasCount(fragment.selectionSet, fragments, known, false) : 0));
      }
      count += inFragment;
      continue;
    }
    if (selection.kind === Kind.FIELD) {
      // At the root every field gets an alias `_N_…`, never `__typename`.
      const alias = rootAliased ? '_' : selection.alias?.value;
      if (alias !== undefined && alias !== '__typename' && selection.name.value !== '__typename') count++;
    }
    if (selection.selectionSet) count += aliasCount(selection.selectionSet, fragments, known, false);
  }
  return count;
}

/**
 * The part a subgraph query makes, or null when it cannot be merged and goes alone: it does not
 * parse, or it is not one query (a mutation runs as it was asked), or it has operation directives
 * or fragments at its root (whose fields would need aliases inside a fragment some other selection may share).
 */
export function fetchPart(query: string): FetchPart | null {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return null;
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const [operation] = operations;
  if (!operation || operations.length !== 1 || operations.length + fragments.length !== document.definitions.length) return null;
  if (operation.operation !== 'query' || operation.directives?.length) return null;
  const roots = operation.selectionSet.selections;
  if (!roots.every((selection): selection is FieldNode => selection.kind === Kind.FIELD)) return null;

  const lexer = new Lexer(new Source(query));
  const shorthand = lexer.lookahead().kind === TokenKind.BRACE_L;
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens++;
  // Its own `query`, name, parentheses and braces give way to the merged query's; an alias is 2 tokens more (`alias :`).
  const header = (shorthand ? 0 : 1) + (operation.name ? 1 : 0) + (operation.variableDefinitions?.length ? 2 : 0) + 2;
  const fragmentsByName = new Map(fragments.map((fragment) => [fragment.name.value, fragment]));
  return {
    operation,
    fragments,
    responseKeys: [...new Set(roots.map(responseKey))],
    tokens: tokens - header + 2 * roots.filter((field) => !field.alias).length,
    aliases: aliasCount(operation.selectionSet, fragmentsByName, new Map(), true),
  };
}

/** Tokens of the merged query of `parts`: theirs, and one `query`, name, parentheses and braces. */
export function mergedTokens(parts: readonly FetchPart[]): number {
  const named = parts.some((part) => part.operation.name);
  const withVariables = parts.some((part) => part.operation.variableDefinitions?.length);
  return 1 + (named ? 1 : 0) + (withVariables ? 2 : 0) + 2 + parts.reduce((sum, part) => sum + part.tokens, 0);
}

/** What a subgraph refuses past (lib/operation-limits.ts SUBGRAPH_CEILINGS): a merged query must stay within what each part passes. */
export interface MergeCeilings {
  maxTokens: number;
  maxAliases: number;
}

/**
 * Which parts go together, in the order they came: each joins the first group it fits in under the
 * subgraph's ceilings (a merged query the subgraph would refuse, where each part alone passes, is
 * never made). A part that cannot be merged (null) or fits nowhere goes in a group of its own.
 */
export function mergeGroups(parts: readonly (FetchPart | null)[], ceilings: MergeCeilings): number[][] {
  const groups: number[][] = [];
  const fits = (group: number[], part: FetchPart) => {
    const members = [...group.map((index) => parts[index]!), part];
    return mergedTokens(members) <= ceilings.maxTokens && members.reduce((sum, member) => sum + member.aliases, 0) <= ceilings.maxAliases;
  };
  parts.forEach((part, index) => {
    const group = part ? groups.find((candidate) => parts[candidate[0]!] && fits(candidate, part)) : undefined;
    if (group) group.push(index);
    else groups.push([index]);
  });
  return groups;
}

// ── The merged query and its answer ────────────────────────────────────────────────────────────

/** One query made of several parts, and how its answer goes back to them. */
export interface MergedFetch {
  query: string;
  operationName: string | undefined;
  document: DocumentNode;
  /** Each part's prefix and its root fields' response keys, in the order of the parts. */
  parts: readonly { prefix: string; responseKeys: readonly string[] }[];
  /** For each alias of the merged query: its part and the response key it stands for. */
  owners: ReadonlyMap<string, { part: number; key: string }>;
}

/**
 * A prefix no other part's can begin another part's name with: `_`, the part's number, `_` (the
 * digits run to the first `_`, so `_1_…` and `_12_…` never meet). Whatever names the parts had,
 * renamed they cannot collide.
 */
const prefixOf = (index: number) => `_${index}_`;

/** The part under its prefix: variables and fragments renamed, root fields aliased. */
function renamed(part: FetchPart, prefix: string) {
  const name = <T extends { name: { value: string } }>(node: T): T => ({ ...node, name: { ...node.name, value: prefix + node.name.value } });
  const visitor = { Variable: { leave: name }, FragmentSpread: { leave: name }, FragmentDefinition: { leave: name } };
  const operation = visit(part.operation, visitor);
  const selections = (operation.selectionSet.selections as readonly FieldNode[]).map((field): FieldNode => ({ ...field, alias: { kind: Kind.NAME, value: prefix + responseKey(field) } }));
  return { variableDefinitions: operation.variableDefinitions ?? [], selections, fragments: part.fragments.map((fragment) => visit(fragment, visitor)) };
}

/** The query made of `parts`, each under its prefix (`_0_`, `_1_`, …), named after the named ones. */
export function mergeFetches(parts: readonly FetchPart[]): MergedFetch {
  const pieces = parts.map((part, index) => renamed(part, prefixOf(index)));
  const names = parts.flatMap((part) => (part.operation.name ? [part.operation.name.value] : []));
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    ...(names.length ? { name: { kind: Kind.NAME, value: names.join('_and_') } } : {}),
    variableDefinitions: pieces.flatMap((piece): readonly VariableDefinitionNode[] => piece.variableDefinitions),
    selectionSet: { kind: Kind.SELECTION_SET, selections: pieces.flatMap((piece) => piece.selections) },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...pieces.flatMap((piece) => piece.fragments)] };
  const owners = new Map(parts.flatMap((part, index) => part.responseKeys.map((key) => [prefixOf(index) + key, { part: index, key }] as const)));
  return {
    query: stripIgnoredCharacters(print(document)),
    operationName: operation.name?.value,
    document,
    parts: parts.map((part, index) => ({ prefix: prefixOf(index), responseKeys: part.responseKeys })),
    owners,
  };
}

/** The merged query's variables: each part's under its prefix. */
export function mergedVariables(merged: MergedFetch, variables: readonly (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  variables.forEach((own, index) => {
    for (const [name, value] of Object.entries(own ?? {})) all[merged.parts[index]!.prefix + name] = value;
  });
  return all;
}

/**
 * Each part's answer, as the subgraph would have given it alone: its root fields under their own
 * keys, the errors at its fields with the path back on its keys, and errors at no field of any
 * part (without a path) given to every part. Locations are dropped: they point into a text no part
 * sent. Null when the answer cannot be split: no data (a non-null root field of one part failed,
 * and took every part's data with it).
 */
export function splitAnswer<T extends SubgraphAnswer>(answer: T, merged: MergedFetch): T[] | null {
  const { data, errors: all, ...rest } = answer;
  if (!data) return null;
  const errors = merged.parts.map((): GraphQLFormattedError[] => []);
  for (const { locations: _, ...error } of all ?? []) {
    const [root, ...path] = error.path ?? [];
    const owner = typeof root === 'string' ? merged.owners.get(root) : undefined;
    if (owner) errors[owner.part]!.push({ ...error, path: [owner.key, ...path] });
    else for (const own of errors) own.push(error);
  }
  return merged.parts.map(({ prefix, responseKeys }, index) => {
    const own: Record<string, unknown> = {};
    for (const key of responseKeys) if (prefix + key in data) own[key] = data[prefix + key];
    return { ...rest, data: own, ...(errors[index]!.length ? { errors: errors[index] } : {}) } as unknown as T;
  });
}

/**
 * Whether a failed merged request failed as each part alone would: the subgraph out of reach or
 * failing, or the caller refused. Any other refusal (the request's text, variables or size refused)
 * may be one part's alone, so the parts are asked again one by one.
 */
export const failsEveryPart = (error: unknown): boolean => {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return code === 'SUBGRAPH_UNAVAILABLE' || code === 'SERVICE_UNAVAILABLE' || code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
};

// ── The gateway's data sources ─────────────────────────────────────────────────────────────────

export interface MergeStats {
  /** Merged requests sent to the subgraphs. */
  merges: number;
  /** Fetches that went in one of them instead of a request of their own. */
  mergedFetches: number;
}

export interface FetchMerging {
  /** A subgraph's data source that merges the fetches one operation sends it at the same moment. */
  wrap(inner: GraphQLDataSource): GraphQLDataSource;
  stats(): MergeStats;
}

interface Waiting {
  options: Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }>;
  part: FetchPart;
  resolve(answer: GatewayGraphQLResponse): void;
  reject(error: unknown): void;
}

/** Parsed parts and merged queries kept, each: plans repeat, but not without bound. */
const CACHE_SIZE = 1_000;

function remembered<T>(make: (key: string) => T): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    if (kept.has(key)) return kept.get(key)!;
    const value = make(key);
    if (kept.size >= CACHE_SIZE) kept.delete(kept.keys().next().value!);
    kept.set(key, value);
    return value;
  };
}

/**
 * Runs `flush` once the promise jobs queued now have run (DataLoader's schedule): every fetch an
 * operation starts at this moment is in, however many promise steps lie between its plan node and
 * this data source.
 */
const afterThisTick = (flush: () => void) => void Promise.resolve().then(() => process.nextTick(flush));

/**
 * Merging for the gateway's data sources, with the parts and merged queries each parsed and printed
 * once for all subgraphs. Fetches of one client operation (one `incomingRequestContext`: one
 * caller, one cache policy) to one subgraph that start in the same tick go as one request, within
 * `ceilings`; any other fetch goes as it came.
 */
export function mergingFetches(ceilings: MergeCeilings): FetchMerging {
  const partOf = remembered(fetchPart);
  const mergedOf = remembered((key) => mergeFetches((JSON.parse(key) as string[]).map((query) => partOf(query)!)));
  const stats: MergeStats = { merges: 0, mergedFetches: 0 };

  const wrap = (inner: GraphQLDataSource): GraphQLDataSource => {
    const pending = new WeakMap<object, Waiting[]>();
    const alone = ({ options, resolve, reject }: Waiting) => inner.process(options).then(resolve, reject);

    const sendMerged = async (group: Waiting[]) => {
      stats.merges++;
      stats.mergedFetches += group.length;
      let answers: GatewayGraphQLResponse[] | null = null;
      try {
        const merged = mergedOf(JSON.stringify(group.map(({ options }) => options.request.query)));
        const [{ options }] = group as [Waiting];
        const variables = group.map((waiting) => waiting.options.request.variables);
        const request = {
          query: merged.query,
          ...(merged.operationName ? { operationName: merged.operationName } : {}),
          variables: mergedVariables(merged, variables),
          ...(options.request.http ? { http: options.request.http } : {}),
        };
        // The inner source signs the gateway's credential over this request, as over any other.
        answers = splitAnswer(await inner.process({ ...options, request, document: merged.document }), merged);
      } catch (error) {
        if (failsEveryPart(error)) return group.forEach((waiting) => waiting.reject(error));
        // The inner source turns every failure of its own into a GraphQL error: anything else is ours, and the parts still go.
        if (!(error instanceof GraphQLError)) log.error({ err: error }, 'merging subgraph fetches failed');
      }
      if (!answers) return void (await Promise.all(group.map(alone)));
      group.forEach((waiting, index) => waiting.resolve(answers[index]!));
    };

    const send = (batch: Waiting[]) => {
      const parts = batch.map(({ part }) => part);
      for (const indexes of mergeGroups(parts, ceilings)) {
        const group = indexes.map((index) => batch[index]!);
        void (group.length === 1 ? alone(group[0]!) : sendMerged(group));
      }
    };

    return {
      process(options) {
        if (!isOperation(options)) return inner.process(options);
        const part = partOf(options.request.query ?? '');
        if (!part) return inner.process(options);
        return new Promise((resolve, reject) => {
          const operation = options.incomingRequestContext;
          let batch = pending.get(operation);
          if (!batch) {
            const opened: Waiting[] = (batch = []);
            pending.set(operation, opened);
            afterThisTick(() => {
              pending.delete(operation);
              send(opened);
            });
          }
          batch.push({ options, part, resolve, reject });
        });
      },
    };
  };

  return { wrap, stats: () => ({ ...stats }) };
}
