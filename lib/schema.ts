import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import type { SubgraphName } from './config.ts';

/** The SDL files in schema/ are the source of truth: each subgraph serves its own file. */
export const schemaFile = (name: SubgraphName | 'supergraph'): URL => new URL(`../schema/${name}.graphql`, import.meta.url);

export const loadSubgraphSdl = (name: SubgraphName): DocumentNode => parse(readFileSync(schemaFile(name), 'utf8'));
