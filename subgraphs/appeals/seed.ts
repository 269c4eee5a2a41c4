import { DEMO_APPEAL_IDS, DEMO_AUTHORITY_ID, DEMO_USERS } from '../../dev/demo-data.ts';
import { insertRowsIfMissing, type AppealsDatabase } from './db/queries.ts';
import { appeals as appealsTable, timeline } from './db/schema.ts';

const DAY = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);
const KHIMKI_ADMINISTRATION = '00000000-0000-4000-b000-000000000002';

/**
 * Demo data on top of the reference data: the demo official works for the Moscow region's ministry of
 * transport, and the CONFIRMED demo citizen has three appeals at different stages. Their numbers are
 * below APPEAL_NUMBERS_FROM (db/schema.ts), which the number sequence never draws.
 */
export async function seedDemoData({ db }: AppealsDatabase): Promise<void> {
  const citizen = DEMO_USERS.confirmed.id;
  const appeals = [
    {
      id: DEMO_APPEAL_IDS.pothole, number: 'ПОС-2026-000101', authorId: citizen, topicId: 'roads.potholes', authorityId: DEMO_AUTHORITY_ID,
      regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, Ленинградское шоссе, 25',
      text: 'На проезжей части глубокая яма, машины объезжают её по встречной полосе.', status: 'IN_WORK' as const,
      createdAt: daysFromNow(-12), registeredAt: daysFromNow(-12), dueAt: daysFromNow(-2),
    },
    {
      id: DEMO_APPEAL_IDS.yardLighting, number: 'ПОС-2026-000102', authorId: citizen, topicId: 'yards.lighting', authorityId: KHIMKI_ADMINISTRATION,
      regionCode: '50', municipality: 'городской округ Химки', address: 'г. Химки, ул. Молодёжная, 8', text: 'Во дворе второй месяц не горят фонари.',
      status: 'REGISTERED' as const, createdAt: daysFromNow(-1), registeredAt: daysFromNow(-1), dueAt: daysFromNow(9),
    },
    {
      id: DEMO_APPEAL_IDS.busSchedule, number: 'ПОС-2026-000103', authorId: citizen, topicId: 'transport.schedule', authorityId: DEMO_AUTHORITY_ID,
      regionCode: '50', municipality: 'городской округ Химки', text: 'Автобус 344 утром ходит раз в 40 минут вместо 15.', status: 'ANSWERED' as const,
      createdAt: daysFromNow(-20), registeredAt: daysFromNow(-20), dueAt: daysFromNow(-5),
      answerText: 'Перевозчику выдано предписание восстановить интервал движения 15 минут в часы пик с 1 декабря.', answeredAt: daysFromNow(-7),
    },
  ];
  await insertRowsIfMissing(db, { topics: [], authorities: [], officials: [{ userId: DEMO_USERS.official.id, authorityId: DEMO_AUTHORITY_ID }], appeals: [] });
  await db.transaction(async (tx) => {
    const added = await tx.insert(appealsTable).values(appeals).onConflictDoNothing().returning();
    // Only appeals added now get their first timeline entry: the seed runs on every start.
    if (added.length) {
      await tx.insert(timeline).values(added.map((appeal) => ({ appealId: appeal.id, at: appeal.registeredAt!, action: 'SUBMITTED', status: 'REGISTERED' as const, actor: 'CITIZEN', actorId: citizen, authorityId: appeal.authorityId })));
    }
  });
}
