import { DEMO_APPEAL_IDS, DEMO_USERS } from '../../dev/demo-data.ts';
import { insertContactsIfMissing } from './db/contacts.ts';
import { insertItemsIfMissing } from './db/feed.ts';
import type { NotificationsDatabase } from './db/store.ts';

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 60 * 60 * 1000);
const itemId = (n: number) => `00000000-0000-4000-c000-${String(n).padStart(12, '0')}`;

/** A demo feed for the CONFIRMED demo citizen: a few items of each kind, some read. */
export async function seedDemoData({ db }: NotificationsDatabase): Promise<void> {
  const userId = DEMO_USERS.confirmed.id;
  await insertItemsIfMissing(db, [
    {
      id: itemId(1),
      userId,
      category: 'APPEAL',
      title: 'Обращение ПОС-2026-000101 взято в работу',
      body: 'Министерство транспорта и дорожной инфраструктуры Московской области рассматривает ваше обращение о яме на дороге.',
      appealId: DEMO_APPEAL_IDS.pothole,
      createdAt: hoursAgo(200),
    },
    { id: itemId(2), userId, category: 'APPEAL', title: 'Обращение ПОС-2026-000102 зарегистрировано', body: 'Срок ответа — 10 дней.', appealId: DEMO_APPEAL_IDS.yardLighting, createdAt: hoursAgo(20) },
    {
      id: itemId(3),
      userId,
      category: 'APPEAL',
      title: 'Получен ответ на обращение ПОС-2026-000103',
      body: 'Оцените ответ по шкале от 1 до 5.',
      appealId: DEMO_APPEAL_IDS.busSchedule,
      createdAt: hoursAgo(100),
      readAt: hoursAgo(90),
    },
    {
      id: itemId(4),
      userId,
      category: 'PAYMENT',
      title: 'Новый штраф ГИБДД: 500 ₽',
      body: 'Превышение скорости. Оплатите со скидкой 50% до 5 декабря.',
      details: { amount: { minorUnits: 50000, currency: 'RUB' } },
      createdAt: hoursAgo(5),
    },
    {
      id: itemId(5),
      userId,
      category: 'APPLICATION',
      title: 'Заявление на загранпаспорт принято',
      body: 'Ведомство приступило к рассмотрению заявления.',
      details: { stage: 'ACCEPTED' },
      createdAt: hoursAgo(48),
      readAt: hoursAgo(47),
    },
    { id: itemId(6), userId, category: 'APPOINTMENT', title: 'Запись к врачу-терапевту', body: 'Поликлиника № 3, 28 ноября в 10:30, кабинет 214.', createdAt: hoursAgo(30) },
    { id: itemId(7), userId, category: 'ACCOUNT', title: 'Вход в личный кабинет', body: 'Выполнен вход с нового устройства: Chrome, Москва.', createdAt: hoursAgo(2) },
    { id: itemId(8), userId, category: 'GOVERNMENT_MAIL', title: 'Письмо от ФНС России', body: 'Налоговое уведомление за 2025 год.', createdAt: hoursAgo(72), readAt: hoursAgo(70) },
  ]);
  // Where the demo people's notifications go (the dev outbox prints them); identity's events keep them current.
  await insertContactsIfMissing(
    db,
    Object.values(DEMO_USERS).map(({ id, phone, email }) => ({ userId: id, phone, email })),
  );
}
