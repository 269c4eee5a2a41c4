import { describe, expect, it } from 'vitest';
import { secretsIn } from './log-secrets.ts';

/** The shapes the whole run's logs are searched for (vitest.config.ts): each found, ordinary lines left alone. */
describe('secretsIn', () => {
  it('finds each kind of secret in a log line', () => {
    expect(secretsIn('[gateway] token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.MEUCIQDabcdefghijklmnop')).toEqual(['a JWT (access token, gateway credential or service token)']);
    expect(secretsIn('refresh 0b6f1c1e-2d3a-4c5b-8e9f-001122334455.3.k7Q2xYzABCDEFGHIJKLMNOPQRS')).toEqual(['a refresh token']);
    expect(secretsIn('headers: { authorization: "Bearer abcdefghijklmnopqrstuvwx" }')).toEqual(['an Authorization header']);
    expect(secretsIn('login failed for Test2026pass')).toEqual(['the test password']);
  });

  it('leaves ordinary lines alone: addresses, ids, codes of errors', () => {
    expect(secretsIn('[gateway] ready at http://127.0.0.1:4000/graphql')).toEqual([]);
    expect(secretsIn('[notifications] delivery 0b6f1c1e-2d3a-4c5b-8e9f-001122334455 failed: SMS_GATEWAY_DOWN')).toEqual([]);
    expect(secretsIn('[gateway] subgraph appeals did not answer: request to http://localhost:4004/graphql failed')).toEqual([]);
  });
});
