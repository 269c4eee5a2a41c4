import { createHash } from 'node:crypto';
import type { GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  isNonNullType,
  Kind,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { Viewer } from '../lib/auth.ts';
import { wrappingExecutor } from './executor.ts';
import { refusalError, requirementRefusal, requirementsOf, scopesOf, type FieldRequirement } from '../lib/scopes.ts';

/**
 * The gateway's own enforcement of `@authenticated` and `@requiresScopes` (lib/scopes.ts), which
 * `@apollo/gateway` neither enforces nor even accepts: it refuses a supergraph whose authorization
 * features are marked `for: SECURITY`. So the gateway is handed the supergraph without that mark,
 * reads the requirements itself, and before planning removes from the operation every field the
 * caller may not have. After execution those fields come back as `null` with an UNAUTHENTICATED or
 * FORBIDDEN error at their path (a non-null field nulls its nearest nullable parent, as GraphQL
 * does); the rest of the response arrives. Subgraphs check the same directives again for themselves.
 */

/** The supergraph as `@apollo/gateway` accepts it: the authorization features no longer marked SECURITY. */
export const forApolloGateway = (supergraphSdl: string): string => supergraphSdl.replace(/(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/v[\d.]+"), for: SECURITY\)/g, '$1)');

export const supergraphRequirements = (supergraphSdl: string): Map<string, FieldRequirement> => requirementsOf(parse(supergraphSdl));

/** What an emptied selection selects instead, under a key no schema field can have. */
const PLACEHOLDER_KEY = '__refusedSelection';
const PLACEHOLDER: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: PLACEHOLDER_KEY }, name: { kind: Kind.NAME, value: '__typename' } };

function withoutPlaceholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  if (value === null || typeof value !== 'object') return value;
  const { [PLACEHOLDER_KEY]: _dropped, ...rest } = value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(rest).map(([key, inner]) => [key, withoutPlaceholders(inner)]));
}

interface Step {
  key: string;
  nonNull: boolean;
}

interface Removal {
  /** Response keys from the root to the removed field, each with whether its type is non-null. */
  path: Step[];
  refusal: 'UNAUTHENTICATED' | 'FORBIDDEN';
}

/** The operation without the fields the viewer may not have, and where they were. */
export function withoutRefusedFields(schema: GraphQLSchema, document: DocumentNode, requirements: Map<string, FieldRequirement>, viewer: Viewer | null) {
  const removals: Removal[] = [];
  const path: Step[] = [];
  const typeInfo = new TypeInfo(schema);
  const stepOf = (node: FieldNode, type: GraphQLOutputType | null | undefined): Step => ({ key: node.alias?.value ?? node.name.value, nonNull: Boolean(type && isNonNullType(type)) });
  const result = visit(
    withFragmentsInlined(document),
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          const parent = typeInfo.getParentType();
          const step = stepOf(node, typeInfo.getType());
          const requirement = parent ? requirements.get(`${parent.name}.${node.name.value}`) : undefined;
          const refusal = requirement ? requirementRefusal(requirement, viewer) : null;
          if (refusal) {
            removals.push({ path: [...path, step], refusal });
            return null;
          }
          path.push(step);
          return undefined;
        },
        leave() {
          path.pop();
        },
      },
      SelectionSet: {
        leave(node) {
          // A selection emptied by removals still has to select something; the answer drops it again.
          return node.selections.length ? undefined : { ...node, selections: [PLACEHOLDER] };
        },
      },
    }),
  );
  return { document: removals.length ? result : document, removals };
}

/**
 * The operation with every named fragment written out where it is spread, so a field is checked in
 * each place it is selected (validation has already refused fragment cycles).
 */
function withFragmentsInlined(document: DocumentNode): DocumentNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  if (!fragments.size) return document;
  const inline = (node: ASTNode): ASTNode =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value)!;
        return inline({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: spread.directives, selectionSet: fragment.selectionSet });
      },
    });
  return { ...document, definitions: document.definitions.filter((definition) => definition.kind !== Kind.FRAGMENT_DEFINITION).map((definition) => inline(definition) as DefinitionNode) };
}

