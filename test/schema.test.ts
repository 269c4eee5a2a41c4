import { buildSchema, getNamedType, getNullableType, print, isEnumType, isInputObjectType, isInterfaceType, isListType, isObjectType, type GraphQLNamedType } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { forApolloGateway } from '../gateway/authorization.ts';
import { supergraphListSizes, supergraphWeights } from '../lib/operation-limits.ts';
import { MAX_PAGE_SIZE } from '../lib/connection.ts';
import { composeSupergraph, readCommittedSupergraph } from '../schema/compose.ts';
import { SUBGRAPH_NAMES } from '../lib/config.ts';
import { loadSubgraphSdl } from '../lib/schema.ts';

describe('schema/: the committed supergraph', () => {
  it('is what composing the four subgraph SDLs gives today (run `npm run compose` after an SDL change)', () => {
    expect(readCommittedSupergraph()).toBe(composeSupergraph().supergraphSdl);
  });

  it('composes without hints nobody has accepted', () => {
    expect(composeSupergraph().newHints).toEqual([]);
  });

  // The gateway's cost multiplies by these sizes (lib/operation-limits.ts): an undeclared list would be a guess.
  it('declares how long every list may be (@listSize), and pages by `first` up to the subgraphs’ maximum', () => {
    const sdl = readCommittedSupergraph();
    const sizes = supergraphListSizes(sdl);
    const schema = Supergraph.build(forApolloGateway(sdl)).apiSchema().toGraphQLJSSchema();
    const undeclared: string[] = [];
    const paged: Record<string, unknown> = {};
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (isListType(getNullableType(field.type)) && !sizes.has(coordinate)) undeclared.push(coordinate);
        if (field.args.some((arg) => arg.name === 'first')) paged[coordinate] = sizes.get(coordinate);
      }
    }
    expect(undeclared).toEqual([]);
    expect(Object.keys(paged).length).toBeGreaterThanOrEqual(5);
    for (const size of Object.values(paged)) expect(size).toMatchObject({ assumedSize: MAX_PAGE_SIZE, slicingArguments: ['first'] });
  });

  // The gateway weighs reference data 0 (lib/operation-limits.ts, docs/security.md "Weights"): the
  // rubricator and the authorities are read once per request, however many items name them. A new
  // field of theirs, or a new field reaching them, must say so too; and nothing else weighs 0, so a
  // weight cannot hide a database read to make a screen fit.
  it('weighs the reference data 0 (@cost), every field of it and every field reaching it, and nothing else', () => {
    const sdl = readCommittedSupergraph();
    const schema = Supergraph.build(forApolloGateway(sdl)).apiSchema().toGraphQLJSSchema();
    const referenceTypes = ['Topic', 'Authority'];
    const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
    const referenceFields: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !isObjectType(type) || roots.has(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (referenceTypes.includes(type.name) || referenceTypes.includes(getNamedType(field.type).name)) referenceFields.push(`${type.name}.${field.name}`);
      }
    }
    const weighed = Object.fromEntries(supergraphWeights(sdl));
    expect(weighed).toEqual(Object.fromEntries(referenceFields.map((coordinate) => [coordinate, 0])));
  });
});

/** Everything a person reads in Explorer: types, fields, arguments, enum values and input fields. */
function undescribed(type: GraphQLNamedType): string[] {
  if (type.name.startsWith('_') || type.name.startsWith('join__') || type.name.startsWith('link__')) return [];
  const missing = type.description ? [] : [type.name];
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      if (!field.description) missing.push(`${type.name}.${field.name}`);
      for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
    }
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
  }
  if (isEnumType(type)) {
    for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
  }
  return missing;
}

const ENTITY_OWNERS: Record<string, string> = { User: 'identity', Appeal: 'appeals' };

describe.each(SUBGRAPH_NAMES)('schema/%s.graphql', (name) => {
  it('describes every type, field, argument and enum value it defines', () => {
    const sdl = print(loadSubgraphSdl(name)).replace(/^extend schema[^\n]*\n/, '');
    const schema = buildSchema(
      `directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @shareable on OBJECT | FIELD_DEFINITION
${sdl}`,
      { assumeValid: true },
    );
    const builtIn = new Set(['Query', 'Mutation', 'Subscription', 'String', 'Boolean', 'Int', 'Float', 'ID']);
    const missing = Object.values(schema.getTypeMap())
      .filter((type) => !type.name.startsWith('__') && !builtIn.has(type.name))
      .flatMap(undescribed);
    // Root types carry no description of their own, but their fields do.
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      if (root) missing.push(...undescribed(root).filter((entry) => entry !== root.name));
    }
    // An entity another subgraph owns is described there; here only its fields count.
    expect(missing.filter((entry) => ENTITY_OWNERS[entry] === undefined || ENTITY_OWNERS[entry] === name)).toEqual([]);
  });
});
