import { describe, expect, it } from 'vitest';
import { APPEAL_TEXT_CANARY, secretsIn } from './log-secrets.ts';

/** The shapes the whole run's logs are searched for (vitest.config.ts): each found, ordinary lines left alone. */
describe('secretsIn', () => {
  it('finds each kind of secret in a log line', () => {
    expect(secretsIn('[gateway] token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.MEUCIQDabcdefghijklmnop')).toEqual(['a JWT (access token, gateway credential or service token)']);
    expect(secretsIn('refresh 0b6f1c1e-2d3a-4c5b-8e9f-001122334455.3.k7Q2xYzABCDEFGHIJKLMNOPQRS')).toEqual(['a refresh token']);
    expect(secretsIn('headers: { authorization: "Bearer abcdefghijklmnopqrstuvwx" }')).toEqual(['an Authorization header']);
    expect(secretsIn('login failed for Test2026pass')).toEqual(['the test password']);
  });

  it("finds SQL parameters, the tests' appeal texts and document numbers, raw or JSON-escaped", () => {
    expect(secretsIn('DrizzleQueryError: Failed query: insert into "appeals"."appeals" ("id") values ($1)\nparams: 0b6f1c1e')).toEqual(['SQL parameters']);
    expect(secretsIn('{"err":{"params":["0b6f1c1e"]}}')).toEqual(['SQL parameters']);
    expect(secretsIn("PostgresError: … { parameters: [ '0b6f1c1e' ] }")).toEqual(['SQL parameters']);
    expect(secretsIn(`{"msg":"Яма на дороге (${APPEAL_TEXT_CANARY})"}`)).toEqual(['an appeal text of the tests']);
    expect(secretsIn('{"detail":"{\\"series\\":\\"4510\\",\\"number\\":\\"012345\\"}"}')).toEqual(['a passport series and number']);
    expect(secretsIn("details: { series: '45 10', number: '987654' }")).toEqual(['a passport series and number']);
    expect(secretsIn('snils 148-481-255 85')).toEqual(['a SNILS number']);
  });

  it('leaves ordinary lines alone: addresses, ids, codes of errors', () => {
    expect(secretsIn('[gateway] ready at http://127.0.0.1:4000/graphql')).toEqual([]);
    expect(secretsIn('[notifications] delivery 0b6f1c1e-2d3a-4c5b-8e9f-001122334455 failed: SMS_GATEWAY_DOWN')).toEqual([]);
    expect(secretsIn('[gateway] subgraph appeals did not answer: request to http://localhost:4004/graphql failed')).toEqual([]);
    expect(
      secretsIn(
        '{"level":"error","service":"appeals","err":{"class":"DrizzleQueryError","sql":"insert into \\"appeals\\".\\"appeals\\" (\\"text\\") values ($1)","cause":{"class":"PostgresError","code":"23514"}},"msg":"internal error"}',
      ),
    ).toEqual([]);
  });
});
