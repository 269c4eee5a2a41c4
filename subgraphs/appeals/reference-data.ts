import type { AuthorityRow, TopicRow } from './db/schema.ts';
import type { RoutingRule } from './domain/routing.ts';

/**
 * Reference data of the feedback platform, loaded into the appeals tables on every start (production
 * too): the rubricator of life situations, the authorities of four regions and the routing rules
 * between them. Ids are fixed, so appeals keep pointing at the same rows from one release to the
 * next; names follow the bodies' public names and are the part most likely to need an update.
 */

// ---------------------------------------------------------------------------------------------------
// Regions

export interface Region {
  /** The region's code, as on car plates and in the appeals' `region_code`. */
  code: string;
  name: string;
  /** The zone deadlines are counted in (calendar.ts `dateIn`, `endOfDayIn`). */
  timeZone: string;
  /** The places an appeal may name, as `municipality` in appeals, authorities and rules. */
  municipalities: readonly string[];
}

const KHIMKI = 'городской округ Химки';
const BALASHIKHA = 'городской округ Балашиха';
const ODINTSOVO = 'Одинцовский городской округ';
const PODOLSK = 'городской округ Подольск';

// Moscow and Saint Petersburg are cities of federal significance: yards, schools and local streets
// are run by the city's own district bodies (управы, администрации районов), not by local
// self-government, so their places are the districts.
const TVERSKOY = 'Тверской район';
const KHAMOVNIKI = 'район Хамовники';
const MARYINO = 'район Марьино';

const TSENTRALNY = 'Центральный район';
const NEVSKY = 'Невский район';
const PRIMORSKY = 'Приморский район';

const KAZAN = 'городской округ город Казань';
const CHELNY = 'городской округ город Набережные Челны';
const ALMETYEVSK = 'Альметьевский муниципальный район';

export const REGIONS: readonly Region[] = [
  { code: '50', name: 'Московская область', timeZone: 'Europe/Moscow', municipalities: [KHIMKI, BALASHIKHA, ODINTSOVO, PODOLSK] },
  { code: '77', name: 'Москва', timeZone: 'Europe/Moscow', municipalities: [TVERSKOY, KHAMOVNIKI, MARYINO] },
  { code: '78', name: 'Санкт-Петербург', timeZone: 'Europe/Moscow', municipalities: [TSENTRALNY, NEVSKY, PRIMORSKY] },
  { code: '16', name: 'Республика Татарстан', timeZone: 'Europe/Moscow', municipalities: [KAZAN, CHELNY, ALMETYEVSK] },
];

// ---------------------------------------------------------------------------------------------------
// The rubricator

interface TopicGroup {
  id: string;
  name: string;
  children: readonly { id: string; name: string; reviewDays?: number; accelerated?: boolean }[];
}

/**
 * Life situations and the problems under them. `reviewDays` is the platform's shorter deadline in
 * working days where authorities answer faster than the law asks (the figures are set by the
 * authorities, not published reliably: these are believable ones); none means the legal 30 days.
 * Accelerated topics are emergencies — no heating, no water, a broken traffic light, icicles over a
 * pavement: the next working day.
 */
