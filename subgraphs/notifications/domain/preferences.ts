import { userError, type UserError } from '../../../lib/errors.ts';
import { wallClock, zoneOffsetMs } from '../../../lib/time-zone.ts';
import { rescheduleWaitingForWindow, type DeliverySlot } from '../db/deliveries.ts';
import { CHANNELS, KINDS, mergePreferences, preferencesRowOf } from '../db/preferences.ts';
import type { Channel, Kind, PreferencesRow } from '../db/schema.ts';
import { inTransaction, type Db } from '../db/store.ts';

/**
 * What a person wants to hear about, by which channels and when: the defaults, reading a person's
 * effective preferences, checking a change, and the delivery-window arithmetic. Plain functions;
 * their storage is db/preferences.ts.
 */

/**
 * Channels of a person who never chose any. SMS costs the portal money and a phone buzzes, so it is
 * the default only where it matters (security); PUSH falls back to SMS or e-mail without the app.
 * - SECURITY: SMS and e-mail, so a stranger's sign-in reaches the person however they read; it can
 *   never be switched off entirely.
 * - SERVICE_STAGES, DEBTS_AND_FINES: e-mail and push: news the person waits for, and money with
 *   deadlines (a fine's 50 % discount lasts 20 days).
 * - PORTAL_CHANGES: none, the feed only: nobody asked for newsletters.
 * - OTHER (appeals, appointments, government mail, support): e-mail.
 */
export const DEFAULT_CHANNELS: Readonly<Record<Kind, readonly Channel[]>> = {
  SERVICE_STAGES: ['EMAIL', 'PUSH'],
  PORTAL_CHANGES: [],
  DEBTS_AND_FINES: ['EMAIL', 'PUSH'],
  SECURITY: ['EMAIL', 'SMS'],
  OTHER: ['EMAIL'],
};

/** The time zone of a person who never chose one: most of the portal's people live in it. */
export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

/** The hours in which a person wants notifications, `HH:MM` in `timeZone`; `endsAt` is not included. */
export interface DeliveryWindow {
  startsAt: string;
  endsAt: string;
  timeZone: string;
}

export interface Preferences {
  channels: Record<Kind, Channel[]>;
  /** Null: any time. */
  window: DeliveryWindow | null;
}

/** Channels in API order, each once. */
const canonical = (channels: readonly string[]): Channel[] => CHANNELS.filter((channel) => channels.includes(channel));

/** A stored row over the defaults: a kind the person never set keeps its default. */
export function effectivePreferences(row: PreferencesRow | null | undefined): Preferences {
  const chosen = row?.channels ?? {};
  const channels = Object.fromEntries(KINDS.map((kind) => [kind, canonical(chosen[kind] ?? DEFAULT_CHANNELS[kind])])) as Record<Kind, Channel[]>;
  const window = row?.windowStartsAt && row.windowEndsAt ? { startsAt: row.windowStartsAt, endsAt: row.windowEndsAt, timeZone: row.timeZone } : null;
  return { channels, window };
}

export async function readPreferences(db: Db, userId: string): Promise<Preferences> {
  return effectivePreferences(await preferencesRowOf(db, userId));
}

// ---------------------------------------------------------------------------------------------------
// Changing them

export interface PreferencesInput {
  kinds?: { kind: Kind; channels: Channel[] }[] | null;
  deliveryWindow?: DeliveryWindow | null;
  clearDeliveryWindow?: boolean | null;
}

