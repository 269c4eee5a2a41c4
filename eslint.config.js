import tseslint from 'typescript-eslint';
import { schemaLint } from './schema/lint/config.js';

/** The subgraphs' SDL; schema/supergraph.graphql is generated (`npm run compose`) and not linted. */
const SUBGRAPH_SCHEMAS = ['schema/identity.graphql', 'schema/profile.graphql', 'schema/notifications.graphql', 'schema/appeals.graphql'];
/** Tests: e2e in test/, unit beside the code. */
const TESTS = ['test/**/*.ts', '**/*.test.ts'];

/**
 * TypeScript, with type information (each file's own tsconfig.json): a promise nobody awaits loses
 * its rejection, and a value typed `any` turns the compiler's checks off for whatever touches it.
 * Tests read GraphQL answers as `any` on purpose (they are asserted on whole: test/graph.ts), so the
 * no-unsafe-* rules are for the services, benchmarks and dev tools; promises are checked everywhere.
 */
const typescript = [
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
    },
  },
  {
    // The cabinet renders every text of the API as text (appeal texts may hold HTML): never as markup.
    files: ['web/**/*.tsx'],
    rules: { 'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render API texts as text.' }] },
  },
  {
    files: TESTS,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
];

export default [
  // bench/hive/ is typed by @graphql-hive/gateway, which only `npm run bench` installs (into bench/node_modules);
  // subgraphs/*/generated/ and web/src/generated/ are written by `npm run codegen`, web/dist/ by the cabinet's build.
  { ignores: ['schema/supergraph.graphql', 'bench/node_modules/**', 'bench/hive/**', 'subgraphs/*/generated/**', 'web/src/generated/**', 'web/dist/**'] },
  ...typescript,
  ...schemaLint(SUBGRAPH_SCHEMAS, {
    'schema/profile.graphql': ['User'],
    'schema/notifications.graphql': ['User', 'Appeal'],
    'schema/appeals.graphql': ['User'],
  }),
];