/** Puts each removed field back as `null` (or nulls its nearest nullable parent) with its error. */
export function withRefusalsApplied<T extends { data?: Record<string, unknown> | null; errors?: readonly unknown[] }>(result: T, removals: Removal[]): T {
  if (!removals.length) return result;
  const errors: unknown[] = [...(result.errors ?? [])];
  let data = withoutPlaceholders(result.data) as Record<string, unknown> | null | undefined;
  for (const removal of removals) {
    const error = refusalError(removal.refusal);
    // The nearest step from the field up that may be null takes the null.
    let nullAt = removal.path.length - 1;
    while (nullAt >= 0 && removal.path[nullAt]!.nonNull) nullAt--;
    const reported = new Set<string>();
    const place = (value: unknown, depth: number, responsePath: (string | number)[]): void => {
      if (data === null || value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) return value.forEach((item, i) => place(item, depth, [...responsePath, i]));
      const object = value as Record<string, unknown>;
      const step = removal.path[depth]!;
      if (depth === nullAt) {
        object[step.key] = null;
        const at = [...responsePath, ...removal.path.slice(depth).map((s) => s.key)];
        const id = JSON.stringify(at);
        if (!reported.has(id)) {
          reported.add(id);
          errors.push(new GraphQLError(error.message, { path: at, extensions: error.extensions }));
        }
        return;
      }
      place(object[step.key], depth + 1, [...responsePath, step.key]);
    };
    if (nullAt < 0) {
      data = null;
      errors.push(new GraphQLError(error.message, { path: removal.path.map((s) => s.key), extensions: error.extensions }));
    } else {
      place(data, 0, []);
    }
  }
  return { ...result, data, errors } as T;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * What decides a refusal (lib/scopes.ts `requirementRefusal`): signed in or not, and the scopes held;
 * kept per viewer, which the token verifier hands out once per token (lib/auth.ts).
 */
const rightsByViewer = new WeakMap<Viewer, string>();
function rightsOf(viewer: Viewer | null): string {
  if (!viewer) return 'anonymous';
  let rights = rightsByViewer.get(viewer);
  if (rights === undefined) rightsByViewer.set(viewer, (rights = `scopes:${[...scopesOf(viewer)].sort().join(' ')}`));
  return rights;
}

/** An operation as one kind of caller may run it: the narrowed document, its hash, what was removed. */
interface Authorized {
  document: DocumentNode;
  queryHash: string;
  removals: Removal[];
}

/**
 * Wraps `@apollo/gateway` so every operation is authorized before it is planned. The plan cache is
 * keyed by the operation the gateway actually receives, so two callers with different rights never
 * share a plan.
 *
 * The outcome depends on the document and the caller's rights only, so it is worked out once per
 * document (Apollo Server hands over the same parsed and validated document for the same query
 * text) and set of rights, and the narrowed document is printed and hashed once: the gateway's plan
 * cache is then hit by the narrowed operation too. `stats().authorized` counts the work done.
 */
export function authorizingGateway(
  gateway: GatewayInterface,
  requirements: Map<string, FieldRequirement>,
  viewerOf: (context: Record<string, unknown>) => Viewer | null,
): GatewayInterface & { stats(): { authorized: number } } {
  const known = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Authorized>>>();
  let authorized = 0;
  const authorize = (schema: GraphQLSchema, document: DocumentNode, queryHash: string, viewer: Viewer | null): Authorized => {
    let bySchema = known.get(schema);
    if (!bySchema) known.set(schema, (bySchema = new WeakMap()));
    let byRights = bySchema.get(document);
    if (!byRights) bySchema.set(document, (byRights = new Map<string, Authorized>()));
    const rights = rightsOf(viewer);
    let outcome = byRights.get(rights);
    if (!outcome) {
      authorized++;
      const narrowed = withoutRefusedFields(schema, document, requirements, viewer);
      outcome = narrowed.removals.length ? { ...narrowed, queryHash: hashOf(print(narrowed.document)) } : { document, queryHash, removals: [] };
      byRights.set(rights, outcome);
    }
    return outcome;
  };
  return {
    ...wrappingExecutor(gateway, (inner) => async (requestContext: GatewayGraphQLRequestContext) => {
      const { document, queryHash, removals } = authorize(requestContext.schema, requestContext.document, requestContext.queryHash, viewerOf(requestContext.context as Record<string, unknown>));
      if (!removals.length) return inner(requestContext);
      const narrowed = Object.create(requestContext, {
        document: { value: document },
        queryHash: { value: queryHash },
      }) as GatewayGraphQLRequestContext;
      return withRefusalsApplied(await inner(narrowed), removals);
    }),
    stats: () => ({ authorized }),
  };
}
