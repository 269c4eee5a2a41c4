import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layer check (`npm run check:layers`: .dependency-cruiser.cjs, docs/architecture.md "Who may
 * import what") on a small tree made here, with one import that each rule forbids beside the imports
 * the rules allow. The real tree is checked by the same command in CI.
 */
const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const CONFIG = join(root, '.dependency-cruiser.cjs');
const { forbidden } = require(CONFIG) as { forbidden: { name: string }[] };

const pkg = (name: string) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', main: 'index.js' }),
  [`node_modules/${name}/index.js`]: 'export const value = 1;\n',
});

/** Each file of the tree; a comment on a bad import names the rule it breaks. */
const TREE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', type: 'module', dependencies: { 'drizzle-orm': '1.0.0' }, devDependencies: { 'dev-only': '1.0.0' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true, verbatimModuleSyntax: true } }),
  ...pkg('drizzle-orm'),
  ...pkg('dev-only'),
  ...pkg('undeclared'),

  'lib/errors.ts': "import type { value } from 'dev-only';\nexport const code = 'BAD_REQUEST';\nexport type Dev = typeof value;\n",
  'lib/knows-gateway.ts': "import { url } from '../gateway/server.ts';\nexport const again = url;\n", // lib-is-the-ground
  'lib/undeclared.ts': "import { value } from 'undeclared';\nexport const again = value;\n", // no-non-package-json
  'lib/dev-only.ts': "import { value } from 'dev-only';\nexport const again = value;\n", // services-need-no-dev-dependencies
  'lib/typo.ts': "import { gone } from './missing.ts';\nexport const again = gone;\n", // not-to-unresolvable
  'lib/first.ts': "import { second } from './second.ts';\nexport const first = () => second();\n", // no-runtime-cycle
  'lib/second.ts': "import { first } from './first.ts';\nexport const second = () => first();\n", // no-runtime-cycle
  'lib/word.ts': "import { use } from './user-of-word.ts';\nexport type Word = string;\nexport const said = use;\n",
  'lib/user-of-word.ts': "import type { Word } from './word.ts';\nexport const use = (word: Word) => word;\n",
  'lib/errors.test.ts': "import { helper } from '../test/helper.ts';\nimport { url } from '../gateway/server.ts';\nexport const seen = [helper, url];\n",

  'gateway/server.ts': "import { code } from '../lib/errors.ts';\nimport { start } from '../subgraphs/identity/index.ts';\nexport const url = code + String(start);\n", // gateway-knows-no-subgraph-code
  'gateway/uses-test.ts': "import { helper } from '../test/helper.ts';\nexport const again = helper;\n", // production-code-needs-no-tests
  'test/helper.ts': "import { code } from '../lib/errors.ts';\nexport const helper = code;\n",
  'bench/run.ts': "import autocannon from 'autocannon';\nimport { nothing } from './nothing.ts';\nexport const run = [autocannon, nothing];\n", // not-to-unresolvable (./nothing.ts only)

  'subgraphs/identity/index.ts': "import { serve } from './server.ts';\nimport { other } from '../profile/domain/rule.ts';\nexport const start = [serve, other];\n", // subgraph-knows-no-other-subgraph
  'subgraphs/identity/server.ts': "import { resolvers } from './resolvers.ts';\nexport const serve = resolvers;\n",
  'subgraphs/identity/resolvers.ts': "import { allowed } from './domain/rule.ts';\nexport const resolvers = { allowed };\n",
  'subgraphs/identity/domain/rule.ts': [
    "import type { Row } from '../db/schema.ts';",
    "import { rowOf } from '../db/rows.ts';",
    "import { code } from '../../../lib/errors.ts';",
    'export type Login = string;',
    'export const LIMIT = 3;',
    'export const allowed = (row: Row) => rowOf(row.id) ?? code;',
  ].join('\n'),
  'subgraphs/identity/domain/bad-rule.ts': [
    "import { rows } from '../db/schema.ts';", // domain-takes-types-from-schema
    "import { value } from 'drizzle-orm';", // domain-through-db-functions
    "import { resolvers } from '../resolvers.ts';", // below-the-top
    'export const bad = [rows, value, resolvers];',
  ].join('\n'),
  'subgraphs/identity/db/schema.ts': "export const rows = 'rows';\nexport interface Row { id: string }\n",
  'subgraphs/identity/db/rows.ts': "import type { Login } from '../domain/rule.ts';\nexport const rowOf = (login: Login) => login;\n",
  'subgraphs/identity/db/bad-rows.ts': [
    "import { LIMIT } from '../domain/rule.ts';", // db-below-domain
    "import type { resolvers } from '../resolvers.ts';", // below-the-top
    'export const limit = LIMIT;',
    'export type Resolvers = typeof resolvers;',
  ].join('\n'),
  'subgraphs/profile/domain/rule.ts': "export const other = 'other';\n",
};

/** `rule: from → to` of every violation, as `npm run check:layers` reports them. */
const EXPECTED = [
  'below-the-top: subgraphs/identity/db/bad-rows.ts → subgraphs/identity/resolvers.ts',
  'below-the-top: subgraphs/identity/domain/bad-rule.ts → subgraphs/identity/resolvers.ts',
  'db-below-domain: subgraphs/identity/db/bad-rows.ts → subgraphs/identity/domain/rule.ts',
  'domain-takes-types-from-schema: subgraphs/identity/domain/bad-rule.ts → subgraphs/identity/db/schema.ts',
  'domain-through-db-functions: subgraphs/identity/domain/bad-rule.ts → node_modules/drizzle-orm/index.js',
  'gateway-knows-no-subgraph-code: gateway/server.ts → subgraphs/identity/index.ts',
  'lib-is-the-ground: lib/knows-gateway.ts → gateway/server.ts',
  'no-non-package-json: lib/undeclared.ts → node_modules/undeclared/index.js',
  'no-runtime-cycle: lib/first.ts → lib/second.ts',
  'not-to-unresolvable: bench/run.ts → ./nothing.ts',
  'not-to-unresolvable: lib/typo.ts → ./missing.ts',
  'production-code-needs-no-tests: gateway/uses-test.ts → test/helper.ts',
  'services-need-no-dev-dependencies: lib/dev-only.ts → node_modules/dev-only/index.js',
  'subgraph-knows-no-other-subgraph: subgraphs/identity/index.ts → subgraphs/profile/domain/rule.ts',
];

interface CruiseResult {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
}

const fixture = mkdtempSync(join(tmpdir(), 'layers-'));
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

describe('the layer check', () => {
  it('reports each import a rule forbids, and none of the allowed ones', async () => {
    for (const [path, text] of Object.entries(TREE)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
    const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [depcruise, '--config', CONFIG, '--output-type', 'json', 'lib', 'gateway', 'subgraphs', 'test', 'bench'], { cwd: fixture });
    const { violations } = (JSON.parse(stdout) as CruiseResult).summary;
    const found = violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`).sort();
    expect(found).toEqual(EXPECTED);
    // Every rule of the configuration has its case here.
    expect(new Set(violations.map(({ rule }) => rule.name))).toEqual(new Set(forbidden.map(({ name }) => name)));
  });
});