const RUBRICATOR: readonly TopicGroup[] = [
  {
    id: 'roads',
    name: 'Дороги',
    children: [
      { id: 'roads.potholes', name: 'Ямы и выбоины на дорогах', reviewDays: 10 },
      { id: 'roads.snow', name: 'Уборка снега и наледи на дорогах', reviewDays: 10 },
      { id: 'roads.traffic-lights', name: 'Не работает светофор', reviewDays: 1, accelerated: true },
      { id: 'roads.signs', name: 'Дорожные знаки и разметка' },
      { id: 'roads.sidewalks', name: 'Тротуары и пешеходные переходы' },
      { id: 'roads.repair', name: 'Ремонт и строительство дорог' },
    ],
  },
  {
    id: 'housing',
    name: 'Многоквартирные дома',
    children: [
      { id: 'housing.management', name: 'Работа управляющей компании' },
      { id: 'housing.roof', name: 'Протекает кровля', reviewDays: 10 },
      { id: 'housing.entrances', name: 'Ремонт и уборка подъездов', reviewDays: 10 },
      { id: 'housing.elevators', name: 'Не работает лифт', reviewDays: 3 },
      { id: 'housing.icicles', name: 'Сосульки и наледь на крышах', reviewDays: 1, accelerated: true },
      { id: 'housing.capital-repair', name: 'Капитальный ремонт' },
    ],
  },
  {
    id: 'yards',
    name: 'Дворы и общественные пространства',
    children: [
      { id: 'yards.lighting', name: 'Не работает освещение во дворе', reviewDays: 10 },
      { id: 'yards.snow', name: 'Уборка снега во дворе', reviewDays: 10 },
      { id: 'yards.cleaning', name: 'Уборка мусора во дворе', reviewDays: 10 },
      { id: 'yards.playgrounds', name: 'Детские и спортивные площадки' },
      { id: 'yards.greenery', name: 'Озеленение и покос травы' },
      { id: 'yards.abandoned-cars', name: 'Брошенные автомобили' },
    ],
  },
  {
    id: 'social',
    name: 'Социальное обслуживание',
    children: [
      { id: 'social.benefits', name: 'Пособия и социальные выплаты' },
      { id: 'social.disability', name: 'Поддержка людей с инвалидностью' },
      { id: 'social.elderly', name: 'Помощь пожилым людям' },
      { id: 'social.families', name: 'Поддержка семей с детьми и многодетных семей' },
    ],
  },
  {
    id: 'healthcare',
    name: 'Здравоохранение',
    children: [
      { id: 'healthcare.appointments', name: 'Запись к врачу', reviewDays: 10 },
      { id: 'healthcare.medicines', name: 'Льготные лекарства' },
      { id: 'healthcare.ambulance', name: 'Работа скорой помощи' },
      { id: 'healthcare.clinics', name: 'Работа поликлиник и больниц' },
      { id: 'healthcare.staff', name: 'Нехватка врачей' },
    ],
  },
  {
    id: 'education',
    name: 'Образование',
    children: [
      { id: 'education.kindergartens', name: 'Детские сады' },
      { id: 'education.schools', name: 'Школы' },
      { id: 'education.meals', name: 'Питание в школах и детских садах', reviewDays: 10 },
      { id: 'education.school-buses', name: 'Подвоз детей в школу', reviewDays: 10 },
      { id: 'education.clubs', name: 'Кружки и секции' },
    ],
  },
  {
    id: 'transport',
    name: 'Общественный транспорт',
    children: [
      { id: 'transport.schedule', name: 'Нарушение расписания движения', reviewDays: 15 },
      { id: 'transport.routes', name: 'Открытие и изменение маршрутов' },
      { id: 'transport.stops', name: 'Остановки и павильоны', reviewDays: 10 },
      { id: 'transport.vehicles', name: 'Состояние и чистота транспорта', reviewDays: 10 },
      { id: 'transport.staff', name: 'Поведение водителей и кондукторов', reviewDays: 10 },
      { id: 'transport.fares', name: 'Оплата проезда и льготы' },
    ],
  },
  {
    id: 'utilities',
    name: 'ЖКХ и коммунальные услуги',
    children: [
      { id: 'utilities.heating', name: 'Нет отопления', reviewDays: 1, accelerated: true },
      { id: 'utilities.water', name: 'Нет холодной воды', reviewDays: 1, accelerated: true },
      { id: 'utilities.hot-water', name: 'Нет горячей воды', reviewDays: 1, accelerated: true },
      { id: 'utilities.sewerage', name: 'Засор канализации', reviewDays: 1, accelerated: true },
      { id: 'utilities.power', name: 'Отключение электроэнергии', reviewDays: 1, accelerated: true },
      { id: 'utilities.bills', name: 'Начисления за коммунальные услуги' },
    ],
  },
  {
    id: 'ecology',
    name: 'Экология и отходы',
    children: [
      { id: 'ecology.waste', name: 'Несвоевременный вывоз мусора', reviewDays: 10 },
      { id: 'ecology.dumps', name: 'Несанкционированные свалки', reviewDays: 10 },
      { id: 'ecology.container-sites', name: 'Контейнерные площадки', reviewDays: 10 },
      { id: 'ecology.air', name: 'Загрязнение воздуха' },
      { id: 'ecology.water-bodies', name: 'Загрязнение рек и водоёмов' },
      { id: 'ecology.felling', name: 'Вырубка деревьев' },
    ],
  },
  {
    id: 'trade',
    name: 'Торговля и услуги',
    children: [
      { id: 'trade.illegal', name: 'Незаконная торговля', reviewDays: 10 },
      { id: 'trade.kiosks', name: 'Киоски и павильоны' },
      { id: 'trade.markets', name: 'Ярмарки и рынки' },
      { id: 'trade.consumer-rights', name: 'Нарушение прав потребителей' },
      { id: 'trade.services', name: 'Бытовые услуги' },
    ],
  },
];

