import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { AccountLevel, Role } from '../lib/auth.ts';
import type { Database } from '../lib/db.ts';
import * as appealsTables from '../subgraphs/appeals/db/schema.ts';
import { insertRowsIfMissing } from '../subgraphs/appeals/db/store.ts';
import * as identityTables from '../subgraphs/identity/db/schema.ts';
import { insertAccountsIfMissing } from '../subgraphs/identity/db/accounts.ts';
import { hashPassword } from '../subgraphs/identity/domain/credentials.ts';
import * as notificationsTables from '../subgraphs/notifications/db/schema.ts';
import { insertItemsIfMissing } from '../subgraphs/notifications/db/feed.ts';
import * as profileTables from '../subgraphs/profile/db/schema.ts';
import { insertDocumentsIfMissing } from '../subgraphs/profile/db/documents.ts';
import { insertPersonalDataIfMissing } from '../subgraphs/profile/db/personal-data.ts';

/**
 * The benchmark's data, written through each subgraph's own tables and queries (each owns its
 * Postgres schema), with fixed ids so it is loaded once per database and found again on the next run.
 * The large sets are one `INSERT … SELECT generate_series` each.
 */

export type SubgraphDatabases = {
  identity: Database<typeof identityTables>;
  profile: Database<typeof profileTables>;
  notifications: Database<typeof notificationsTables>;
  appeals: Database<typeof appealsTables>;
};

export interface BenchDataSize {
  /** Active users with the same full cabinet: each connection of the dashboard's load is another person (32 in the benchmark). */
  dashboardPeople: number;
  /** Items in the feed of the feed-search person (100,000 in the benchmark). */
  feedItems: number;
  /** Appeals in the queue of the officials' authority (100,000 in the benchmark). */
  queueAppeals: number;
}

export const BENCH_SIZE: BenchDataSize = { dashboardPeople: 32, feedItems: 100_000, queueAppeals: 100_000 };
export const BENCH_PASSWORD = 'Bench2026pass';

const benchId = (group: string, n: number) => `00000000-0000-4000-${group}-${String(n).padStart(12, '0')}`;

interface BenchPerson {
  id: string;
  phone: string;
  email: string;
  roles: Role[];
  lastName: string;
}
const person = (n: number, lastName: string, roles: Role[] = []): BenchPerson => ({
  id: benchId('9000', n),
  phone: `+7990000${String(n).padStart(4, '0')}`,
  email: `bench${n}@bench.example`,
  roles,
  lastName,
});

/**
 * The cabinet dashboard's people: each a full profile, 80 feed items (60 about appeals) and 60 appeals
 * with timelines. Many of them, so that a load of many connections is many people, as in life (a
 * gateway may share identical fetches of one caller, never of different ones).
 */
export const dashboardPerson = (index: number) => person(100 + index, 'Активный');

/** Who signs in for each scenario. */
export const BENCH_PEOPLE = {
  /** The first of the dashboard's people. */
  dashboard: dashboardPerson(0),
  /** 100,000 feed items. */
  feed: person(2, 'Читатель'),
  /** Works on the queue of the authority with 100,000 appeals. */
  official: person(3, 'Чиновникова', ['OFFICIAL']),
  /** Reads the analytics of the region. */
  coordinator: person(4, 'Координатов', ['COORDINATOR']),
  /** Signs in, over and over (its sessions pile up; nobody else's data changes). */
  login: person(5, 'Входящий'),
} satisfies Record<string, BenchPerson>;

