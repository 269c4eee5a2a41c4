import { describe, expect, it } from 'vitest';
import { hashPassword, parseLogin, passwordMatches } from './credentials.ts';

describe('parseLogin: what a person types as a login', () => {
  it.each([
    ['+79161234567', { kind: 'phone', value: '+79161234567' }],
    ['+7 (916) 123-45-67', { kind: 'phone', value: '+79161234567' }],
    ['8 916 123 45 67', { kind: 'phone', value: '+79161234567' }],
    ['9161234567', { kind: 'phone', value: '+79161234567' }],
    [' Ivanov@Example.RU ', { kind: 'email', value: 'ivanov@example.ru' }],
    ['112-233-445 95', { kind: 'snils', value: '11223344595' }],
    ['11223344595', { kind: 'snils', value: '11223344595' }],
  ])('reads %j', (raw, expected) => {
    expect(parseLogin(raw)).toEqual(expected);
  });

  it.each(['', 'ivanov', 'ivanov@', '+7 916 123', '12345', '+1 (202) 555-01-23-45'])('refuses %j', (raw) => {
    expect(parseLogin(raw)).toBeNull();
  });
});

describe('passwordMatches', () => {
  it('accepts the password the hash was made from and nothing else', async () => {
    const hash = await hashPassword('Correct2026horse');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwordMatches(hash, 'Correct2026horse')).toBe(true);
    expect(await passwordMatches(hash, 'correct2026horse')).toBe(false);
  });

  it('answers false, after the same work, when there is no account', async () => {
    expect(await passwordMatches(null, 'anything')).toBe(false);
  });
});
