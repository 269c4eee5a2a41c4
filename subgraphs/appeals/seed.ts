import { DEMO_APPEAL_IDS, DEMO_AUTHORITY_ID, DEMO_USERS } from '../../dev/demo-data.ts';
import { insertRowsIfMissing, type AppealsDatabase } from './db/queries.ts';

const DAY = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);

/** Demo rubricator, authorities of the Moscow region and three appeals of the CONFIRMED demo citizen. */
export async function seedDemoData({ db }: AppealsDatabase): Promise<void> {
  const citizen = DEMO_USERS.confirmed.id;
  await insertRowsIfMissing(db, {
    topics: [
      { id: 'roads', name: 'Дороги', reviewDays: 30 },
      { id: 'roads.potholes', name: 'Ямы и выбоины на дорогах', parentId: 'roads', reviewDays: 10, accelerated: true },
      { id: 'yards', name: 'Дворы и общественные пространства', reviewDays: 30 },
      { id: 'yards.lighting', name: 'Не работает освещение во дворе', parentId: 'yards', reviewDays: 10 },
      { id: 'transport', name: 'Общественный транспорт', reviewDays: 30 },
      { id: 'transport.schedule', name: 'Нарушение расписания движения', parentId: 'transport', reviewDays: 15 },
      { id: 'housing', name: 'Многоквартирные дома', reviewDays: 30 },
      { id: 'utilities', name: 'ЖКХ и коммунальные услуги', reviewDays: 30 },
      { id: 'healthcare', name: 'Здравоохранение', reviewDays: 30 },
      { id: 'education', name: 'Образование', reviewDays: 30 },
      { id: 'social', name: 'Социальное обслуживание', reviewDays: 30 },
    ],
    authorities: [
      { id: DEMO_AUTHORITY_ID, name: 'Министерство транспорта и дорожной инфраструктуры Московской области', kind: 'REGIONAL_EXECUTIVE', regionCode: '50' },
      { id: '00000000-0000-4000-b000-000000000002', name: 'Администрация городского округа Химки', kind: 'LOCAL_SELF_GOVERNMENT', regionCode: '50', municipality: 'городской округ Химки' },
      { id: '00000000-0000-4000-b000-000000000003', name: 'Комитет по транспорту Санкт-Петербурга', kind: 'REGIONAL_EXECUTIVE', regionCode: '78' },
    ],
    officials: [{ userId: DEMO_USERS.official.id, authorityId: DEMO_AUTHORITY_ID }],
    appeals: [
      {
        id: DEMO_APPEAL_IDS.pothole, number: 'ПОС-2026-000101', authorId: citizen, topicId: 'roads.potholes', authorityId: DEMO_AUTHORITY_ID,
        regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, Ленинградское шоссе, 25',
        text: 'На проезжей части глубокая яма, машины объезжают её по встречной полосе.', status: 'IN_WORK',
        createdAt: daysFromNow(-12), dueAt: daysFromNow(-2),
      },
      {
        id: DEMO_APPEAL_IDS.yardLighting, number: 'ПОС-2026-000102', authorId: citizen, topicId: 'yards.lighting',
        authorityId: '00000000-0000-4000-b000-000000000002', regionCode: '50', municipality: 'городской округ Химки',
        address: 'г. Химки, ул. Молодёжная, 8', text: 'Во дворе второй месяц не горят фонари.', status: 'REGISTERED',
        createdAt: daysFromNow(-1), dueAt: daysFromNow(9),
      },
      {
        id: DEMO_APPEAL_IDS.busSchedule, number: 'ПОС-2026-000103', authorId: citizen, topicId: 'transport.schedule', authorityId: DEMO_AUTHORITY_ID,
        regionCode: '50', municipality: 'городской округ Химки', text: 'Автобус 344 утром ходит раз в 40 минут вместо 15.', status: 'ANSWERED',
        createdAt: daysFromNow(-20), dueAt: daysFromNow(-5),
      },
    ],
  });
}
