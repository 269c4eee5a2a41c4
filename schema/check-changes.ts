/**
 * `npm run check:schema` (a `.ci/run` step): the supergraph composed from the SDLs in this tree
 * against the supergraph committed at the base revision, with @graphql-inspector/core. A breaking
 * change fails unless what it removes or changes was `@deprecated` in the base first; and when the
 * cabinet's manifest exists (`web/src/generated/persisted-documents.json`, or TRUSTED_DOCUMENTS_PATH)
 * every document of it must be valid against the new schema. docs/api.md, "Changing the schema".
 *
 * The base: `--base REV` (or SCHEMA_BASE); else, off `main`, where the branch left it (`git
 * merge-base HEAD main`); on `main` itself (CI's clean clone of main), the parent commit, the
 * supergraph as it was before the commit being checked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Supergraph } from '@apollo/federation-internals';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  validate as validateDocument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { DEFAULT_MANIFEST_PATH, readTrustedDocuments } from '../gateway/trusted-documents.ts';
import { composeSupergraph } from './compose.ts';

/** The schema clients see: the supergraph without federation's types and directives. */
export const apiSchemaOf = (supergraphSdl: string): GraphQLSchema => Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();

export interface SchemaChanges {
  /** Breaking, and what it breaks was not deprecated first: the check fails. */
  refused: Change[];
  /** Breaking, but of something `@deprecated` in the old schema: the announced removal. */
  deprecatedFirst: Change[];
  /** Dangerous or safe. */
  others: Change[];
}

/** A type no client can reach but through deprecated fields and arguments of the old schema. */
function reachedOnlyThroughDeprecated(schema: GraphQLSchema, typeName: string): boolean {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || type.name === typeName) continue;
    if (isUnionType(type) && type.getTypes().some((member) => member.name === typeName)) return false;
    if ((isObjectType(type) || isInterfaceType(type)) && type.getInterfaces().some((implemented) => implemented.name === typeName)) return false;
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      const uses = (candidate: { type: GraphQLInputType | GraphQLOutputType }) => getNamedType(candidate.type).name === typeName;
      const fields: (GraphQLField<unknown, unknown> | GraphQLInputField)[] = Object.values<GraphQLField<unknown, unknown> | GraphQLInputField>(type.getFields());
      for (const field of fields) {
        if (field.deprecationReason) continue;
        if (uses(field)) return false;
        if ('args' in field && field.args.some((arg) => !arg.deprecationReason && uses(arg))) return false;
      }
    }
  }
  return true;
}

/**
 * Whether what a change's path names (`Type`, `Type.field`, `Enum.VALUE`, `Type.field.argument`)
 * was deprecated in the old schema: the field, enum value or input field itself, an argument or its
 * field, a type only reached through deprecated ones.
 */
export function deprecatedBefore(schema: GraphQLSchema, path: string | undefined): boolean {
  if (!path) return false;
  const [typeName, member, argument] = path.split('.') as [string, string?, string?];
  const type = schema.getType(typeName);
  if (!type) return false;
  if (member === undefined) return reachedOnlyThroughDeprecated(schema, typeName);
  if (isEnumType(type)) return Boolean(type.getValue(member)?.deprecationReason);
  if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) return false;
  const field = type.getFields()[member];
  if (!field) return false;
  if (field.deprecationReason) return true;
  return argument !== undefined && 'args' in field && Boolean((field as GraphQLField<unknown, unknown>).args.find((arg) => arg.name === argument)?.deprecationReason);
}

/** The changes from `before` to `after`, sorted by the rule above. */
export async function schemaChanges(before: GraphQLSchema, after: GraphQLSchema): Promise<SchemaChanges> {
  const changes = await diff(before, after);
  const sorted: SchemaChanges = { refused: [], deprecatedFirst: [], others: [] };
  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) sorted.others.push(change);
    else if (deprecatedBefore(before, change.path)) sorted.deprecatedFirst.push(change);
    else sorted.refused.push(change);
  }
  return sorted;
}

/**
 * The documents not valid against `schema`, each as `its first line: the errors`; using deprecated
 * fields is allowed (they still work). Each manifest document stands alone, its fragments in it, so
 * each is validated on its own (graphql-js's rules): graphql-inspector's `validate` reads them as one
 * project and finds every shared fragment «not unique».
 */
