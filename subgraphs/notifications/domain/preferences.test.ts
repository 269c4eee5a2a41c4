import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPreferencesInput, deliverySlot, effectivePreferences, instantsOf, nextDeliveryTime, timeZoneName, type DeliveryWindow } from './preferences.ts';

const window = (startsAt: string, endsAt: string, timeZone: string): DeliveryWindow => ({ startsAt, endsAt, timeZone });
const next = (now: string, w: DeliveryWindow | null) => nextDeliveryTime(new Date(now), w).toISOString();

describe('nextDeliveryTime', () => {
  const moscow = window('09:00', '21:00', 'Europe/Moscow');

  it('is now when there is no window', () => {
    expect(next('2026-11-25T02:00:00.000Z', null)).toBe('2026-11-25T02:00:00.000Z');
  });

  it('is now inside the window, up to the last moment before its end', () => {
    expect(next('2026-11-25T07:00:00.000Z', moscow)).toBe('2026-11-25T07:00:00.000Z');
    expect(next('2026-11-25T06:00:00.000Z', moscow)).toBe('2026-11-25T06:00:00.000Z');
    expect(next('2026-11-25T17:59:59.999Z', moscow)).toBe('2026-11-25T17:59:59.999Z');
  });

  it('is today’s start before the window and tomorrow’s from its end on, in Moscow time (UTC+3 all year)', () => {
    expect(next('2026-11-25T05:00:00.000Z', moscow)).toBe('2026-11-25T06:00:00.000Z');
    expect(next('2026-11-25T18:00:00.000Z', moscow)).toBe('2026-11-26T06:00:00.000Z');
    // 00:30 in Moscow is already the next day there while it is still the previous one in UTC.
    expect(next('2026-11-25T21:30:00.000Z', moscow)).toBe('2026-11-26T06:00:00.000Z');
    expect(next('2026-07-01T04:00:00.000Z', moscow)).toBe('2026-07-01T06:00:00.000Z');
  });

  it('counts the hours in the person’s own time zone', () => {
    expect(next('2026-11-25T17:00:00.000Z', window('09:00', '21:00', 'Asia/Yekaterinburg'))).toBe('2026-11-26T04:00:00.000Z');
    expect(next('2026-11-25T17:00:00.000Z', window('09:00', '21:00', 'Europe/Kaliningrad'))).toBe('2026-11-25T17:00:00.000Z');
    expect(next('2026-11-25T13:00:00.000Z', window('09:00', '18:00', 'Asia/Kolkata'))).toBe('2026-11-26T03:30:00.000Z');
    // Kamchatka (UTC+12) greets the new year while Moscow still has the old one.
    expect(next('2026-12-31T11:30:00.000Z', window('08:00', '20:00', 'Asia/Kamchatka'))).toBe('2026-12-31T20:00:00.000Z');
  });

  it('takes a window whose end is before its start as one across midnight', () => {
    const night = window('22:00', '06:00', 'Asia/Vladivostok');
    expect(next('2026-11-25T01:00:00.000Z', night)).toBe('2026-11-25T12:00:00.000Z');
    expect(next('2026-11-25T13:00:00.000Z', night)).toBe('2026-11-25T13:00:00.000Z');
    expect(next('2026-11-25T19:30:00.000Z', night)).toBe('2026-11-25T19:30:00.000Z');
    expect(next('2026-11-25T20:00:00.000Z', night)).toBe('2026-11-26T12:00:00.000Z');
  });

  it('follows daylight saving time: the start is 09:00 on the clock, whatever the offset that day', () => {
    const newYork = window('09:00', '18:00', 'America/New_York');
    // Saturday 18:00 EST; Sunday 8 March 2026 the clocks go forward, 09:00 is EDT (UTC−4).
    expect(next('2026-03-07T23:00:00.000Z', newYork)).toBe('2026-03-08T13:00:00.000Z');
    expect(next('2026-11-25T23:00:00.000Z', newYork)).toBe('2026-11-26T14:00:00.000Z');
  });

  it('opens a window whose start the clock jumps over at the moment of the jump', () => {
    // 29 March 2026, Berlin: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:30 does not exist.
    expect(next('2026-03-28T23:00:00.000Z', window('02:30', '05:00', 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    // A window wholly inside the missing hour has no turn that day.
    expect(next('2026-03-28T23:00:00.000Z', window('02:10', '02:40', 'Europe/Berlin'))).toBe('2026-03-30T00:10:00.000Z');
  });

  it('opens at the first of a start the clock passes twice, at the second, and when the clock is set back into it', () => {
    // 25 October 2026, Berlin: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 comes twice.
    expect(next('2026-10-24T22:00:00.000Z', window('02:30', '05:00', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    // 02:50 CEST, after a 02:30–02:45 window: it comes again in 40 minutes, at 02:30 CET.
    expect(next('2026-10-25T00:50:00.000Z', window('02:30', '02:45', 'Europe/Berlin'))).toBe('2026-10-25T01:30:00.000Z');
    // 02:59 CEST, after a 00:00–02:05 window: the clock goes back to 02:00 a minute later, inside it.
    expect(next('2026-10-25T00:59:00.000Z', window('00:00', '02:05', 'Europe/Berlin'))).toBe('2026-10-25T01:00:00.000Z');
  });

  const ZONES = ['Europe/Moscow', 'Asia/Yekaterinburg', 'Asia/Vladivostok', 'Asia/Kolkata', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/St_Johns'];
  const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const clocks = new Map(ZONES.map((timeZone) => [timeZone, new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })]));
  const minuteOf = (instant: Date, timeZone: string) => {
    const [h, m] = clocks.get(timeZone)!.format(instant).split(':').map(Number);
    return h! * 60 + m!;
  };
  const insideOf = (w: DeliveryWindow) => (instant: Date) => {
    const [start, end, minute] = [Number(w.startsAt.slice(0, 2)) * 60 + Number(w.startsAt.slice(3)), Number(w.endsAt.slice(0, 2)) * 60 + Number(w.endsAt.slice(3)), minuteOf(instant, w.timeZone)];
    return start < end ? minute >= start && minute < end : minute >= start || minute < end;
  };

  /** Berlin, New York, Lord Howe (a 30-minute shift) and St John's: the clocks' changes of 2026. */
  const SHIFTS: [string, string][] = [
    ['Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['Europe/Berlin', '2026-10-25T01:00:00Z'],
    ['America/New_York', '2026-03-08T07:00:00Z'],
    ['America/New_York', '2026-11-01T06:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    ['America/St_Johns', '2026-03-08T05:30:00Z'],
  ];
  const checkFirstInside = (now: Date, w: DeliveryWindow) => {
    const inside = insideOf(w);
    const result = nextDeliveryTime(now, w);
    expect(result.getTime() === now.getTime()).toBe(inside(now));
    expect(inside(result)).toBe(true);
    expect(result.getTime() - now.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
    // No whole minute between now and the result is inside the window.
    for (let t = Math.ceil(now.getTime() / 60_000) * 60_000; t < result.getTime(); t += 60_000) expect(inside(new Date(t))).toBe(false);
  };

  it('is the first moment inside the window around the clocks’ changes too', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHIFTS), fc.integer({ min: -30 * 60, max: 30 * 60 }), hhmm, hhmm, ([timeZone, shift], minutes, startsAt, endsAt) => {
        fc.pre(startsAt !== endsAt);
        checkFirstInside(new Date(Date.parse(shift) + minutes * 60_000), window(startsAt, endsAt, timeZone));
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('is the first moment inside the window, never before now and within a day and an hour, in any zone', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }), hhmm, hhmm, fc.constantFrom(...ZONES), (now, startsAt, endsAt, timeZone) => {
        fc.pre(startsAt !== endsAt);
        checkFirstInside(now, window(startsAt, endsAt, timeZone));
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });
});

describe('deliverySlot', () => {
  const moscow = window('09:00', '21:00', 'Europe/Moscow');

  it('is PENDING from `from` on inside the window or without one, SCHEDULED for the start outside it', () => {
    const inside = new Date('2026-11-25T07:00:00.000Z');
    const after = new Date('2026-11-25T18:00:00.000Z');
    expect(deliverySlot(inside, moscow)).toEqual({ dueAt: inside, status: 'PENDING' });
    expect(deliverySlot(after, null)).toEqual({ dueAt: after, status: 'PENDING' });
    expect(deliverySlot(after, moscow)).toEqual({ dueAt: new Date('2026-11-26T06:00:00.000Z'), status: 'SCHEDULED' });
  });
});

describe('instantsOf', () => {
  it('gives one instant for an ordinary time, two for one the clock passes twice, the jump for one it skips', () => {
    const wall = (text: string) => Date.parse(`${text}Z`);
    expect(instantsOf(wall('2026-11-25T09:00:00'), 'Europe/Moscow')).toEqual([new Date('2026-11-25T06:00:00Z')]);
    expect(instantsOf(wall('2026-10-25T02:30:00'), 'Europe/Berlin')).toEqual([new Date('2026-10-25T00:30:00Z'), new Date('2026-10-25T01:30:00Z')]);
    expect(instantsOf(wall('2026-03-29T02:30:00'), 'Europe/Berlin')).toEqual([new Date('2026-03-29T01:00:00Z')]);
  });
});

describe('timeZoneName', () => {
  it('knows IANA names in their canonical spelling and refuses offsets and abbreviations', () => {
    expect(['Europe/Moscow', 'europe/moscow', 'Asia/Yekaterinburg', 'UTC', 'Nowhere/City', '+03:00', 'MSK', '', 'Europe/Moscow; drop'].map(timeZoneName)).toEqual([
      'Europe/Moscow',
      'Europe/Moscow',
      'Asia/Yekaterinburg',
      'UTC',
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('effectivePreferences', () => {
  it('gives the defaults to a person who never chose: security by SMS and e-mail, portal changes in the feed only', () => {
    expect(effectivePreferences(null)).toEqual({
      channels: { SERVICE_STAGES: ['EMAIL', 'PUSH'], PORTAL_CHANGES: [], DEBTS_AND_FINES: ['EMAIL', 'PUSH'], SECURITY: ['EMAIL', 'SMS'], OTHER: ['EMAIL'] },
      window: null,
    });
  });

  it('keeps the defaults of kinds the person did not set, and the window with its time zone', () => {
    const row = { userId: 'u', channels: { OTHER: ['PUSH', 'SMS'], PORTAL_CHANGES: ['EMAIL'] }, windowStartsAt: '08:00', windowEndsAt: '22:00', timeZone: 'Asia/Omsk', updatedAt: new Date() };
    expect(effectivePreferences(row)).toEqual({
      channels: { SERVICE_STAGES: ['EMAIL', 'PUSH'], PORTAL_CHANGES: ['EMAIL'], DEBTS_AND_FINES: ['EMAIL', 'PUSH'], SECURITY: ['EMAIL', 'SMS'], OTHER: ['SMS', 'PUSH'] },
      window: { startsAt: '08:00', endsAt: '22:00', timeZone: 'Asia/Omsk' },
    });
  });
});

describe('checkPreferencesInput', () => {
  it('takes channels per kind once each in API order, PUSH even without a device, and a window in a canonical zone', () => {
    expect(
      checkPreferencesInput({
        kinds: [
          { kind: 'DEBTS_AND_FINES', channels: ['PUSH', 'SMS', 'PUSH'] },
          { kind: 'SECURITY', channels: ['EMAIL'] },
          { kind: 'PORTAL_CHANGES', channels: [] },
        ],
        deliveryWindow: { startsAt: '22:00', endsAt: '07:30', timeZone: 'asia/yekaterinburg' },
      }),
    ).toEqual({
      ok: true,
      change: { channels: { DEBTS_AND_FINES: ['SMS', 'PUSH'], SECURITY: ['EMAIL'], PORTAL_CHANGES: [] }, window: { startsAt: '22:00', endsAt: '07:30', timeZone: 'Asia/Yekaterinburg' } },
    });
  });

  it('removes the window on clearDeliveryWindow and keeps it when neither is given', () => {
    expect(checkPreferencesInput({ clearDeliveryWindow: true })).toEqual({ ok: true, change: { channels: {}, window: null } });
    expect(checkPreferencesInput({ kinds: [] })).toEqual({ ok: true, change: { channels: {}, window: undefined } });
  });

  it('names every wrong field at once', () => {
    expect(
      checkPreferencesInput({
        kinds: [
          { kind: 'SECURITY', channels: [] },
          { kind: 'OTHER', channels: ['EMAIL'] },
          { kind: 'OTHER', channels: [] },
        ],
        deliveryWindow: { startsAt: '9:00', endsAt: '24:00', timeZone: 'Moscow' },
      }),
    ).toEqual({
      ok: false,
      errors: [
        { field: ['input', 'kinds', '0', 'channels'], code: 'SECURITY_CHANNEL_REQUIRED', message: 'Уведомления о безопасности нельзя отключить полностью: оставьте хотя бы один канал.' },
        { field: ['input', 'kinds', '2', 'kind'], code: 'DUPLICATE_KIND', message: 'Этот вид уведомлений уже указан выше: укажите каждый вид один раз.' },
        { field: ['input', 'deliveryWindow', 'startsAt'], code: 'INVALID_FORMAT', message: 'Укажите время в формате ЧЧ:ММ, например 09:00.' },
        { field: ['input', 'deliveryWindow', 'endsAt'], code: 'INVALID_FORMAT', message: 'Укажите время в формате ЧЧ:ММ, например 09:00.' },
        { field: ['input', 'deliveryWindow', 'timeZone'], code: 'UNKNOWN_TIME_ZONE', message: 'Неизвестный часовой пояс. Укажите его названием из базы IANA, например Europe/Moscow или Asia/Yekaterinburg.' },
      ],
    });
  });

  it('refuses a window that starts when it ends, and setting and removing a window at once', () => {
    expect(checkPreferencesInput({ deliveryWindow: { startsAt: '10:00', endsAt: '10:00', timeZone: 'Europe/Moscow' } })).toEqual({
      ok: false,
      errors: [{ field: ['input', 'deliveryWindow', 'endsAt'], code: 'DELIVERY_WINDOW_EMPTY', message: 'Начало и конец окна совпадают. Чтобы получать уведомления в любое время, удалите окно доставки.' }],
    });
    expect(checkPreferencesInput({ deliveryWindow: { startsAt: '10:00', endsAt: '18:00', timeZone: 'Europe/Moscow' }, clearDeliveryWindow: true })).toEqual({
      ok: false,
      errors: [{ field: ['input', 'clearDeliveryWindow'], code: 'DELIVERY_WINDOW_CONFLICT', message: 'Задайте окно доставки или удалите его — не то и другое сразу.' }],
    });
  });
});
