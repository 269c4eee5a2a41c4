import { DEMO_APPEAL_IDS, DEMO_AUTHORITY_ID, DEMO_USERS } from '../../dev/demo-data.ts';
import { insertAppealsIfMissing } from './db/appeals.ts';
import type { AppealStatus } from './db/schema.ts';
import { inTransaction, insertRowsIfMissing, type AppealsDatabase } from './db/store.ts';
import { insertTimelineEntries } from './db/timeline.ts';
import { routeAppeal } from './domain/routing.ts';
import { ROUTING_RULES, TOPICS } from './reference-data.ts';

const DAY = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);
const KHIMKI = 'городской округ Химки';

/** A step of a demo appeal's review after its submission, by an official of the authority that has it then. */
interface Step {
  days: number;
  action: 'REDIRECTED' | 'TAKEN_INTO_WORK' | 'ANSWERED';
  status: AppealStatus;
  /** The authority that has the appeal after the step. */
  authorityId: string;
  comment?: string;
}

/**
 * Demo data on top of the reference data: the demo official works for the Moscow region's ministry of
 * transport, and the CONFIRMED demo citizen has four appeals at different stages. Each went where
 * the routing rules send it (routeAppeal, as submitAppeal does); two of them were then redirected to
 * the ministry, so the demo shows both reasons of `Appeal.routing`. Their numbers are below
 * APPEAL_NUMBERS_FROM (db/schema.ts), which the number sequence never draws.
 */
export async function seedDemoData({ db }: AppealsDatabase): Promise<void> {
  const citizen = DEMO_USERS.confirmed.id;
  const demo = [
    {
      appeal: {
        id: DEMO_APPEAL_IDS.pothole,
        number: 'ПОС-2026-000101',
        topicId: 'roads.potholes',
        regionCode: '50',
        municipality: KHIMKI,
        address: 'г. Химки, Ленинградское шоссе, 25',
        text: 'На проезжей части глубокая яма, машины объезжают её по встречной полосе.',
        createdAt: daysFromNow(-12),
        dueAt: daysFromNow(-2),
      },
      steps: [
        { days: -11, action: 'REDIRECTED', status: 'REDIRECTED', authorityId: DEMO_AUTHORITY_ID, comment: 'Ленинградское шоссе — дорога регионального значения: её содержит министерство.' },
        { days: -10, action: 'TAKEN_INTO_WORK', status: 'IN_WORK', authorityId: DEMO_AUTHORITY_ID },
      ] as Step[],
    },
    {
      appeal: {
        id: DEMO_APPEAL_IDS.yardLighting,
        number: 'ПОС-2026-000102',
        topicId: 'yards.lighting',
        regionCode: '50',
        municipality: KHIMKI,
        address: 'г. Химки, ул. Молодёжная, 8',
        text: 'Во дворе второй месяц не горят фонари.',
        createdAt: daysFromNow(-1),
        dueAt: daysFromNow(9),
      },
      steps: [] as Step[],
    },
    {
      appeal: {
        id: DEMO_APPEAL_IDS.busSchedule,
        number: 'ПОС-2026-000103',
        topicId: 'transport.schedule',
        regionCode: '50',
        municipality: KHIMKI,
        text: 'Автобус 344 утром ходит раз в 40 минут вместо 15.',
        createdAt: daysFromNow(-20),
        dueAt: daysFromNow(-5),
        answerText: 'Перевозчику выдано предписание восстановить интервал движения 15 минут в часы пик с 1 декабря.',
        answeredAt: daysFromNow(-7),
      },
      steps: [
        { days: -19, action: 'REDIRECTED', status: 'REDIRECTED', authorityId: DEMO_AUTHORITY_ID, comment: 'Расписание и интервалы маршрутов утверждает министерство; перевозчик выполняет его предписания.' },
        { days: -7, action: 'ANSWERED', status: 'ANSWERED', authorityId: DEMO_AUTHORITY_ID, comment: 'Перевозчику выдано предписание восстановить интервал движения 15 минут в часы пик с 1 декабря.' },
      ] as Step[],
    },
    {
      appeal: {
        id: DEMO_APPEAL_IDS.roadRepair,
        number: 'ПОС-2026-000104',
        topicId: 'roads.repair',
        regionCode: '50',
        municipality: 'городской округ Балашиха',
        address: 'г. Балашиха, ул. Заводская',
        text: 'Асфальт на улице Заводской разрушен по всей длине, нужен ремонт дороги.',
        createdAt: daysFromNow(-2),
        dueAt: daysFromNow(28),
      },
      steps: [] as Step[],
    },
  ];
  const routed = demo.map(({ appeal, steps }) => {
    const routing = routeAppeal(appeal, ROUTING_RULES, TOPICS)!;
    const last = steps.at(-1);
    return {
      row: {
        ...appeal,
        authorId: citizen,
        registeredAt: appeal.createdAt,
        authorityId: last?.authorityId ?? routing.authorityId,
        status: last?.status ?? ('REGISTERED' as const),
        routingReason: routing.reason,
        routingTopicId: routing.ruleTopicId,
      },
      entries: [
        { at: appeal.createdAt, action: 'SUBMITTED', status: 'REGISTERED' as const, actor: 'CITIZEN' as const, actorId: citizen, authorityId: routing.authorityId, comment: null },
        // The ministry's steps are the demo official's; the others' officials are not in the demo.
        ...steps.map((step) => ({
          at: daysFromNow(step.days),
          action: step.action,
          status: step.status,
          actor: 'OFFICIAL' as const,
          actorId: step.action === 'REDIRECTED' ? null : DEMO_USERS.official.id,
          authorityId: step.authorityId,
          comment: step.comment ?? null,
        })),
      ],
    };
  });
  await insertRowsIfMissing(db, { officials: [{ userId: DEMO_USERS.official.id, authorityId: DEMO_AUTHORITY_ID }] });
  await inTransaction(db, async (tx) => {
    const added = new Set(
      await insertAppealsIfMissing(
        tx,
        routed.map(({ row }) => row),
      ),
    );
    // Only appeals added now get their timeline: the seed runs on every start.
    await insertTimelineEntries(
      tx,
      routed.filter(({ row }) => added.has(row.id)).flatMap(({ row, entries }) => entries.map((entry) => ({ ...entry, appealId: row.id }))),
    );
  });
}
