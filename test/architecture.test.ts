import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule (docs/architecture.md): resolvers → domain → db. A subgraph's `domain/` holds its
 * rules as plain functions and no SQL; every query and transaction it needs is a `db/` function
 * named for what it means. So a rule reads, and is unit-tested, without a database, and a query is
 * tuned in one place. A subgraph is listed here once its storage has moved into `db/`.
 */
const COVERED_SUBGRAPHS = ['identity', 'profile', 'notifications', 'appeals'];

const root = join(import.meta.dirname, '..');

/** What must not appear in a domain file, each with what it is. */
const SQL_IN_DOMAIN: { what: string; pattern: RegExp }[] = [
  { what: 'an import of drizzle-orm', pattern: /from\s+['"]drizzle-orm(\/[^'"]*)?['"]/ },
  { what: 'an import of postgres', pattern: /from\s+['"]postgres['"]/ },
  { what: 'an import of lib/db.ts or lib/events/outbox.ts (SQL helpers)', pattern: /from\s+['"][./]*lib\/(db|events\/outbox)\.ts['"]/ },
  { what: 'tables imported from db/schema.ts (only `import type` of its row types)', pattern: /import\s+(?!type\s)[^;]*?from\s+['"]\.\.\/db\/schema\.ts['"]/ },
  { what: 'an sql`…` template', pattern: /\bsql\s*`/ },
  { what: 'a query builder called on a database handle', pattern: /\b(db|tx|database)\s*\.\s*(select\w*|insert|update|delete|execute|transaction|query)\s*\(/ },
];

/** Where `source` breaks the rule: one line per find, `what (line N)`. */
function sqlIn(source: string): string[] {
  return SQL_IN_DOMAIN.flatMap(({ what, pattern }) => {
    const found = new RegExp(pattern.source, 'g').exec(source);
    return found ? [`${what} (line ${source.slice(0, found.index).split('\n').length})`] : [];
  });
}

function domainFiles(subgraph: string): string[] {
  const dir = join(root, 'subgraphs', subgraph, 'domain');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

describe('domain/ holds rules, db/ holds SQL', () => {
  it('finds each kind of SQL in a sample of it, and none in plain rules', () => {
    const samples = [
      "import { eq } from 'drizzle-orm';",
      "import type { PgDatabase } from 'drizzle-orm/pg-core';",
      "import postgres from 'postgres';",
      "import type { Queryable } from '../../../lib/db.ts';",
      "import { recordEvent } from '../../../lib/events/outbox.ts';",
      "import { accounts, type Account } from '../db/schema.ts';",
      'const at = sql`now()`;',
      'const [row] = await db.select().from(accounts);',
      'await tx\n  .update(accounts)',
      'await deps.db.transaction(async (tx) => {});',
    ];
    for (const sample of samples) expect(sqlIn(sample), sample).toHaveLength(1);
    expect(sqlIn("import type { Account } from '../db/schema.ts';\nimport { accountById } from '../db/accounts.ts';\ntimers.delete(timer);")).toEqual([]);
  });

  it.each(COVERED_SUBGRAPHS)('%s: its domain/ files hold no SQL', (subgraph) => {
    const files = domainFiles(subgraph);
    expect(files.length).toBeGreaterThan(0);
    const finds = files.flatMap((file) => sqlIn(readFileSync(file, 'utf8')).map((find) => `${relative(root, file)}: ${find}`));
    expect(finds).toEqual([]);
  });
});
