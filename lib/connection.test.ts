import { describe, expect, it } from 'vitest';
import { decodeTimeIdCursor, encodeCursor, forwardPage, pageSize, timeIdKey } from './connection.ts';

describe('pageSize', () => {
  it('uses the fallback when first is not given, and accepts 0 to max', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(100)).toBe(100);
  });

  it.each([-1, 101, 2.5])('refuses first = %s with BAD_USER_INPUT', (first) => {
    expect(() => pageSize(first)).toThrowError(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});

describe('time-and-id cursors', () => {
  const id = '00000000-0000-4000-8000-000000000001';
  const at = new Date('2026-11-25T09:51:44.123Z');

  it('round-trip through an opaque string', () => {
    const cursor = encodeCursor(timeIdKey(at, id));
    expect(cursor).not.toContain(id);
    expect(decodeTimeIdCursor(cursor)).toEqual({ at: at.toISOString(), id });
  });

  it.each(['not a cursor', encodeCursor(['yesterday', id]), encodeCursor([at.toISOString(), "1' or '1'='1"]), encodeCursor([1])])('refuses %j with BAD_USER_INPUT', (cursor) => {
    expect(() => decodeTimeIdCursor(cursor)).toThrowError(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});

describe('forwardPage', () => {
  const rows = ['a', 'b', 'c'];
  it('uses the extra row only to tell that another page exists', () => {
    const page = forwardPage(rows, 2, (row) => [row], false);
    expect(page.edges.map((edge) => edge.node)).toEqual(['a', 'b']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor(['a']), endCursor: encodeCursor(['b']) });
  });

  it('gives null cursors on an empty page', () => {
    expect(forwardPage([], 2, (row: string) => [row], true).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });
});
