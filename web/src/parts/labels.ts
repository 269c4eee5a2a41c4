/** The API's enum values in the portal's words. */
export const LEVEL = { SIMPLIFIED: 'Упрощённая', STANDARD: 'Стандартная', CONFIRMED: 'Подтверждённая' } as const;

export const APPEAL_STATUS: Record<string, string> = {
  DRAFT: 'Черновик',
  REGISTERED: 'Зарегистрировано',
  IN_WORK: 'В работе',
  CLARIFICATION_REQUESTED: 'Запрошено уточнение',
  REDIRECTED: 'Перенаправлено',
  ANSWERED: 'Дан ответ',
  REJECTED: 'Отклонено',
  CLOSED: 'Закрыто',
};

export const CATEGORY: Record<string, string> = {
  PAYMENT: 'Платежи',
  APPLICATION: 'Заявления',
  DRAFT: 'Черновики',
  APPOINTMENT: 'Запись на приём',
  GOVERNMENT_MAIL: 'Госпочта',
  SUPPORT: 'Поддержка',
  ACCOUNT: 'Учётная запись',
  APPEAL: 'Обращения',
};

export const DOCUMENT: Record<string, string> = {
  RUSSIAN_PASSPORT: 'Паспорт РФ',
  SNILS: 'СНИЛС',
  INN: 'ИНН',
  FOREIGN_PASSPORT: 'Загранпаспорт',
  DRIVER_LICENCE: 'Водительское удостоверение',
  OMS_POLICY: 'Полис ОМС',
  MILITARY_ID: 'Военный билет',
  BIRTH_CERTIFICATE: 'Свидетельство о рождении',
};

export const VERIFICATION: Record<string, string> = { NOT_CHECKED: 'Не проверен', CHECKING: 'Проверяется', CHECKED: 'Проверен', FAILED: 'Не прошёл проверку' };

export const ROUTING_REASON: Record<string, string> = {
  MUNICIPALITY_RULE: 'по правилу муниципалитета',
  REGION_RULE: 'по правилу региона',
  REGION_FALLBACK: 'в орган региона по умолчанию',
  REDIRECTED: 'перенаправлено',
};

const dateTime = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso: string) => dateTime.format(new Date(iso));
// A due date is the end of a day on the region's calendar (docs/appeals.md): shown as a day, in the portal's
// Moscow time wherever the reader is (the same day for every region but Kaliningrad's).
const day = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long', timeZone: 'Europe/Moscow' });
export const dueDay = (iso: string) => day.format(new Date(iso));