/** The rubricator as rows of the `topics` table, each parent before its children. */
export const TOPICS: readonly TopicRow[] = RUBRICATOR.flatMap((group) => [
  { id: group.id, name: group.name, parentId: null, reviewDays: null, accelerated: false },
  ...group.children.map((child) => ({
    id: child.id,
    name: child.name,
    parentId: group.id,
    reviewDays: child.reviewDays ?? null,
    accelerated: child.accelerated ?? false,
  })),
]);

// ---------------------------------------------------------------------------------------------------
// Authorities

const regional = (id: string, regionCode: string, name: string): AuthorityRow => ({ id, name, kind: 'REGIONAL_EXECUTIVE', regionCode, municipality: null });
/** A territorial body of a city of federal significance: regional, but for one district. */
const district = (id: string, regionCode: string, municipality: string, name: string): AuthorityRow => ({
  id,
  name,
  kind: 'REGIONAL_EXECUTIVE',
  regionCode,
  municipality,
});
const local = (id: string, regionCode: string, municipality: string, name: string): AuthorityRow => ({
  id,
  name,
  kind: 'LOCAL_SELF_GOVERNMENT',
  regionCode,
  municipality,
});
const organisation = (id: string, regionCode: string, name: string, municipality: string | null = null): AuthorityRow => ({
  id,
  name,
  kind: 'OTHER_ORGANISATION',
  regionCode,
  municipality,
});

// The first ids are the ones the demo data has used from the start.
const MOSCOW_REGION = {
  transport: regional('00000000-0000-4000-b000-000000000001', '50', 'Министерство транспорта и дорожной инфраструктуры Московской области'),
  health: regional('f2717195-4483-4b2f-aac4-76466d7ed941', '50', 'Министерство здравоохранения Московской области'),
  education: regional('0cec283b-2660-4db5-829f-34567eefac31', '50', 'Министерство образования Московской области'),
  housing: regional('e4f45fe4-6e0d-44d0-9c0d-69195c005696', '50', 'Министерство жилищно-коммунального хозяйства Московской области'),
  housingInspection: regional('abd2a552-26d4-4302-b4a7-359c1e86cf94', '50', 'Главное управление «Государственная жилищная инспекция Московской области»'),
  social: regional('fe303187-156f-4b45-b384-a71d98a4081e', '50', 'Министерство социального развития Московской области'),
  ecology: regional('c5ff0e57-19c4-43cb-a298-071b7df8ba9c', '50', 'Министерство экологии и природопользования Московской области'),
  landscaping: regional('8b410c33-39fb-42f7-afff-09457240cbd0', '50', 'Министерство благоустройства Московской области'),
  // The consumer market of the region is in this ministry's charge.
  trade: regional('b597e315-fb11-4890-be84-0b234c9303fb', '50', 'Министерство сельского хозяйства и продовольствия Московской области'),
  khimki: local('00000000-0000-4000-b000-000000000002', '50', KHIMKI, 'Администрация городского округа Химки'),
  balashikha: local('be14daa0-b241-4774-b4b1-07e299891370', '50', BALASHIKHA, 'Администрация городского округа Балашиха'),
  odintsovo: local('a0271f45-b4db-4bc5-ad0e-8021c768d6df', '50', ODINTSOVO, 'Администрация Одинцовского городского округа'),
  podolsk: local('116141a9-eab7-4bc1-b56f-5434a8c507bd', '50', PODOLSK, 'Администрация городского округа Подольск'),
  buses: organisation('8717eaf0-494b-4e3d-b35c-701eac5f4acd', '50', 'АО «Мострансавто»'),
  water: organisation('d4cc7c8d-b98f-4bb3-99dc-93456b10ef74', '50', 'АО «Мособлводоканал»'),
};

