import { insertSecurityEvent } from '../db/security-events.ts';
import { recordEvent, type Db } from '../db/store.ts';

/** Where a request came from, as the gateway reports it. */
export interface Device {
  clientAddress: string | null;
  userAgent: string | null;
  deviceName?: string | null;
}

/**
 * Kinds of entries in the account's event log (журнал событий). `feed` ones are also told to the
 * person through the notification feed: credential changes and anything that looks like an attack.
 */
export const SECURITY_EVENT_KINDS = {
  LOGIN: { title: 'Вход в личный кабинет', feed: false },
  LOGIN_NEW_DEVICE: { title: 'Вход с нового устройства', feed: true },
  LOGIN_WITH_PIN: { title: 'Вход по ПИН-коду', feed: false },
  LOGOUT: { title: 'Выход из личного кабинета', feed: false },
  REGISTERED: { title: 'Учётная запись создана', feed: true },
  PASSWORD_CHANGED: { title: 'Пароль изменён', feed: true },
  PASSWORD_RECOVERED: { title: 'Пароль восстановлен', feed: true },
  TEMPORARY_PASSWORD_ISSUED: { title: 'Оператор выдал временный пароль', feed: true },
  TWO_STEP_LOGIN_ENABLED: { title: 'Включён вход с подтверждением по СМС', feed: true },
  TWO_STEP_LOGIN_DISABLED: { title: 'Отключён вход с подтверждением по СМС', feed: true },
  PHONE_CHANGED: { title: 'Изменён номер мобильного телефона', feed: true },
  EMAIL_CHANGED: { title: 'Изменён адрес электронной почты', feed: true },
  SESSION_REVOKED: { title: 'Сеанс на устройстве завершён', feed: false },
  OTHER_SESSIONS_REVOKED: { title: 'Завершены все сеансы, кроме текущего', feed: true },
  REFRESH_TOKEN_REUSED: { title: 'Сеанс завершён: повторно использован токен обновления', feed: true },
  PIN_SET: { title: 'Установлен ПИН-код для мобильного приложения', feed: true },
  LEVEL_CHANGED: { title: 'Изменён уровень учётной записи', feed: false },
} as const;

export type SecurityEventKind = keyof typeof SECURITY_EVENT_KINDS;

function describe(device: Device): string {
  const where = [device.deviceName ?? device.userAgent, device.clientAddress && `адрес ${device.clientAddress}`].filter(Boolean);
  return where.length ? `Устройство: ${where.join(', ')}.` : '';
}

/** Writes an entry of the event log; call it inside the transaction that made the change. */
export async function logSecurityEvent(db: Db, accountId: string, kind: SecurityEventKind, device: Device, now = new Date()): Promise<void> {
  const entryId = await insertSecurityEvent(db, { accountId, kind, clientAddress: device.clientAddress, userAgent: device.userAgent, occurredAt: now });
  const { title, feed } = SECURITY_EVENT_KINDS[kind];
  if (feed) {
    const body = [`${title} ${now.toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' })} (мск).`, describe(device), 'Если это были не вы, смените пароль и завершите другие сеансы в настройках безопасности.']
      .filter(Boolean)
      .join(' ');
    await recordEvent(db, 'identity.security-event', { userId: accountId, eventId: entryId, kind, title, body, occurredAt: now.toISOString() });
  }
}
