import { describe, expect, it } from 'vitest';
import { credentialProblem, signGatewayCredential } from './gateway-credential.ts';

const secret = 'test-secret-of-the-gateway-0123456789';
const request = { subgraph: 'profile' as const, authorization: 'Bearer alice', query: '{ me { id } }', variables: { a: 1 } };

describe('The gateway credential', () => {
  it('is accepted by the subgraph it was signed for, for that caller and operation', async () => {
    const credential = await signGatewayCredential(secret, request);
    expect(await credentialProblem(secret, credential, { subgraph: 'profile', authorization: 'Bearer alice', operation: { query: request.query, variables: { a: 1 } } })).toBeNull();
  });

  it('is refused when missing, for another subgraph, another caller, another operation, or signed with another secret', async () => {
    const credential = await signGatewayCredential(secret, request);
    const expected = { subgraph: 'profile' as const, authorization: 'Bearer alice', operation: { query: request.query, variables: { a: 1 } } };
    expect(await credentialProblem(secret, undefined, expected)).toBe('no gateway credential');
    expect(await credentialProblem(secret, credential, { ...expected, subgraph: 'identity' })).toBe('invalid or expired gateway credential');
    expect(await credentialProblem(secret, credential, { ...expected, authorization: 'Bearer mallory' })).toBe('credential of another caller');
    expect(await credentialProblem(secret, credential, { ...expected, operation: { query: '{ _service { sdl } }', variables: {} } })).toBe('credential of another operation');
    expect(await credentialProblem(secret, credential, { ...expected, operation: { query: request.query, variables: { a: 2 } } })).toBe('credential of another operation');
    const forged = await signGatewayCredential('another-secret-0123456789abcdef', request);
    expect(await credentialProblem(secret, forged, expected)).toBe('invalid or expired gateway credential');
  });

  it('is refused once it has expired', async () => {
    const { SignJWT } = await import('jose');
    const stale = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('epgu-gateway').setAudience('profile').setExpirationTime(Math.floor(Date.now() / 1000) - 5).sign(new TextEncoder().encode(secret));
    expect(await credentialProblem(secret, stale, { subgraph: 'profile', authorization: null })).toBe('invalid or expired gateway credential');
  });
});
