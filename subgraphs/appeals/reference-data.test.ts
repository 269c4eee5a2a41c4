import { describe, expect, it } from 'vitest';
import { routeAppeal } from './domain/routing.ts';
import { AUTHORITIES, REGIONS, ROUTING_RULES, TOPICS } from './reference-data.ts';

const topicIds = new Set(TOPICS.map((topic) => topic.id));
const authorityById = new Map(AUTHORITIES.map((authority) => [authority.id, authority]));
const topLevel = TOPICS.filter((topic) => topic.parentId === null);
const childrenOf = (id: string) => TOPICS.filter((topic) => topic.parentId === id);
const duplicates = (values: readonly string[]) => values.filter((value, i) => values.indexOf(value) !== i);

const route = (topicId: string, regionCode: string, municipality: string | null) => {
  const routing = routeAppeal({ topicId, regionCode, municipality }, ROUTING_RULES, TOPICS);
  return routing && authorityById.get(routing.authorityId)?.name;
};

describe('the rubricator', () => {
  it('has unique ids and a parent for every subtopic, listed before it', () => {
    expect(duplicates(TOPICS.map((topic) => topic.id))).toEqual([]);
    expect(TOPICS.filter((topic, i) => topic.parentId !== null && !TOPICS.slice(0, i).some((earlier) => earlier.id === topic.parentId))).toEqual([]);
  });

  it('has at least ten life situations, each with three to six problems and no deeper levels', () => {
    expect(topLevel.length).toBeGreaterThanOrEqual(10);
    expect(topLevel.filter((topic) => childrenOf(topic.id).length < 3 || childrenOf(topic.id).length > 6).map((topic) => topic.id)).toEqual([]);
    expect(TOPICS.filter((topic) => topic.parentId !== null && childrenOf(topic.id).length > 0)).toEqual([]);
  });

  it('keeps the ids the demo appeals use', () => {
    expect(['roads.potholes', 'yards.lighting', 'transport.schedule', 'roads.repair'].filter((id) => !topicIds.has(id))).toEqual([]);
  });

  it('gives platform deadlines of 1 to 20 working days, under the legal 30 days, and the next working day to accelerated topics', () => {
    expect(TOPICS.filter((topic) => topic.reviewDays !== null && !(Number.isInteger(topic.reviewDays) && topic.reviewDays >= 1 && topic.reviewDays <= 20))).toEqual([]);
    expect(TOPICS.filter((topic) => topic.accelerated && topic.reviewDays !== 1)).toEqual([]);
  });

  it('names snow, potholes and lighting with the 10-day platform deadline', () => {
    expect(TOPICS.filter((topic) => ['roads.potholes', 'roads.snow', 'yards.snow', 'yards.lighting'].includes(topic.id)).map((topic) => [topic.id, topic.reviewDays])).toEqual([
      ['roads.potholes', 10],
      ['roads.snow', 10],
      ['yards.lighting', 10],
      ['yards.snow', 10],
    ]);
  });
});

describe('the authorities', () => {
  it('have unique, well-formed ids and names', () => {
    expect(duplicates(AUTHORITIES.map((authority) => authority.id))).toEqual([]);
    expect(duplicates(AUTHORITIES.map((authority) => authority.name))).toEqual([]);
    expect(AUTHORITIES.filter((authority) => !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(authority.id))).toEqual([]);
  });

  it('keep the ids the demo data refers to', () => {
    const demoIds = ['00000000-0000-4000-b000-000000000001', '00000000-0000-4000-b000-000000000002', '00000000-0000-4000-b000-000000000003'];
    expect(demoIds.map((id) => authorityById.get(id)?.name)).toEqual([
      'Министерство транспорта и дорожной инфраструктуры Московской области',
      'Администрация городского округа Химки',
      'Комитет по транспорту Санкт-Петербурга',
    ]);
  });

  it('belong to a known region and, when local, to one of its municipalities', () => {
    const places = new Map(REGIONS.map((region) => [region.code, region.municipalities]));
    expect(AUTHORITIES.filter((authority) => !places.has(authority.regionCode))).toEqual([]);
    expect(AUTHORITIES.filter((authority) => authority.kind === 'LOCAL_SELF_GOVERNMENT' && !authority.municipality)).toEqual([]);
    expect(AUTHORITIES.filter((authority) => authority.municipality && !places.get(authority.regionCode)?.includes(authority.municipality))).toEqual([]);
  });

  it('include regional bodies and other organisations in every region, and local self-government outside the federal cities', () => {
    const kinds = REGIONS.map((region) => [region.code, [...new Set(AUTHORITIES.filter((authority) => authority.regionCode === region.code).map((authority) => authority.kind))].sort()]);
    expect(kinds).toEqual([
      ['50', ['LOCAL_SELF_GOVERNMENT', 'OTHER_ORGANISATION', 'REGIONAL_EXECUTIVE']],
      ['77', ['OTHER_ORGANISATION', 'REGIONAL_EXECUTIVE']],
      ['78', ['OTHER_ORGANISATION', 'REGIONAL_EXECUTIVE']],
      ['16', ['LOCAL_SELF_GOVERNMENT', 'OTHER_ORGANISATION', 'REGIONAL_EXECUTIVE']],
    ]);
  });

  it('have a body of its own in every municipality', () => {
    const servesPlace = (place: string) => AUTHORITIES.some((authority) => authority.municipality === place && authority.kind !== 'OTHER_ORGANISATION');
    const unserved = REGIONS.flatMap((region) => region.municipalities.filter((place) => !servesPlace(place)));
    expect(unserved).toEqual([]);
  });
});