const MOSCOW = {
  transport: regional('e94a2841-ef79-449a-b69f-4bf1d1bff095', '77', 'Департамент транспорта и развития дорожно-транспортной инфраструктуры города Москвы'),
  health: regional('7bedd50b-26b6-4183-9090-52cfffafe4e0', '77', 'Департамент здравоохранения города Москвы'),
  education: regional('d27e72ac-ce34-40a1-bf3f-b73156d1297a', '77', 'Департамент образования и науки города Москвы'),
  // Roads, yards and utilities of the city: the city economy complex.
  housing: regional('061f048d-9d51-4d1b-84df-37a502f9a75b', '77', 'Департамент жилищно-коммунального хозяйства города Москвы'),
  housingInspection: regional('76f0883c-a481-4657-bbc2-a67cab60e01b', '77', 'Государственная жилищная инспекция города Москвы'),
  social: regional('f1329147-474c-4f7e-8ae0-9c17eb2e25e8', '77', 'Департамент труда и социальной защиты населения города Москвы'),
  ecology: regional('d4217267-587a-4cf6-9ebb-acab05b93b78', '77', 'Департамент природопользования и охраны окружающей среды города Москвы'),
  trade: regional('cf731d89-16a6-40a9-b56b-1e6cd2b6e32a', '77', 'Департамент торговли и услуг города Москвы'),
  tverskoy: district('63966706-7bd2-4aa8-b019-a4311de1909a', '77', TVERSKOY, 'Управа Тверского района города Москвы'),
  khamovniki: district('9544bc82-f3c1-4772-8b1f-7c91df43f463', '77', KHAMOVNIKI, 'Управа района Хамовники города Москвы'),
  maryino: district('0081aee7-944e-422e-abb8-24e6e8de03e3', '77', MARYINO, 'Управа района Марьино города Москвы'),
  buses: organisation('15ab463e-19d1-464f-9c6f-6bb8b8e0f7df', '77', 'ГУП «Мосгортранс»'),
  water: organisation('ff48b471-6803-4b50-bb55-434748e12812', '77', 'АО «Мосводоканал»'),
  heat: organisation('6ca486ff-12e9-428d-9c4b-23fbf2b55459', '77', 'ПАО «МОЭК»'),
};