/** The queue's authority and the one the dashboard person's appeals go to. */
export const BENCH_AUTHORITIES = { queue: benchId('b900', 1), dashboard: benchId('b900', 2) };
export const DASHBOARD_APPEALS = 60;
export const DASHBOARD_FEED_ITEMS = 80;
/** People whose names the officials' queue shows: profile rows only. */
const AUTHORS = 200;
const MUNICIPALITIES = [
  'городской округ Химки',
  'городской округ Мытищи',
  'городской округ Балашиха',
  'городской округ Подольск',
  'городской округ Люберцы',
  'городской округ Королёв',
  'городской округ Одинцово',
  'городской округ Красногорск',
];
const TOPICS = ['roads.potholes', 'roads.snow', 'roads.signs', 'yards.lighting', 'yards.cleaning', 'yards.playgrounds', 'housing.roof', 'housing.elevators', 'healthcare.appointments', 'social.benefits'];
const KHIMKI = { postcode: '141400', region: 'Московская область', municipality: 'городской округ Химки', street: 'ул. Молодёжная', house: '8', flat: '12' };
const DAY = 86_400_000;
/** From the appeals reference data. */
const KHIMKI_ADMINISTRATION = '00000000-0000-4000-b000-000000000002';
const STATUSES = ['REGISTERED', 'IN_WORK', 'ANSWERED', 'IN_WORK', 'REGISTERED', 'CLOSED', 'CLARIFICATION_REQUESTED', 'ANSWERED'] as const;

/** Loads what is missing; a database that has everything is left as it is. */
export async function seedBenchData(databases: SubgraphDatabases, size: BenchDataSize = BENCH_SIZE, now = new Date()): Promise<void> {
  const dashboardPeople = Array.from({ length: size.dashboardPeople }, (_, index) => dashboardPerson(index));
  await seedPeople(databases, dashboardPeople);
  for (const [index, { id }] of dashboardPeople.entries()) await seedDashboardPerson(databases, id, index, now);
  await seedFeed(databases, size.feedItems, now);
  await seedQueue(databases, size.queueAppeals, now);
}

async function seedPeople({ identity, profile, appeals }: SubgraphDatabases, dashboardPeople: BenchPerson[]): Promise<void> {
  const people = [...Object.values(BENCH_PEOPLE).filter((one) => one !== BENCH_PEOPLE.dashboard), ...dashboardPeople];
  const [{ known } = { known: 0 }] = await identity.db
    .select({ known: count() })
    .from(identityTables.accounts)
    .where(
      inArray(
        identityTables.accounts.id,
        people.map((p) => p.id),
      ),
    );
  if (known < people.length) {
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const confirmedAt = new Date('2026-01-10T09:00:00Z');
    await insertAccountsIfMissing(
      identity.db,
      people.map(({ id, phone, email, roles }) => ({
        id,
        phone,
        email,
        roles,
        passwordHash,
        level: 'CONFIRMED' as AccountLevel,
        phoneConfirmedAt: confirmedAt,
        emailConfirmedAt: confirmedAt,
      })),
    );
  }
  const authors = Array.from({ length: AUTHORS }, (_, n) => ({ userId: benchId('a900', n + 1), lastName: `Автор${n + 1}`, firstName: 'Заявитель', sex: 'MALE' as const, birthDate: '1980-01-01' }));
  await insertPersonalDataIfMissing(profile.db, [
    ...people.map(({ id, lastName }) => ({
      userId: id,
      lastName,
      firstName: 'Иван',
      middleName: 'Петрович',
      sex: 'MALE' as const,
      birthDate: '1985-04-12',
      birthPlace: 'г. Москва',
      citizenship: 'RUS',
      registrationAddress: KHIMKI,
      actualAddress: KHIMKI,
      accountLevel: 'CONFIRMED' as const,
    })),
    ...authors,
  ]);
  await insertRowsIfMissing(appeals.db, {
    topics: [],
    authorities: [
      { id: BENCH_AUTHORITIES.queue, name: 'Министерство благоустройства Московской области (нагрузочное)', kind: 'REGIONAL_EXECUTIVE', regionCode: '50' },
      { id: BENCH_AUTHORITIES.dashboard, name: 'Администрация городского округа (нагрузочная)', kind: 'LOCAL_SELF_GOVERNMENT', regionCode: '50', municipality: MUNICIPALITIES[0] },
    ],
    officials: [{ userId: BENCH_PEOPLE.official.id, authorityId: BENCH_AUTHORITIES.queue }],
    appeals: [],
  });
}

