import { describe, expect, it } from 'vitest';
import { passwordAgainKeys, secondsRefused, THROTTLE_RULES, throttleKeys } from './throttle.ts';

const now = new Date('2026-12-03T09:00:00.000Z');
const inMinutes = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

describe('Sign-in throttle keys', () => {
  it('count a login from one address, the login from anywhere and the address, narrowest first', () => {
    expect(throttleKeys('phone:+79160000001', '203.0.113.5').map(({ key }) => key)).toEqual(['login-address:phone:+79160000001|203.0.113.5', 'login:phone:+79160000001', 'address:203.0.113.5']);
  });

  it('share the per-address key with the password asked again, and nothing else', () => {
    const signIn = throttleKeys('phone:+79160000001', '203.0.113.5').map(({ key }) => key);
    const again = passwordAgainKeys('0b6e5f4a-0000-4000-8000-000000000001', '203.0.113.5').map(({ key }) => key);
    expect(again.filter((key) => signIn.includes(key))).toEqual(['address:203.0.113.5']);
  });
});

describe('secondsRefused: what the counts of an attempt answer', () => {
  const keys = throttleKeys('phone:+79160000001', '203.0.113.5');
  const [pair, login, address] = keys.map(({ key }) => key) as [string, string, string];

  it('lets an attempt through while every key is within its limit, the limit itself included', () => {
    const counts = [
      { key: pair, failures: THROTTLE_RULES['login-address'].maxAttempts, locked_until: inMinutes(15) },
      { key: login, failures: 3, locked_until: null },
      { key: address, failures: 7, locked_until: null },
    ];
    expect(secondsRefused(keys, counts, now)).toBeNull();
  });

  it('refuses past a limit, until the lock ends', () => {
    const counts = [{ key: pair, failures: 6, locked_until: inMinutes(14.5) }];
    expect(secondsRefused(keys, counts, now)).toBe(870);
  });

  it('refuses when a key has no count: the attempt never reached it', () => {
    // The login's 20th attempt passed and set its lock; the address has no row in the answer.
    const counts = [
      { key: pair, failures: 1, locked_until: null },
      { key: login, failures: THROTTLE_RULES.login.maxAttempts, locked_until: inMinutes(15) },
    ];
    expect(secondsRefused(keys, counts, now)).toBe(900);
  });

  it('says at least a second, even when the lock has just ended', () => {
    expect(secondsRefused(keys, [{ key: pair, failures: 6, locked_until: now.toISOString() }], now)).toBe(1);
  });
});