const SAINT_PETERSBURG = {
  transport: regional('00000000-0000-4000-b000-000000000003', '78', 'Комитет по транспорту Санкт-Петербурга'),
  roads: regional('fc16fe99-9155-45ef-ac26-8def90657db8', '78', 'Комитет по развитию транспортной инфраструктуры Санкт-Петербурга'),
  // Keeps the city's roads and its green and public spaces.
  landscaping: regional('01e4ddeb-766f-4108-8c1e-17649e085627', '78', 'Комитет по благоустройству Санкт-Петербурга'),
  health: regional('a6e2bdb1-9a1a-4e02-ab49-ef1992e2ab43', '78', 'Комитет по здравоохранению Санкт-Петербурга'),
  education: regional('df96226c-8e5e-452d-84cb-74b0579741ae', '78', 'Комитет по образованию Санкт-Петербурга'),
  housing: regional('618ad6e2-21cd-4f52-8d07-5e3e8d0dcc1a', '78', 'Жилищный комитет Санкт-Петербурга'),
  energy: regional('911487ec-3612-473c-b33c-db35acae89d4', '78', 'Комитет по энергетике и инженерному обеспечению Санкт-Петербурга'),
  housingInspection: regional('5670478f-a33f-433f-81a6-30ebe1ba043f', '78', 'Государственная жилищная инспекция Санкт-Петербурга'),
  social: regional('f5d791d5-8d84-42a5-be70-896e412c6ec5', '78', 'Комитет по социальной политике Санкт-Петербурга'),
  ecology: regional('f00af243-a61e-47b1-a8af-cbeab870578e', '78', 'Комитет по природопользованию, охране окружающей среды и обеспечению экологической безопасности Санкт-Петербурга'),
  trade: regional('1a4f8175-a1c4-4c29-a06b-12990b64839c', '78', 'Комитет по промышленной политике, инновациям и торговле Санкт-Петербурга'),
  tsentralny: district('00557e9c-d138-4baf-a2a5-26a1d8c63717', '78', TSENTRALNY, 'Администрация Центрального района Санкт-Петербурга'),
  nevsky: district('ea1dacd4-c8b7-452a-9962-9220cd86d15c', '78', NEVSKY, 'Администрация Невского района Санкт-Петербурга'),
  primorsky: district('9ee55632-aaf9-48ad-9165-da8705514cd1', '78', PRIMORSKY, 'Администрация Приморского района Санкт-Петербурга'),
  buses: organisation('0579f436-70cc-4923-a1c4-951d953a3071', '78', 'СПб ГУП «Пассажиравтотранс»'),
  water: organisation('41511846-43cb-4a31-a0c5-9a1bce54504a', '78', 'ГУП «Водоканал Санкт-Петербурга»'),
  heat: organisation('0a66a315-ad13-4d3a-935f-55deb7a19ea2', '78', 'ГУП «ТЭК СПб»'),
};

const TATARSTAN = {
  transport: regional('de0951a5-9727-497a-877e-f538587b6a90', '16', 'Министерство транспорта и дорожного хозяйства Республики Татарстан'),
  health: regional('8457fe5c-e59f-4c4e-a31f-2c5a87aaa51a', '16', 'Министерство здравоохранения Республики Татарстан'),
  education: regional('94c99092-f1cb-4cfb-a2db-b51e0c4bfea9', '16', 'Министерство образования и науки Республики Татарстан'),
  housing: regional('179a095d-c450-4134-9a88-b249edf882fc', '16', 'Министерство строительства, архитектуры и жилищно-коммунального хозяйства Республики Татарстан'),
  housingInspection: regional('25842c98-6dee-4fec-81dc-b0949ce26698', '16', 'Государственная жилищная инспекция Республики Татарстан'),
  social: regional('c55f64c0-e0db-45d6-a740-804678ac2797', '16', 'Министерство труда, занятости и социальной защиты Республики Татарстан'),
  ecology: regional('af0c8e43-672d-439e-a36b-5379cb5b2c59', '16', 'Министерство экологии и природных ресурсов Республики Татарстан'),
  trade: regional('90994789-d7ea-4dae-ba80-4e2eac8b7061', '16', 'Министерство промышленности и торговли Республики Татарстан'),
  // In Tatarstan the executive body of a municipality is its executive committee (исполнительный комитет).
  kazan: local('1f199abf-068a-419c-aff0-fb8abdca140c', '16', KAZAN, 'Исполнительный комитет муниципального образования города Казани'),
  chelny: local('847cabca-003d-4cf3-b488-2d37853b058e', '16', CHELNY, 'Исполнительный комитет муниципального образования города Набережные Челны'),
  almetyevsk: local('4eb0cb7a-a53c-471a-87b3-163a7a1dd456', '16', ALMETYEVSK, 'Исполнительный комитет Альметьевского муниципального района'),
  // City enterprises of Kazan: they serve Kazan only, so rules send them Kazan's appeals only.
  kazanWater: organisation('f51881a7-3f9a-4af5-a1e6-d38d81fdc637', '16', 'МУП «Водоканал» города Казани', KAZAN),
  kazanTransport: organisation('e7626027-879b-4fe1-929e-24104734f441', '16', 'МУП «Метроэлектротранс»', KAZAN),
};