/** A real active user: documents, children, vehicles, appeals with timelines, a feed that follows them. */
async function seedDashboardPerson({ profile, notifications, appeals }: SubgraphDatabases, userId: string, index: number, now: Date): Promise<void> {
  // Ids of this person's rows: one group of four hex digits per kind and person.
  const id = (kind: string, n: number) => benchId(`${kind}${index.toString(16).padStart(2, '0')}`, n);
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  await insertDocumentsIfMissing(profile.db, [
    { id: id('d9', 1), userId, type: 'RUSSIAN_PASSPORT', details: { series: '4510', number: '700001', issuedOn: '2020-05-14', issuedBy: 'ГУ МВД России по г. Москве', divisionCode: '770-001' } },
    { id: id('d9', 2), userId, type: 'SNILS', details: { number: '11223344595' } },
    { id: id('d9', 3), userId, type: 'INN', details: { number: '500100732259' } },
    { id: id('d9', 4), userId, type: 'OMS_POLICY', details: { number: '5096810854000136' } },
    { id: id('d9', 5), userId, type: 'DRIVER_LICENCE', details: { series: '9916', number: '482913', issuedOn: '2019-07-02', expiresOn: '2029-07-02', categories: ['B', 'B1', 'M'] } },
  ]);
  await profile.db
    .insert(profileTables.children)
    .values([
      {
        id: id('d9', 11),
        userId,
        lastName: 'Активная',
        firstName: 'Мария',
        middleName: 'Ивановна',
        sex: 'FEMALE',
        birthDate: '2015-03-08',
        birthCertificate: { series: 'IV-МЮ', number: '512345', issuedOn: '2015-03-20', issuedBy: 'Отдел ЗАГС г. Химки' },
      },
      { id: id('d9', 12), userId, lastName: 'Активный', firstName: 'Алексей', middleName: 'Иванович', sex: 'MALE', birthDate: '2019-11-21' },
    ])
    .onConflictDoNothing();
  await profile.db
    .insert(profileTables.vehicles)
    .values([
      { id: id('d9', 21), userId, make: 'Lada', model: 'Vesta', registrationPlate: 'А123ВС750', vin: 'XTAGFL110KY123456', registrationCertificate: '9900123456' },
      { id: id('d9', 22), userId, make: 'Kia', model: 'Rio', registrationPlate: 'В456ОР750', vin: 'Z94CB41AAGR323020', registrationCertificate: '9900654321' },
    ])
    .onConflictDoNothing();

  const appealRows = Array.from({ length: DASHBOARD_APPEALS }, (_, n) => ({
    id: id('e9', n + 1),
    number: `ПОС-Б-${index}-${String(n + 1).padStart(4, '0')}`,
    authorId: userId,
    topicId: TOPICS[n % TOPICS.length]!,
    authorityId: n % 2 ? BENCH_AUTHORITIES.dashboard : KHIMKI_ADMINISTRATION,
    regionCode: '50',
    municipality: MUNICIPALITIES[0],
    text: `Обращение ${n + 1}: во дворе не убран снег, прошу принять меры.`,
    status: STATUSES[n % STATUSES.length]!,
    createdAt: at(n * 3 + 1),
    registeredAt: at(n * 3 + 1),
    dueAt: at(n * 3 - 29),
  }));
  await appeals.db.transaction(async (tx) => {
    const added = await tx.insert(appealsTables.appeals).values(appealRows).onConflictDoNothing().returning();
    // Three steps of review each: submitted, taken into work, where it stands now.
    const steps = added.flatMap((appeal) => [
      { appealId: appeal.id, at: appeal.registeredAt!, action: 'SUBMITTED', status: 'REGISTERED' as const, actor: 'CITIZEN' as const, actorId: userId, authorityId: appeal.authorityId },
      { appealId: appeal.id, at: new Date(appeal.registeredAt!.getTime() + DAY), action: 'TAKEN_INTO_WORK', status: 'IN_WORK' as const, actor: 'OFFICIAL' as const, authorityId: appeal.authorityId },
      { appealId: appeal.id, at: new Date(appeal.registeredAt!.getTime() + 2 * DAY), action: 'STATUS_CHANGED', status: appeal.status, actor: 'SYSTEM' as const, authorityId: appeal.authorityId },
    ]);
    if (steps.length) await tx.insert(appealsTables.timeline).values(steps);
  });

  await insertItemsIfMissing(
    notifications.db,
    Array.from({ length: DASHBOARD_FEED_ITEMS }, (_, n) => {
      const appeal = n < DASHBOARD_APPEALS ? appealRows[n]! : null;
      return {
        id: id('c9', n + 1),
        userId,
        createdAt: new Date(now.getTime() - (n + 1) * 3_600_000),
        readAt: n % 3 ? at(0) : null,
        ...(appeal
          ? { category: 'APPEAL' as const, title: `Обращение ${appeal.number}: новый статус`, body: 'Ведомство рассматривает ваше обращение.', appealId: appeal.id }
          : { category: 'PAYMENT' as const, kind: 'DEBTS_AND_FINES' as const, title: 'Новый штраф ГИБДД: 500 ₽', body: 'Оплатите со скидкой 50%.', amount: '500.00', currency: 'RUB' }),
      };
    }),
  );
}

