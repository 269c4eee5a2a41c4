import { describe, expect, it } from 'vitest';
import type { AppealStatus } from '../db/schema.ts';
import { isOverdue, stateProblem, TRANSITIONS, type Action } from './lifecycle.ts';

const STATUSES: AppealStatus[] = ['DRAFT', 'REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED', 'ANSWERED', 'REJECTED', 'CLOSED'];
const now = new Date('2026-11-25T12:00:00Z');
const appeal = (status: AppealStatus, more: Partial<{ extendedAt: Date | null; reopenedAt: Date | null; registeredAt: Date | null }> = {}) => ({
  status,
  extendedAt: null,
  reopenedAt: null,
  registeredAt: new Date('2026-11-24T12:00:00Z'),
  ...more,
});

describe('The state machine of an appeal', () => {
  it('allows each action from exactly its statuses', () => {
    const allowed = Object.fromEntries((Object.keys(TRANSITIONS) as Action[]).map((action) => [action, STATUSES.filter((status) => stateProblem(appeal(status), action, now) === null)]));
    expect(allowed).toEqual({
      TAKEN_INTO_WORK: ['REGISTERED', 'REDIRECTED'],
      CLARIFICATION_REQUESTED: ['IN_WORK'],
      CLARIFIED: ['CLARIFICATION_REQUESTED'],
      ANSWERED: ['IN_WORK'],
      REDIRECTED: ['REGISTERED', 'IN_WORK'],
      REJECTED: ['REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED'],
      DUE_DATE_EXTENDED: ['REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED'],
      RATED: ['ANSWERED'],
      REOPENED: ['ANSWERED'],
    });
  });

  it('says in the status’s own words why an action is refused', () => {
    expect(stateProblem(appeal('CLOSED'), 'ANSWERED', now)).toEqual({ field: null, code: 'TRANSITION_NOT_ALLOWED', message: 'Нельзя дать ответ: обращение в статусе «закрыто».' });
  });

  it('extends once and reopens once', () => {
    expect(stateProblem(appeal('IN_WORK', { extendedAt: now }), 'DUE_DATE_EXTENDED', now)?.code).toBe('ALREADY_EXTENDED');
    expect(stateProblem(appeal('ANSWERED', { reopenedAt: now }), 'REOPENED', now)?.code).toBe('ALREADY_REOPENED');
  });

  it('redirects only within 7 days of registration', () => {
    expect(stateProblem(appeal('IN_WORK', { registeredAt: new Date('2026-11-17T12:00:00Z') }), 'REDIRECTED', now)?.code).toBe('REDIRECT_TOO_LATE');
    expect(stateProblem(appeal('IN_WORK', { registeredAt: new Date('2026-11-19T12:00:00Z') }), 'REDIRECTED', now)).toBeNull();
  });
});

describe('isOverdue', () => {
  const yesterday = new Date('2026-11-24T20:59:59.999Z');
  it('flags an open appeal past its due date', () => {
    for (const status of ['REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED'] as const) expect(isOverdue({ status, dueAt: yesterday }, now)).toBe(true);
  });
  it('does not flag a finished one, a draft, or one due later', () => {
    for (const status of ['ANSWERED', 'REJECTED', 'CLOSED'] as const) expect(isOverdue({ status, dueAt: yesterday }, now)).toBe(false);
    expect(isOverdue({ status: 'DRAFT', dueAt: null }, now)).toBe(false);
    expect(isOverdue({ status: 'IN_WORK', dueAt: new Date('2026-11-30T20:59:59.999Z') }, now)).toBe(false);
  });
});
