import { describe, expect, it } from 'vitest';
import { credentialProblem, signGatewayCredential } from './gateway-credential.ts';

const secret = 'test-secret-of-the-gateway-0123456789';
const request = { subgraph: 'profile' as const, authorization: 'Bearer alice', query: '{ me { id } }', variables: { a: 1 } };

describe('The gateway credential', () => {
  it('is accepted by the subgraph it was signed for, for that caller and operation', async () => {
    const credential = await signGatewayCredential(secret, request);
    expect(await credentialProblem(secret, credential, { subgraph: 'profile', authorization: 'Bearer alice', operation: { query: request.query, variables: { a: 1 } } })).toBeNull();
  });

  it('is refused when missing, for another subgraph, use, caller, operation or client address, or signed with another secret', async () => {
    const credential = await signGatewayCredential(secret, request);
    const expected = { subgraph: 'profile' as const, authorization: 'Bearer alice', operation: { query: request.query, variables: { a: 1 } } };
    expect(await credentialProblem(secret, undefined, expected)).toBe('no gateway credential');
    expect(await credentialProblem(secret, credential, { ...expected, subgraph: 'identity' })).toBe('invalid or expired gateway credential');
    expect(await credentialProblem(secret, credential, { ...expected, authorization: 'Bearer mallory' })).toBe('credential of another caller');
    expect(await credentialProblem(secret, credential, { ...expected, operation: { query: '{ _service { sdl } }', variables: {} } })).toBe('credential of another operation');
    expect(await credentialProblem(secret, credential, { ...expected, operation: { query: request.query, variables: { a: 2 } } })).toBe('credential of another operation');
    expect(credentialProblem(secret, credential, { ...expected, use: 'socket' })).toBe('credential of another use');
    expect(credentialProblem(secret, signGatewayCredential(secret, { ...request, use: 'socket' as const }), { ...expected, operation: undefined })).toBe('credential of another use');
    expect(credentialProblem(secret, credential, { ...expected, clientAddress: '203.0.113.9' })).toBe('credential of another client address');
    const addressed = signGatewayCredential(secret, { ...request, clientAddress: '198.51.100.1' });
    expect(credentialProblem(secret, addressed, { ...expected, clientAddress: '198.51.100.1' })).toBeNull();
    expect(credentialProblem(secret, addressed, expected)).toBe('credential of another client address');
    const forged = await signGatewayCredential('another-secret-0123456789abcdef', request);
    expect(await credentialProblem(secret, forged, expected)).toBe('invalid or expired gateway credential');
  });

  it('is refused once it has expired', async () => {
    const { SignJWT } = await import('jose');
    const stale = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('epgu-gateway')
      .setAudience('profile')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
      .sign(new TextEncoder().encode(secret));
    expect(await credentialProblem(secret, stale, { subgraph: 'profile', authorization: null })).toBe('invalid or expired gateway credential');
  });

  it('is a standard HS256 JWT: a JWT library verifies it with the secret, its claims those of the gateway', async () => {
    const { jwtVerify } = await import('jose');
    const { payload, protectedHeader } = await jwtVerify(signGatewayCredential(secret, request), new TextEncoder().encode(secret), { issuer: 'epgu-gateway', audience: 'profile', algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256' });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is refused when its claims, its header or its signature are edited, or it is unsigned', () => {
    const [header, payload, signature] = signGatewayCredential(secret, request).split('.') as [string, string, string];
    const expected = { subgraph: 'profile' as const, authorization: 'Bearer alice', operation: { query: request.query, variables: { a: 1 } } };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const refused = [
      `${header}.${encode({ ...claims, aud: 'identity' })}.${signature}`,
      `${header}.${encode({ ...claims, exp: Number(claims.exp) + 3600 })}.${signature}`,
      `${encode({ alg: 'none' })}.${payload}.`,
      `${encode({ alg: 'none' })}.${payload}.${signature}`,
      `${encode({ alg: 'HS256', typ: 'JWT' })}.${payload}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -2)}`,
      `${header}.${payload}.${signature}A`,
      `${header}.${payload}`,
    ];
    for (const credential of refused) expect(credentialProblem(secret, credential, expected), credential).toBe('invalid or expired gateway credential');
  });
});