/** A dashboard answer (`me` of bench/queries.ts's DASHBOARD_QUERY) as far as the checks below read it. */
export interface DashboardAnswer {
  documents: unknown[];
  children: unknown[];
  vehicles: unknown[];
  notifications: { edges: { node: { appeal: { status?: string; authority?: { name?: string } | null } | null } }[] };
  appeals: { edges: { node: { timeline: unknown[] } }[] };
}

/**
 * What a benchmark person's dashboard lacks of what the seed writes ([] when it is whole): a
 * database with older or partial benchmark data would measure a smaller page.
 */
export function dashboardProblems(me: DashboardAnswer | null | undefined, page: { notifications: number; appeals: number }): string[] {
  if (!me) return ['no me'];
  const problems: string[] = [];
  const expect = (what: string, actual: number, wanted: number) => actual !== wanted && problems.push(`${what}: ${actual} instead of ${wanted}`);
  expect('documents', me.documents.length, 5);
  expect('children', me.children.length, 2);
  expect('vehicles', me.vehicles.length, 2);
  expect('notifications', me.notifications.edges.length, page.notifications);
  expect('notifications with their appeal and its authority', me.notifications.edges.filter(({ node }) => node.appeal?.status && node.appeal.authority?.name).length, Math.min(page.notifications, DASHBOARD_APPEALS));
  expect('appeals', me.appeals.edges.length, Math.min(page.appeals, DASHBOARD_APPEALS));
  // Appeals' overdue job may have added a fourth step (OVERDUE) to an open appeal past its due date.
  expect('appeals with their three timeline steps', me.appeals.edges.filter(({ node }) => node.timeline.length >= 3).length, Math.min(page.appeals, DASHBOARD_APPEALS));
  return problems;
}

/** 100,000 feed items: every category, titles and bodies varied so that a word search finds a share of them. */
async function seedFeed({ notifications }: SubgraphDatabases, total: number, now: Date): Promise<void> {
  const { items } = notificationsTables;
  const userId = BENCH_PEOPLE.feed.id;
  const [{ present } = { present: 0 }] = await notifications.db.select({ present: count() }).from(items).where(eq(items.userId, userId));
  if (present >= total) return;
  await notifications.db.execute(sql`
    insert into ${items} (id, user_id, category, kind, title, body, created_at, read_at)
    select md5('bench-feed-' || n)::uuid, ${userId}::uuid,
           (array['PAYMENT','APPLICATION','APPOINTMENT','GOVERNMENT_MAIL','SUPPORT','ACCOUNT','APPEAL','DRAFT'])[1 + n % 8]::notifications.category,
           (array['DEBTS_AND_FINES','SERVICE_STAGES','OTHER','OTHER','OTHER','SECURITY','OTHER','SERVICE_STAGES'])[1 + n % 8]::notifications.kind,
           (array['Штраф ГИБДД к оплате','Заявление на загранпаспорт принято','Запись к врачу','Письмо от ФНС России','Ответ службы поддержки','Вход в личный кабинет','Обращение рассмотрено','Черновик заявления сохранён'])[1 + n % 8] || ' №' || n,
           (array['Оплатите штраф со скидкой','Ведомство рассматривает заявления граждан','Поликлиника ждёт вас','Налоговое уведомление','Мы ответили на вопрос','Выполнен вход с нового устройства','Ведомство ответило на обращение','Заполните заявление до конца'])[1 + (n / 8) % 8],
           ${now.toISOString()}::timestamptz - make_interval(mins => n),
           case when n % 4 = 0 then null else ${now.toISOString()}::timestamptz end
    from generate_series(1, ${total}::int) as n
    on conflict do nothing`);
  // Statistics and the visibility map now, as autovacuum would soon after a bulk load (on a server
  // where it is off, never): the first measured queries plan with them, and index-only scans are that.
  await notifications.db.execute(sql`vacuum analyze ${items}, ${notificationsTables.feedWordCounts}`);
}

