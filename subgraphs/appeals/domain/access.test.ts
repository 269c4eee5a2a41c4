import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../lib/auth.ts';
import { isOverdue, mayReadAppeal } from './domain.ts';

const now = new Date('2026-11-25T12:00:00Z');
const yesterday = new Date('2026-11-24T12:00:00Z');
const tomorrow = new Date('2026-11-26T12:00:00Z');

describe('isOverdue', () => {
  it('flags an appeal past its due date that is still being worked on', () => {
    expect(isOverdue({ status: 'IN_WORK', dueAt: yesterday }, now)).toBe(true);
    expect(isOverdue({ status: 'CLARIFICATION_REQUESTED', dueAt: yesterday }, now)).toBe(true);
  });

  it('does not flag one that is due later, or already answered, rejected or closed', () => {
    expect(isOverdue({ status: 'IN_WORK', dueAt: tomorrow }, now)).toBe(false);
    for (const status of ['ANSWERED', 'REJECTED', 'CLOSED'] as const) expect(isOverdue({ status, dueAt: yesterday }, now)).toBe(false);
  });
});

describe('mayReadAppeal', () => {
  const appeal = { authorId: 'author', authorityId: 'ministry' };
  const person = (userId: string, roles: Viewer['roles'] = []): Viewer => ({ userId, level: 'CONFIRMED', roles, sessionId: null, service: null });

  it('lets the author read it', () => expect(mayReadAppeal(person('author'), appeal, null)).toBe(true));
  it('lets an official of the authority it was sent to read it', () => expect(mayReadAppeal(person('o', ['OFFICIAL']), appeal, 'ministry')).toBe(true));
  it('keeps it from an official of another authority', () => expect(mayReadAppeal(person('o', ['OFFICIAL']), appeal, 'city')).toBe(false));
  it('lets a coordinator read it', () => expect(mayReadAppeal(person('c', ['COORDINATOR']), appeal, null)).toBe(true));
  it('keeps it from another citizen and from an operator', () => {
    expect(mayReadAppeal(person('someone'), appeal, null)).toBe(false);
    expect(mayReadAppeal(person('op', ['OPERATOR']), appeal, null)).toBe(false);
  });
});
