import { defaultFieldResolver, isObjectType, Kind, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema, type ValueNode } from 'graphql';
import { ACCOUNT_LEVELS, type Viewer } from './auth.ts';
import { forbidden, unauthenticated } from './errors.ts';

/**
 * Authorization declared in the schema: Federation's `@authenticated` and `@requiresScopes` on fields
 * of the subgraph SDL, composed into the supergraph. The gateway enforces them before planning and
 * every subgraph again for itself; ownership ("only my documents") stays in the subgraphs' resolvers.
 *
 * Scopes of a caller:
 * - `level:simplified`, `level:standard`, `level:confirmed`: the account level and those below it;
 * - `role:operator`, `role:official`, `role:coordinator`: the account's roles;
 * - `service` and `service:<name>`: a trusted portal service's own token.
 */

export interface FieldRequirement {
  authenticated: boolean;
  /** Any one of the inner lists must be held in full (OR of ANDs), as `@requiresScopes` says. */
  scopes: string[][] | null;
}

export function scopesOf(viewer: Viewer | null): Set<string> {
  const scopes = new Set<string>();
  if (!viewer) return scopes;
  if (viewer.service) return new Set(['service', `service:${viewer.service}`]);
  for (const level of ACCOUNT_LEVELS.slice(0, ACCOUNT_LEVELS.indexOf(viewer.level) + 1)) scopes.add(`level:${level.toLowerCase()}`);
  for (const role of viewer.roles) scopes.add(`role:${role.toLowerCase()}`);
  return scopes;
}

/** Why the viewer may not have the field: UNAUTHENTICATED, FORBIDDEN, or null when it may. */
export function requirementRefusal(requirement: FieldRequirement, viewer: Viewer | null): 'UNAUTHENTICATED' | 'FORBIDDEN' | null {
  if (!requirement.authenticated && !requirement.scopes) return null;
  if (!viewer) return 'UNAUTHENTICATED';
  if (!requirement.scopes) return null;
  const held = scopesOf(viewer);
  return requirement.scopes.some((all) => all.every((scope) => held.has(scope))) ? null : 'FORBIDDEN';
}

export const refusalError = (refusal: 'UNAUTHENTICATED' | 'FORBIDDEN') => (refusal === 'UNAUTHENTICATED' ? unauthenticated() : forbidden('Недостаточно прав: это поле доступно другим уровням учётной записи или ролям.'));

function stringLists(value: ValueNode): string[][] {
  if (value.kind !== Kind.LIST) return [];
  return value.values.map((inner) => (inner.kind === Kind.LIST ? inner.values.flatMap((scope) => (scope.kind === Kind.STRING ? [scope.value] : [])) : []));
}

/**
 * `Type.field` → its requirement, read from SDL (a subgraph's or the supergraph's): the directives
 * are recognised by name, with or without a `federation__` prefix.
 */
export function requirementsOf(sdl: DocumentNode): Map<string, FieldRequirement> {
  const requirements = new Map<string, FieldRequirement>();
  for (const definition of sdl.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const requirement: FieldRequirement = { authenticated: false, scopes: null };
      for (const directive of field.directives ?? []) {
        const name = directive.name.value.replace(/^federation__/, '');
        if (name === 'authenticated') requirement.authenticated = true;
        if (name === 'requiresScopes') {
          const argument = directive.arguments?.find((arg) => arg.name.value === 'scopes');
          if (argument) requirement.scopes = [...(requirement.scopes ?? []), ...stringLists(argument.value)];
        }
      }
      if (requirement.authenticated || requirement.scopes) requirements.set(`${definition.name.value}.${field.name.value}`, requirement);
    }
  }
  return requirements;
}

/**
 * A subgraph's own enforcement: every field of `schema` that its SDL marks `@authenticated` or
 * `@requiresScopes` refuses a caller without them before its resolver (or subscription) runs, also
 * when reached through `_entities`. The caller is the context's `viewer`. Mutates the schema's fields.
 */
export function enforceRequirements(schema: GraphQLSchema, sdl: DocumentNode): void {
  for (const [coordinate, requirement] of requirementsOf(sdl)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`${coordinate} carries an authorization directive but is not in the schema`);
    const guarded =
      <TArgs>(inner: GraphQLFieldResolver<unknown, { viewer?: Viewer | null }, TArgs>): GraphQLFieldResolver<unknown, { viewer?: Viewer | null }, TArgs> =>
      (source, args, context, info) => {
        const refusal = requirementRefusal(requirement, context.viewer ?? null);
        if (refusal) throw refusalError(refusal);
        return inner(source, args, context, info);
      };
    field.resolve = guarded(field.resolve ?? defaultFieldResolver);
    if (field.subscribe) field.subscribe = guarded(field.subscribe);
  }
}