export function invalidDocuments(schema: GraphQLSchema, documents: Iterable<string>): string[] {
  const named = (text: string, errors: readonly { message: string }[]) => `${text.split('\n')[0]}: ${errors.map((error) => error.message).join('; ')}`;
  const invalid: string[] = [];
  for (const text of documents) {
    try {
      const errors = validateDocument(schema, parse(text));
      if (errors.length) invalid.push(named(text, errors));
    } catch (error) {
      invalid.push(named(text, [error as Error]));
    }
  }
  return invalid;
}

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const gitOr = (fallback: string | null, ...args: string[]) => {
  try {
    return git(...args);
  } catch {
    return fallback;
  }
};

/** The revision to compare with and why it is that one; null when there is none (the first commit). */
function baseRevision(): { revision: string; why: string } | null {
  const given = process.argv.includes('--base') ? process.argv[process.argv.indexOf('--base') + 1] : process.env.SCHEMA_BASE;
  if (given) return { revision: given, why: 'as given' };
  const branch = gitOr(null, 'rev-parse', '--abbrev-ref', 'HEAD');
  const main = gitOr(null, 'rev-parse', '--verify', '--quiet', 'main') ?? gitOr(null, 'rev-parse', '--verify', '--quiet', 'origin/main');
  if (branch !== 'main' && main) {
    const forked = gitOr(null, 'merge-base', 'HEAD', main);
    if (forked && forked !== git('rev-parse', 'HEAD')) return { revision: forked, why: 'where this branch left main (git merge-base HEAD main)' };
  }
  const parent = gitOr(null, 'rev-parse', '--verify', '--quiet', 'HEAD~1');
  if (parent) return { revision: parent, why: 'the parent commit (HEAD is on main: the commit being checked is the change)' };
  if (gitOr('false', 'rev-parse', '--is-shallow-repository') === 'true') throw new Error('a shallow clone without the parent commit: fetch it (git fetch --deepen=1) to compare the schema with it');
  return null;
}

const line = (change: Change) => `  ${change.path ?? ''}: ${change.message}`;

async function main(): Promise<number> {
  const base = baseRevision();
  const committed = base && gitOr(null, 'show', `${base.revision}:schema/supergraph.graphql`);
  const { supergraphSdl } = composeSupergraph();
  const after = apiSchemaOf(supergraphSdl);
  let failed = false;
  if (!base || committed === null) {
    console.log(`No supergraph to compare with${base ? ` at ${base.revision}` : ' (the first commit)'}: every change is new.`);
  } else {
    const changes = await schemaChanges(apiSchemaOf(committed), after);
    console.log(
      `Supergraph compared with ${base.revision.slice(0, 12)}, ${base.why}: ${changes.refused.length} breaking, ${changes.deprecatedFirst.length} removals of deprecated parts, ${changes.others.length} other changes.`,
    );
    if (changes.deprecatedFirst.length) console.log(`Deprecated first, now removed or changed:\n${changes.deprecatedFirst.map(line).join('\n')}`);
    if (changes.others.length) console.log(`Other changes:\n${changes.others.map(line).join('\n')}`);
    if (changes.refused.length) {
      failed = true;
      console.error(`Breaking changes of parts that were not @deprecated first (docs/api.md, "Changing the schema": deprecate, release, then remove):\n${changes.refused.map(line).join('\n')}`);
    }
  }
  const manifestPath = process.env.TRUSTED_DOCUMENTS_PATH || fileURLToPath(DEFAULT_MANIFEST_PATH);
  if (existsSync(manifestPath)) {
    const documents = readTrustedDocuments(manifestPath);
    const invalid = invalidDocuments(after, documents.values());
    console.log(`The cabinet's ${documents.size} documents (${manifestPath}) against the new schema: ${invalid.length} invalid.`);
    if (invalid.length) {
      failed = true;
      console.error(invalid.map((line) => `  ${line}`).join('\n'));
    }
  } else {
    console.log(`No cabinet manifest at ${manifestPath}: no documents to validate.`);
  }
  return failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
