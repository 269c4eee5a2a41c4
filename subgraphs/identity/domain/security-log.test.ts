import { describe, expect, it } from 'vitest';
import { SECURITY_EVENT_KINDS } from './security-log.ts';

describe('The event log’s kinds', () => {
  it('each say what happened in a headline of their own, so no two entries of the feed or the log read alike', () => {
    const titles = Object.values(SECURITY_EVENT_KINDS).map(({ title }) => title);
    expect(new Set(titles).size).toBe(titles.length);
  });
});