export const AUTHORITIES: readonly AuthorityRow[] = [...Object.values(MOSCOW_REGION), ...Object.values(MOSCOW), ...Object.values(SAINT_PETERSBURG), ...Object.values(TATARSTAN)];

// ---------------------------------------------------------------------------------------------------
// Routing rules (domain/routing.ts `routeAppeal`)

/** One rule per topic: the topics go to `authority` in the whole region, or in one municipality of it. */
const to = (authority: AuthorityRow, regionCode: string, municipality: string | null, topicIds: readonly string[]): RoutingRule[] =>
  topicIds.map((topicId) => ({ topicId, regionCode, municipality, authorityId: authority.id }));

/** Topics the municipality's own administration deals with, in every municipality of a region. */
const inEach = (regionCode: string, administrations: readonly AuthorityRow[], topicIds: readonly string[]): RoutingRule[] =>
  administrations.flatMap((administration) => to(administration, regionCode, administration.municipality, topicIds));

// Every top-level topic has a rule for the whole region, so an appeal that names no municipality (or
// one with no rule of its own) still reaches the regional body responsible, which may redirect it.
// Local matters — streets, yards, schools, heat, dumps, trade — go to the municipality where it is named.

const moscowRegionRules: RoutingRule[] = [
  ...to(MOSCOW_REGION.transport, '50', null, ['roads', 'roads.repair', 'transport']),
  ...to(MOSCOW_REGION.housingInspection, '50', null, ['housing', 'utilities.bills']),
  ...to(MOSCOW_REGION.housing, '50', null, ['housing.capital-repair', 'utilities']),
  ...to(MOSCOW_REGION.landscaping, '50', null, ['yards']),
  ...to(MOSCOW_REGION.social, '50', null, ['social']),
  ...to(MOSCOW_REGION.health, '50', null, ['healthcare']),
  ...to(MOSCOW_REGION.education, '50', null, ['education']),
  ...to(MOSCOW_REGION.buses, '50', null, ['transport.schedule', 'transport.vehicles', 'transport.staff']),
  ...to(MOSCOW_REGION.water, '50', null, ['utilities.water', 'utilities.sewerage']),
  ...to(MOSCOW_REGION.ecology, '50', null, ['ecology']),
  ...to(MOSCOW_REGION.trade, '50', null, ['trade']),
  ...inEach(
    '50',
    [MOSCOW_REGION.khimki, MOSCOW_REGION.balashikha, MOSCOW_REGION.odintsovo, MOSCOW_REGION.podolsk],
    ['roads', 'yards', 'education.kindergartens', 'education.schools', 'education.meals', 'education.school-buses', 'transport.stops', 'utilities', 'ecology.dumps', 'ecology.container-sites', 'trade'],
  ),
];

const moscowRules: RoutingRule[] = [
  ...to(MOSCOW.housing, '77', null, ['roads', 'yards', 'housing.capital-repair', 'utilities']),
  ...to(MOSCOW.transport, '77', null, ['roads.traffic-lights', 'roads.signs', 'roads.repair', 'transport']),
  ...to(MOSCOW.housingInspection, '77', null, ['housing', 'utilities.bills']),
  ...to(MOSCOW.social, '77', null, ['social']),
  ...to(MOSCOW.health, '77', null, ['healthcare']),
  ...to(MOSCOW.education, '77', null, ['education']),
  ...to(MOSCOW.buses, '77', null, ['transport.schedule', 'transport.vehicles', 'transport.staff']),
  ...to(MOSCOW.heat, '77', null, ['utilities.heating', 'utilities.hot-water']),
  ...to(MOSCOW.water, '77', null, ['utilities.water', 'utilities.sewerage']),
  ...to(MOSCOW.ecology, '77', null, ['ecology']),
  ...to(MOSCOW.trade, '77', null, ['trade']),
  ...inEach('77', [MOSCOW.tverskoy, MOSCOW.khamovniki, MOSCOW.maryino], ['yards', 'roads.sidewalks', 'ecology.dumps', 'ecology.container-sites', 'trade.illegal']),
];

