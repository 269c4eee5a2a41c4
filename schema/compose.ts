/**
 * `npm run compose`: composes the four subgraph SDLs into schema/supergraph.graphql with Apollo's
 * composition library, offline. test/schema.test.ts fails when the committed file is stale.
 */
import { composeServices } from '@apollo/composition';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORTS, SUBGRAPH_NAMES } from '../lib/config.ts';
import { loadSubgraphSdl, schemaFile } from '../lib/schema.ts';

/**
 * Composition hints we have read and accept, by hint code and coordinate. Anything else fails the
 * schema test, so a new hint gets looked at.
 */
export const ACCEPTED_HINTS: readonly string[] = [];

export interface Composition {
  supergraphSdl: string;
  /** Hints not in ACCEPTED_HINTS, as `CODE coordinate: message`. */
  newHints: string[];
}

export function composeSupergraph(): Composition {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({
      name,
      // Routing URLs for development; the gateway overrides them from IDENTITY_URL, PROFILE_URL, …
      url: `http://localhost:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: loadSubgraphSdl(name),
    })),
  );
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((error) => error.message).join('\n')}`);
  const newHints = result.hints.map((hint) => `${hint.definition.code} ${hint.coordinate ?? ''}: ${hint.message}`).filter((hint) => !ACCEPTED_HINTS.some((accepted) => hint.startsWith(accepted)));
  return { supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`, newHints };
}

export const readCommittedSupergraph = (): string => readFileSync(schemaFile('supergraph'), 'utf8');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { supergraphSdl, newHints } = composeSupergraph();
  writeFileSync(schemaFile('supergraph'), supergraphSdl);
  console.log(`Wrote ${fileURLToPath(schemaFile('supergraph'))}`);
  if (newHints.length) {
    console.warn(`Composition hints to read (accept them in schema/compose.ts or fix the SDL):\n${newHints.join('\n')}`);
    process.exitCode = 1;
  }
}