describe('the routing rules', () => {
  it('name an existing topic and an authority of their own region, in their own municipality when local', () => {
    expect(ROUTING_RULES.filter((rule) => !topicIds.has(rule.topicId))).toEqual([]);
    expect(ROUTING_RULES.filter((rule) => authorityById.get(rule.authorityId)?.regionCode !== rule.regionCode)).toEqual([]);
    expect(
      ROUTING_RULES.filter((rule) => {
        const authority = authorityById.get(rule.authorityId);
        return authority?.municipality && authority.municipality !== rule.municipality;
      }),
    ).toEqual([]);
  });

  it('never give one topic and place two authorities', () => {
    expect(duplicates(ROUTING_RULES.map((rule) => `${rule.topicId} | ${rule.regionCode} | ${rule.municipality}`))).toEqual([]);
  });

  it('leave no authority without appeals', () => {
    const addressed = new Set(ROUTING_RULES.map((rule) => rule.authorityId));
    expect(AUTHORITIES.filter((authority) => !addressed.has(authority.id)).map((authority) => authority.name)).toEqual([]);
  });

  it('route every topic somewhere in every municipality of every region, and without a municipality', () => {
    const unrouted = REGIONS.flatMap((region) =>
      [...region.municipalities, null].flatMap((municipality) =>
        TOPICS.filter((topic) => routeAppeal({ topicId: topic.id, regionCode: region.code, municipality }, ROUTING_RULES, TOPICS) === null).map((topic) => `${region.code} ${municipality ?? '(весь регион)'} ${topic.id}`),
      ),
    );
    expect(unrouted).toEqual([]);
  });

  it('send local matters to the municipality and regional ones to the ministry', () => {
    expect([
      route('yards.lighting', '50', 'городской округ Химки'),
      route('roads.potholes', '50', 'городской округ Балашиха'),
      route('utilities.heating', '16', 'городской округ город Набережные Челны'),
      route('healthcare', '50', 'городской округ Химки'),
      route('roads.repair', '50', 'городской округ Химки'),
      route('social.benefits', '16', 'городской округ город Казань'),
    ]).toEqual([
      'Администрация городского округа Химки',
      'Администрация городского округа Балашиха',
      'Исполнительный комитет муниципального образования города Набережные Челны',
      'Министерство здравоохранения Московской области',
      'Министерство транспорта и дорожной инфраструктуры Московской области',
      'Министерство труда, занятости и социальной защиты Республики Татарстан',
    ]);
  });

  it('send a local matter to the regional body when the appeal names no municipality', () => {
    expect([route('yards.lighting', '50', null), route('yards', '78', null)]).toEqual(['Министерство благоустройства Московской области', 'Комитет по благоустройству Санкт-Петербурга']);
  });

  it('send emergencies to the utility that can fix them, where the region has one', () => {
    expect([
      route('utilities.water', '50', 'Одинцовский городской округ'),
      route('utilities.hot-water', '77', 'район Хамовники'),
      route('utilities.water', '16', 'городской округ город Казань'),
      route('utilities.water', '16', 'Альметьевский муниципальный район'),
    ]).toEqual(['АО «Мособлводоканал»', 'ПАО «МОЭК»', 'МУП «Водоканал» города Казани', 'Исполнительный комитет Альметьевского муниципального района']);
  });

  it("send a city's district matters to the district body in Moscow and Saint Petersburg", () => {
    expect([route('yards.snow', '77', 'Тверской район'), route('education.schools', '78', 'Невский район'), route('education.schools', '77', 'Тверской район')]).toEqual([
      'Управа Тверского района города Москвы',
      'Администрация Невского района Санкт-Петербурга',
      'Департамент образования и науки города Москвы',
    ]);
  });
});
