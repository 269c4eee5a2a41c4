import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../dev/embedded-postgres.ts';
import { SUBGRAPH_NAMES } from '../lib/config.ts';
import { connect, migrateSubgraph } from '../lib/db.ts';
import * as appealsTables from '../subgraphs/appeals/db/schema.ts';
import { loadReferenceData } from '../subgraphs/appeals/reference.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where tests create their databases, and the migrated template they copy. */
    testDatabase: { serverUrl: string; template: string };
  }
}

/**
 * Once per run of the e2e project (vitest.config.ts; the unit project has no database): a PostgreSQL
 * server (DATABASE_URL's, or an embedded one in a temporary folder) and a template database with
 * every subgraph's migrations applied. Each test file then gets its own copy (test/graph.ts), so
 * runs never see each other's data or the demo data.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'epgu-test-postgres-'));
    embedded = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'postgres' });
    serverUrl = embedded.url;
  }
  const template = `epgu_template_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${template}"`);
  await admin.unsafe(`create database "${template}"`);
  await prepareGraphDatabase(withDatabase(serverUrl, template));
  project.provide('testDatabase', { serverUrl, template });

  return async () => {
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    await admin.end();
    await embedded?.stop();
  };
}

/** Every subgraph's migrations and the reference data every environment has (the appeals rubricator, authorities, calendar). */
export async function prepareGraphDatabase(url: string): Promise<void> {
  for (const name of SUBGRAPH_NAMES) {
    await migrateSubgraph(url, name, new URL(`../subgraphs/${name}/db/migrations`, import.meta.url));
  }
  const appealsDatabase = connect(url, appealsTables, { max: 1 });
  await loadReferenceData(appealsDatabase);
  await appealsDatabase.close();
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.href;
}
