import { describe, expect, it } from 'vitest';
import { CODE_SEND_RULE } from './codes.ts';
import { sendWait, type Sent } from './sends.ts';

const now = new Date('2026-12-03T09:00:00.000Z');
const ago = (seconds: number, purpose = 'REGISTRATION'): Sent => ({ purpose, at: new Date(now.getTime() - seconds * 1000).toISOString() });

describe('sendWait: how long a refused send must wait (the message of a RATE_LIMITED)', () => {
  it('lets the first send through', () => {
    expect(sendWait([], 'REGISTRATION', CODE_SEND_RULE, now)).toBeNull();
  });

  it('holds the same purpose for the rest of its minute, and not another purpose', () => {
    expect(sendWait([ago(20)], 'REGISTRATION', CODE_SEND_RULE, now)).toEqual({ rule: 'cooldown', ms: 40_000 });
    expect(sendWait([ago(20)], 'PASSWORD_RECOVERY', CODE_SEND_RULE, now)).toBeNull();
    expect(sendWait([ago(60)], 'REGISTRATION', CODE_SEND_RULE, now)).toBeNull();
  });

  it('after five sends in the hour, waits until the oldest of them leaves the hour', () => {
    const five = [ago(50 * 60, 'TWO_STEP_LOGIN'), ago(40 * 60), ago(30 * 60), ago(20 * 60), ago(10 * 60, 'CONTACT_CHANGE')];
    expect(sendWait(five, 'PASSWORD_RECOVERY', CODE_SEND_RULE, now)).toEqual({ rule: 'budget', ms: 10 * 60_000 });
    expect(sendWait(five.slice(1), 'PASSWORD_RECOVERY', CODE_SEND_RULE, now)).toBeNull();
    expect(sendWait([ago(61 * 60), ...five.slice(1)], 'PASSWORD_RECOVERY', CODE_SEND_RULE, now)).toBeNull();
  });

  it('one letter per 30 days: no budget, only the cool-down', () => {
    const rule = { cooldownMs: 30 * 86_400_000 };
    expect(sendWait([ago(86_400, 'LETTER')], 'LETTER', rule, now)).toEqual({ rule: 'cooldown', ms: 29 * 86_400_000 });
    expect(sendWait([ago(30 * 86_400, 'LETTER')], 'LETTER', rule, now)).toBeNull();
  });
});