const saintPetersburgRules: RoutingRule[] = [
  ...to(SAINT_PETERSBURG.landscaping, '78', null, ['roads', 'yards']),
  ...to(SAINT_PETERSBURG.transport, '78', null, ['roads.traffic-lights', 'roads.signs', 'transport']),
  ...to(SAINT_PETERSBURG.roads, '78', null, ['roads.repair']),
  ...to(SAINT_PETERSBURG.housingInspection, '78', null, ['housing', 'utilities.bills']),
  ...to(SAINT_PETERSBURG.housing, '78', null, ['housing.capital-repair']),
  ...to(SAINT_PETERSBURG.energy, '78', null, ['utilities']),
  ...to(SAINT_PETERSBURG.social, '78', null, ['social']),
  ...to(SAINT_PETERSBURG.health, '78', null, ['healthcare']),
  ...to(SAINT_PETERSBURG.education, '78', null, ['education']),
  ...to(SAINT_PETERSBURG.buses, '78', null, ['transport.schedule', 'transport.vehicles', 'transport.staff']),
  ...to(SAINT_PETERSBURG.heat, '78', null, ['utilities.heating', 'utilities.hot-water']),
  ...to(SAINT_PETERSBURG.water, '78', null, ['utilities.water', 'utilities.sewerage']),
  ...to(SAINT_PETERSBURG.ecology, '78', null, ['ecology']),
  ...to(SAINT_PETERSBURG.trade, '78', null, ['trade']),
  // District administrations run the schools, the housing stock's upkeep and social protection there.
  ...inEach(
    '78',
    [SAINT_PETERSBURG.tsentralny, SAINT_PETERSBURG.nevsky, SAINT_PETERSBURG.primorsky],
    ['yards', 'roads.sidewalks', 'housing', 'education.kindergartens', 'education.schools', 'education.meals', 'social', 'ecology.dumps', 'ecology.container-sites', 'trade.illegal'],
  ),
];

const tatarstanRules: RoutingRule[] = [
  ...to(TATARSTAN.transport, '16', null, ['roads', 'roads.repair', 'transport']),
  ...to(TATARSTAN.housingInspection, '16', null, ['housing', 'utilities.bills']),
  ...to(TATARSTAN.housing, '16', null, ['housing.capital-repair', 'yards', 'utilities']),
  ...to(TATARSTAN.social, '16', null, ['social']),
  ...to(TATARSTAN.health, '16', null, ['healthcare']),
  ...to(TATARSTAN.education, '16', null, ['education']),
  ...to(TATARSTAN.ecology, '16', null, ['ecology']),
  ...to(TATARSTAN.trade, '16', null, ['trade']),
  ...inEach(
    '16',
    [TATARSTAN.kazan, TATARSTAN.chelny, TATARSTAN.almetyevsk],
    ['roads', 'yards', 'education.kindergartens', 'education.schools', 'education.meals', 'education.school-buses', 'transport.stops', 'utilities', 'ecology.dumps', 'ecology.container-sites', 'trade'],
  ),
  ...to(TATARSTAN.kazanWater, '16', KAZAN, ['utilities.water', 'utilities.sewerage']),
  ...to(TATARSTAN.kazanTransport, '16', KAZAN, ['transport.schedule', 'transport.vehicles', 'transport.staff']),
];

export const ROUTING_RULES: readonly RoutingRule[] = [...moscowRegionRules, ...moscowRules, ...saintPetersburgRules, ...tatarstanRules];
