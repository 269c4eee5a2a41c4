import { describe, expect, it } from 'vitest';
import { assertBeforeDeadline, DeadlinePassedError, deadlineFrom } from './deadline.ts';
import { connectionFailure } from './errors.ts';

describe('request deadlines', () => {
  it('reads the gateway timeout header as milliseconds from receipt, and ignores anything else', () => {
    expect(deadlineFrom('3000', 1_000)).toBe(4_000);
    for (const bad of [undefined, '', '0', '-5', '1e3', '3000ms', ' 3000', '9999999999', ['3000']]) expect(deadlineFrom(bad, 1_000)).toBeNull();
    expect(deadlineFrom(String(11 * 60_000), 0)).toBeNull(); // over ten minutes
  });

  it('holds until the deadline and not a millisecond after', () => {
    expect(() => assertBeforeDeadline(1_000, 999)).not.toThrow();
    expect(() => assertBeforeDeadline(1_000, 1_000)).toThrow(DeadlinePassedError);
  });

  it('is an outage for the client (SERVICE_UNAVAILABLE: retry), not a bug', () => {
    expect(connectionFailure(new DeadlinePassedError('late'))).toBeInstanceOf(DeadlinePassedError);
  });
});
