/**
 * Which module may import which (docs/architecture.md, "Who may import what"): `npm run check:layers`
 * fails on an import these rules forbid, on a cycle of imports, and on a package imported but not
 * declared in package.json. Paths are relative to the repository root; `$1` in a `to` path stands for
 * what `(…)` matched in the `from` path. Tests (*.test.ts, test/) may import what they test and the
 * helpers in test/; the layer rules are for the code the services and tools run.
 */
const benchPackages = Object.keys(require('./bench/package.json').dependencies);

/** The modules that serve a subgraph's requests or start it: the top of a subgraph. */
const SUBGRAPH_TOP = '^subgraphs/[^/]+/(resolvers|[^/]+-resolvers|server|index)\\.ts$';
const TEST = '(^test/|\\.test\\.ts$)';
/** A subgraph's domain/ reaches the database only through db/ functions, as test/architecture.test.ts checks for SQL. */
const movedDomain = '^subgraphs/[^/]+/domain/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-is-the-ground',
      comment: 'lib/ is shared by every service: it imports nothing from the gateway, the subgraphs, tests, benchmarks or dev tools.',
      severity: 'error',
      from: { path: '^lib/', pathNot: TEST },
      to: { path: '^(gateway|subgraphs|test|bench|dev)/' },
    },
    {
      name: 'gateway-knows-no-subgraph-code',
      comment: 'The gateway reaches the subgraphs over HTTP and the supergraph SDL, never through their code.',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'subgraph-knows-no-other-subgraph',
      comment: "A subgraph learns about another's data through entities and events, never by importing its code.",
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/$1/' },
    },
    {
      name: 'db-below-domain',
      comment: 'db/ runs the queries the domain asks for and imports nothing that serves requests. From domain/ it takes types only (the words its queries are asked in: a login, a rule), never code.',
      severity: 'error',
      // Appeals' schema and its overdue SQL take the domain's own lists of statuses (open, finished), so
      // "open" and "overdue" have one definition: the words are the domain's.
      from: { path: '^subgraphs/[^/]+/db/', pathNot: [TEST, '^subgraphs/appeals/db/(schema|appeals)\\.ts$'] },
      to: { path: '^subgraphs/[^/]+/domain/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'below-the-top',
      comment: 'domain/ and db/ are called by the resolvers and servers, and know nothing of them, not even their types.',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/(domain|db)/' },
      to: { path: SUBGRAPH_TOP },
    },
    {
      name: 'domain-through-db-functions',
      comment: 'A domain file reaches the database only by calling db/ functions: no drizzle-orm, postgres, lib/db.ts or outbox, and only `import type` of the row types in db/schema.ts.',
      severity: 'error',
      from: { path: movedDomain, pathNot: TEST },
      to: { path: ['^node_modules/(drizzle-orm|postgres)/', '^lib/db\\.ts$', '^lib/events/outbox\\.ts$'] },
    },
    {
      name: 'domain-takes-types-from-schema',
      comment: 'The tables in db/schema.ts are for db/; the domain imports only their row types.',
      severity: 'error',
      from: { path: movedDomain, pathNot: TEST },
      to: { path: '^subgraphs/[^/]+/db/schema\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'production-code-needs-no-tests',
      comment: "Services and tools do not import tests, test helpers or benchmarks. (dev/demo-data.ts is the seeds' data and may be imported.)",
      severity: 'error',
      from: { path: '^(lib|gateway|subgraphs|schema)/', pathNot: TEST },
      to: { path: ['^test/', '^bench/', '\\.test\\.ts$', '^dev/(?!demo-data\\.ts$)'] },
    },
    {
      name: 'no-runtime-cycle',
      comment: "A cycle of imports makes the order modules load in matter. Cycles through an `import type` are erased before the code runs and are allowed (db/ takes the domain's words as types).",
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-non-package-json',
      comment: 'Every package the code imports is declared in its package.json (`npm install --save-exact <pkg>`).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'services-need-no-dev-dependencies',
      comment:
        'What the services run is in dependencies, so a production install (`npm ci --omit=dev`) has it; types may come from devDependencies, and drizzle-kit configs (migrations are written in development) from drizzle-kit.',
      severity: 'error',
      from: { path: '^(lib|gateway|subgraphs)/', pathNot: [TEST, '^subgraphs/[^/]+/drizzle\\.config\\.ts$'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: "An import that resolves to no file is a typo or a missing package; bench/'s own packages are let through, as only `npm run bench` installs them.",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: benchPackages.map((name) => `^${name}$`) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^subgraphs/[^/]+/db/migrations/' },
    // `import type` counts, and is told apart from an import of code (the `type-only` dependency type).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // bench/ sees its own package.json and the root's.
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
