import { readdirSync, readFileSync } from 'node:fs';
import { parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { connectionFailure, GRAPHQL_ERROR_CODES, maskedError, USER_ERROR_CODES } from './errors.ts';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('Telling an outage from a bug (issue 15, defect 11)', () => {
  // Guards lib/errors.ts, connectionFailure: the codes of a lost connection, found through drizzle's wrapper.
  it('finds a lost or refused connection, also as the cause of a failed query or inside an AggregateError', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', '57P01', '57P03', '08006', '53300']) {
      expect(connectionFailure(coded(code))?.message).toBe(code);
    }
    // drizzle's DrizzleQueryError ("Failed query: … params: …") carries the driver's error as its cause.
    expect(connectionFailure(new Error('Failed query: select 1', { cause: coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432') }))?.message).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(connectionFailure(new AggregateError([coded('ECONNREFUSED', '::1'), coded('ECONNREFUSED', '127.0.0.1')]))?.message).toBe('::1');
  });

  // Guards lib/errors.ts, maskedError: only a connection failure is SERVICE_UNAVAILABLE.
  it('keeps a bug INTERNAL_SERVER_ERROR: a unique violation, a syntax error, a TypeError', () => {
    for (const error of [coded('23505'), coded('42601'), new TypeError('x is undefined'), new Error('Failed query', { cause: coded('23505') })]) {
      expect(connectionFailure(error)).toBeNull();
      expect(maskedError(error)).toEqual({ message: 'Внутренняя ошибка сервиса. Попробуйте позже.', extensions: { code: 'INTERNAL_SERVER_ERROR' }, cause: error });
    }
    const refused = coded('ECONNREFUSED');
    // Only the connection error is logged for an outage, never the failed query around it.
    expect(maskedError(new Error('Failed query: insert … params: …', { cause: refused }))).toEqual({
      message: 'Сервис временно недоступен. Повторите попытку позже.',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
      cause: refused,
    });
  });

  // Guards lib/errors.ts, unreadableValue: an id of another form reached a uuid column (test/odd-ids.test.ts).
  it('makes a value the database cannot read BAD_USER_INPUT, and only the database error is logged', () => {
    const unreadable = coded('22P02', 'invalid input syntax for type uuid');
    expect(maskedError(new Error('Failed query: select … params: …', { cause: unreadable }))).toEqual({
      message: 'Значение записано в неверном формате (например, идентификатор не того вида): такой записи нет.',
      extensions: { code: 'BAD_USER_INPUT' },
      cause: unreadable,
    });
  });
});

/** The backticked codes in the first cell of each table row of `markdown`'s sections whose heading starts with one of `headings`. */
function tableCodes(markdown: string, headings: string[]): Set<string> {
  const codes = new Set<string>();
  let inSection = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) inSection = headings.some((heading) => line.startsWith(`## ${heading}`));
    const firstCell = /^\| ([^|]*) \|/.exec(line)?.[1];
    if (inSection && firstCell) for (const [, code] of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) codes.add(code!);
  }
  return codes;
}

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const sorted = (codes: Iterable<string>) => [...new Set(codes)].sort();

describe('Error codes: lib/errors.ts and the documentation', () => {
  const errorsMd = read('docs/errors.md');

  // Guards lib/errors.ts GRAPHQL_ERROR_CODES against docs/errors.md, "GraphQL errors" and "The request itself".
  it('lists every GraphQL error code in docs/errors.md, and documents none that is not one', () => {
    expect(sorted(tableCodes(errorsMd, ['GraphQL errors', 'The request itself']))).toEqual(sorted(GRAPHQL_ERROR_CODES));
  });

  // Guards lib/errors.ts USER_ERROR_CODES against docs/errors.md, "User errors".
  it('lists every user error code of a mutation payload in docs/errors.md, and documents none that is not one', () => {
    expect(sorted(tableCodes(errorsMd, ['User errors']))).toEqual(sorted(USER_ERROR_CODES));
  });

  // docs/api.md names codes in its prose: each is one of ours. Its other capitalised words are the
  // schema's enum values and the README's settings.
  it('names in docs/api.md only codes there are', () => {
    const enumValues = new Set<string>();
    for (const file of readdirSync(new URL('../schema/', import.meta.url)).filter((name) => name.endsWith('.graphql') && name !== 'supergraph.graphql')) {
      visit(parse(read(`schema/${file}`)), { EnumValueDefinition: (node) => void enumValues.add(node.name.value) });
    }
    const settings = tableCodes(read('README.md').replace(/^#+ /gm, '## '), ['']);
    const named = [...read('docs/api.md').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(([, word]) => word!).filter((word) => !enumValues.has(word) && !settings.has(word));
    const codes = new Set<string>([...GRAPHQL_ERROR_CODES, ...USER_ERROR_CODES]);
    expect(named.filter((word) => !codes.has(word))).toEqual([]);
    expect(named.length, 'docs/api.md names some codes').toBeGreaterThan(0);
  });
});
