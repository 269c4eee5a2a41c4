import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { schemaLint } from '../schema/lint/config.js';

/** The SDL lint (eslint.config.js, schema/lint/) as `npm run lint:schema` runs it, and on a fixture that breaks each rule. */

const SUBGRAPHS = ['identity', 'profile', 'notifications', 'appeals'].map((name) => `schema/${name}.graphql`);
const BAD = 'test/schema-lint/bad-shapes.graphql';

const problems = (results: ESLint.LintResult[]) =>
  results.flatMap((result) => result.messages.map((message) => `${result.filePath.slice(process.cwd().length + 1)}:${message.line} ${message.ruleId ?? 'fatal'}: ${message.message}`));

describe('the schema lint', () => {
  it('finds nothing in the four subgraphs', async () => {
    const results = await new ESLint().lintFiles(SUBGRAPHS);
    expect(results.map((result) => result.filePath.slice(process.cwd().length + 1))).toEqual(SUBGRAPHS);
    expect(problems(results)).toEqual([]);
  });

  it('reports a paged plain list, an unbounded list, a connection without totalCount, old count names and mutations without a payload or its errors', async () => {
    const results = await new ESLint({ overrideConfigFile: true, overrideConfig: schemaLint([BAD]) }).lintFiles([BAD]);
    const found = results.flatMap((result) => result.messages.map((message) => [message.line, message.ruleId]));
    expect(found).toEqual([
      [5, 'shapes/growing-lists-are-connections'], // appeals(first:): [Appeal!]!
      [10, 'shapes/growing-lists-are-connections'], // topics without @listSize
      [24, 'shapes/mutation-payload'], // refreshSession: Tokens!
      [29, 'shapes/mutation-payload'], // archiveAppeal: a payload without errors
      [61, 'shapes/count-names'], // total
      [63, 'shapes/count-names'], // byCategory
      [79, 'shapes/growing-lists-are-connections'], // AppealConnection without totalCount
    ]);
  });
});