/** A checked change: the kinds to set, and the window to set (an object), remove (null) or keep (undefined). */
export interface PreferencesChange {
  channels: Partial<Record<Kind, Channel[]>>;
  window: DeliveryWindow | null | undefined;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The IANA name `Intl` knows, in its canonical spelling (`europe/moscow` → `Europe/Moscow`), or null.
 * Offsets (`+03:00`) are refused: they know nothing of daylight saving time.
 */
export function timeZoneName(raw: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(raw)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Checks a change as a whole and names every wrong field. PUSH may be chosen before any device is registered. */
export function checkPreferencesInput(input: PreferencesInput): { ok: true; change: PreferencesChange } | { ok: false; errors: UserError[] } {
  const errors: UserError[] = [];
  const channels: Partial<Record<Kind, Channel[]>> = {};
  (input.kinds ?? []).forEach(({ kind, channels: chosen }, index) => {
    const at = ['input', 'kinds', String(index)];
    if (channels[kind]) {
      errors.push(userError('DUPLICATE_KIND', 'Этот вид уведомлений уже указан выше: укажите каждый вид один раз.', [...at, 'kind']));
      return;
    }
    channels[kind] = canonical(chosen);
    if (kind === 'SECURITY' && channels[kind].length === 0) {
      errors.push(userError('SECURITY_CHANNEL_REQUIRED', 'Уведомления о безопасности нельзя отключить полностью: оставьте хотя бы один канал.', [...at, 'channels']));
    }
  });

  let window: DeliveryWindow | null | undefined;
  if (input.deliveryWindow && input.clearDeliveryWindow) {
    errors.push(userError('DELIVERY_WINDOW_CONFLICT', 'Задайте окно доставки или удалите его — не то и другое сразу.', ['input', 'clearDeliveryWindow']));
  } else if (input.deliveryWindow) {
    const { startsAt, endsAt, timeZone } = input.deliveryWindow;
    const at = (field: string) => ['input', 'deliveryWindow', field];
    const timeError = (field: string) => userError('INVALID_FORMAT', 'Укажите время в формате ЧЧ:ММ, например 09:00.', at(field));
    const zone = timeZoneName(timeZone);
    const problems = [
      !HH_MM.test(startsAt) && timeError('startsAt'),
      !HH_MM.test(endsAt) && timeError('endsAt'),
      HH_MM.test(startsAt) && startsAt === endsAt && userError('DELIVERY_WINDOW_EMPTY', 'Начало и конец окна совпадают. Чтобы получать уведомления в любое время, удалите окно доставки.', at('endsAt')),
      !zone && userError('UNKNOWN_TIME_ZONE', 'Неизвестный часовой пояс. Укажите его названием из базы IANA, например Europe/Moscow или Asia/Yekaterinburg.', at('timeZone')),
    ].filter((problem): problem is UserError => problem !== false);
    errors.push(...problems);
    window = { startsAt, endsAt, timeZone: zone ?? timeZone };
  } else if (input.clearDeliveryWindow) {
    window = null;
  }
  return errors.length ? { ok: false, errors } : { ok: true, change: { channels, window } };
}

/**
 * Stores a checked change. Kinds merge into the stored ones, so two changes at once do not undo each
 * other. A new or removed window moves the person's waiting deliveries to it: nothing already
 * planned is sent outside the hours the person just chose.
 */
export async function savePreferences(db: Db, userId: string, change: PreferencesChange, now = new Date()): Promise<void> {
  await inTransaction(db, async (tx) => {
    await mergePreferences(tx, userId, change, now);
    if (change.window === undefined) return;
    await rescheduleWaitingForWindow(tx, userId, deliverySlot(now, change.window));
  });
}

// ---------------------------------------------------------------------------------------------------
// The delivery window

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The instants at which the clock in `timeZone` first shows `wall` (a wall-clock time written as
 * UTC) or later, earliest first: one; two where the clock is set back and the time comes twice;
 * where it jumps forward over the time (02:30 in a 02:00→03:00 spring gap), the moment of the jump.
 */
export function instantsOf(wall: number, timeZone: string): Date[] {
  // The offsets a day either side cover any real transition: they never come twice in two days.
  const before = zoneOffsetMs(wall - DAY, timeZone);
  const after = zoneOffsetMs(wall + DAY, timeZone);
  const exact = [...new Set([wall - before, wall - after])].filter((instant) => wallClock(instant, timeZone) === wall).sort((a, b) => a - b);
  if (exact.length) return exact.map((instant) => new Date(instant));
  // In a gap: the jump lies between the two readings; find it to the second.
  let [low, high] = [wall - Math.max(before, after), wall - Math.min(before, after)];
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (wallClock(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return [new Date(high)];
}

/**
 * When a notification may be sent: `now` if it is inside the window (or there is none), else the
 * window's next start in the person's time zone. A window whose end is before its start crosses
 * midnight (22:00–06:00). The end itself is outside.
 */
export function nextDeliveryTime(now: Date, window: DeliveryWindow | null): Date {
  if (!window) return now;
  const start = minutesOf(window.startsAt);
  const end = minutesOf(window.endsAt);
  const inside = (instant: number) => {
    const minute = Math.floor((wallClock(instant, window.timeZone) % DAY) / MINUTE);
    return start < end ? minute >= start && minute < end : minute >= start || minute < end;
  };
  if (inside(now.getTime())) return now;
  const wall = wallClock(now.getTime(), window.timeZone);
  const midnight = wall - (wall % DAY);
  // Today's start, else tomorrow's. A start the clock passes twice (set back) opens the window
  // twice; a day whose clock jumps over the whole window has none.
  const opens = [0, 1, 2].flatMap((day) => instantsOf(midnight + day * DAY + start * MINUTE, window.timeZone)).find((instant) => instant > now && inside(instant.getTime()));
  if (!opens) throw new Error(`no delivery window start within two days: ${JSON.stringify(window)}`);
  // A clock set back may land inside the window before its start comes (02:59 → 02:00 in one that ends 02:05).
  const shift = clockShift(now.getTime(), opens.getTime(), window.timeZone);
  return shift !== null && inside(shift) ? new Date(shift) : opens;
}

/**
 * When a delivery may go from `from` on, and its status until then: SCHEDULED while it waits for the
 * window to open, PENDING when it may go at once.
 */
export function deliverySlot(from: Date, window: DeliveryWindow | null): DeliverySlot {
  const dueAt = nextDeliveryTime(from, window);
  return { dueAt, status: dueAt > from ? 'SCHEDULED' : 'PENDING' };
}

/** The moment between `from` and `to` (under two days apart) when the clock of `timeZone` is reset, if it is. */
function clockShift(from: number, to: number, timeZone: string): number | null {
  let [low, high] = [Math.floor(from / 1000) * 1000, Math.ceil(to / 1000) * 1000];
  const before = zoneOffsetMs(low, timeZone);
  if (zoneOffsetMs(high, timeZone) === before) return null;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (zoneOffsetMs(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}
