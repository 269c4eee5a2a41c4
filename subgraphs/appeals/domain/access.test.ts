import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../../lib/auth.ts';
import { mayReadAppeal } from './access.ts';

describe('mayReadAppeal', () => {
  const appeal = { authorId: 'author', authorityId: 'ministry', status: 'IN_WORK' as const };
  const person = (userId: string, roles: Viewer['roles'] = []): Viewer => ({ userId, level: 'CONFIRMED', roles, sessionId: null, service: null });

  it('lets the author read it', () => expect(mayReadAppeal(person('author'), appeal, null)).toBe(true));
  it('lets an official of the authority it was sent to read it', () => expect(mayReadAppeal(person('o', ['OFFICIAL']), appeal, 'ministry')).toBe(true));
  it('keeps it from an official of another authority', () => expect(mayReadAppeal(person('o', ['OFFICIAL']), appeal, 'city')).toBe(false));
  it('lets a coordinator read it', () => expect(mayReadAppeal(person('c', ['COORDINATOR']), appeal, null)).toBe(true));
  it('keeps it from another citizen and from an operator', () => {
    expect(mayReadAppeal(person('someone'), appeal, null)).toBe(false);
    expect(mayReadAppeal(person('op', ['OPERATOR']), appeal, null)).toBe(false);
  });
  it('keeps a draft to its author, from officials and coordinators too', () => {
    const draft = { ...appeal, status: 'DRAFT' as const, authorityId: null };
    expect(mayReadAppeal(person('author'), draft, null)).toBe(true);
    expect(mayReadAppeal(person('c', ['COORDINATOR']), draft, null)).toBe(false);
    expect(mayReadAppeal(person('o', ['OFFICIAL']), draft, null)).toBe(false);
  });
});