/** How many of the queue's appeals are overdue: those in work past their due date. */
export const benchQueueOverdue = (total: number) => Array.from({ length: total }, (_, i) => i + 1).filter((n) => n % 10 === 0 && n * 6 >= total).length;

/** 100,000 appeals to one authority from 200 people, over the last half year; a share of them overdue. */
async function seedQueue({ appeals }: SubgraphDatabases, total: number, now: Date): Promise<void> {
  const table = appealsTables.appeals;
  const [{ present } = { present: 0 }] = await appeals.db
    .select({ present: count() })
    .from(table)
    .where(and(eq(table.authorityId, BENCH_AUTHORITIES.queue), sql`${table.number} like 'ПОС-Н-%'`));
  if (present >= total) return;
  const authors = sql.raw(`'00000000-0000-4000-a900-' || lpad((1 + n % ${AUTHORS})::text, 12, '0')`);
  const topics = sql.raw(`(array[${TOPICS.map((topic) => `'${topic}'`).join(',')}])[1 + n % ${TOPICS.length}]`);
  const municipalities = sql.raw(`(array[${MUNICIPALITIES.map((name) => `'${name}'`).join(',')}])[1 + n % ${MUNICIPALITIES.length}]`);
  // Registered over 180 days, due 30 days later. Those older than 30 days are answered but every
  // tenth appeal, which stays in work: overdue (see `benchQueueOverdue`).
  await appeals.db.execute(sql`
    insert into ${table} (id, number, author_id, topic_id, authority_id, region_code, municipality, text, status, created_at, registered_at, due_at, answer_text, answered_at, rating_score, rated_at)
    select md5('bench-appeal-' || n)::uuid, 'ПОС-Н-' || lpad(n::text, 7, '0'), (${authors})::uuid, ${topics}, ${BENCH_AUTHORITIES.queue}::uuid, '50', ${municipalities},
           'Нагрузочное обращение ' || n || ': яма на дороге у дома.', status::appeals.appeal_status, registered, registered, registered + interval '30 days',
           case when status = 'ANSWERED' then 'Яма заделана.' end, case when status = 'ANSWERED' then registered + interval '10 days' end,
           case when status = 'ANSWERED' and n % 4 = 1 then 1 + n % 5 end, case when status = 'ANSWERED' and n % 4 = 1 then registered + interval '11 days' end
    from generate_series(1, ${total}::int) as n,
         lateral (select date_trunc('milliseconds', ${now.toISOString()}::timestamptz - make_interval(secs => (n::float8 / ${total}) * 180 * 86400))) as r(registered),
         lateral (select case when n % 10 = 0 then 'IN_WORK' when n * 6 >= ${total} then 'ANSWERED' when n % 2 = 0 then 'IN_WORK' else 'REGISTERED' end) as s(status)
    on conflict do nothing`);
  await appeals.db.execute(sql`vacuum analyze ${table}, ${appealsTables.analyticsCounts}`);
}
