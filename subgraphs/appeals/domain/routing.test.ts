import { describe, expect, it } from 'vitest';
import { explainRouting, lastRedirection, routeAppeal, type RoutingRule } from './routing.ts';

const topics = [
  { id: 'yards', parentId: null },
  { id: 'yards.lighting', parentId: 'yards' },
  { id: 'yards.snow', parentId: 'yards' },
  { id: 'utilities', parentId: null },
  { id: 'utilities.water', parentId: 'utilities' },
  { id: 'healthcare', parentId: null },
];

const rule = (topicId: string, municipality: string | null, authorityId: string, regionCode = '50'): RoutingRule => ({ topicId, regionCode, municipality, authorityId });

const rules = [
  rule('yards', null, 'ministry-of-landscaping'),
  rule('yards', 'Химки', 'khimki'),
  rule('yards', 'Балашиха', 'balashikha'),
  rule('yards.snow', 'Химки', 'khimki-snow-service'),
  rule('utilities', null, 'ministry-of-housing'),
  rule('utilities', 'Химки', 'khimki'),
  rule('utilities.water', null, 'water-utility'),
  rule('healthcare', null, 'ministry-of-health'),
  rule('yards', 'Казань', 'kazan', '16'),
];

const routing = (topicId: string, municipality: string | null, regionCode = '50') => routeAppeal({ topicId, regionCode, municipality }, rules, topics);
const route = (topicId: string, municipality: string | null, regionCode = '50') => routing(topicId, municipality, regionCode)?.authorityId ?? null;

describe('routeAppeal', () => {
  it("sends a local topic to the municipality's administration", () => {
    expect([route('yards', 'Химки'), route('yards', 'Балашиха')]).toEqual(['khimki', 'balashikha']);
  });

  it('sends a regional topic to the regional body, whatever the municipality', () => {
    expect([route('healthcare', 'Химки'), route('healthcare', null)]).toEqual(['ministry-of-health', 'ministry-of-health']);
  });

  it('falls back to the region-wide rule without a municipality, or for one that has no rule', () => {
    expect([route('yards', null), route('yards', 'Подольск')]).toEqual(['ministry-of-landscaping', 'ministry-of-landscaping']);
  });

  it("lets a subtopic without a rule of its own follow its parent's", () => {
    expect([route('yards.lighting', 'Химки'), route('yards.lighting', null)]).toEqual(['khimki', 'ministry-of-landscaping']);
  });

  it("keeps a subtopic's own rule, even a region-wide one over its parent's municipal rule", () => {
    expect([route('yards.snow', 'Химки'), route('utilities.water', 'Химки'), route('utilities', 'Химки')]).toEqual(['khimki-snow-service', 'water-utility', 'khimki']);
  });

  it("follows the parent where the subtopic's own rules are for other municipalities", () => {
    expect(route('yards.snow', 'Балашиха')).toBe('balashikha');
  });

  it('looks only at the rules of the region', () => {
    expect([route('yards', 'Казань', '16'), route('healthcare', 'Казань', '16')]).toEqual(['kazan', null]);
  });

  it('gives null for a topic it does not know or a region without rules', () => {
    expect([route('parking', 'Химки'), route('yards', null, '99')]).toEqual([null, null]);
  });

  it('stops on a loop in the topic tree instead of hanging', () => {
    const looped = [
      { id: 'a', parentId: 'b' },
      { id: 'b', parentId: 'a' },
    ];
    expect(routeAppeal({ topicId: 'a', regionCode: '50', municipality: null }, rules, looped)).toBeNull();
  });

  it("says which rule chose: the municipality's, the region's for a regional topic, or the region's as the fallback of a municipal one", () => {
    expect(routing('yards', 'Химки')).toEqual({ authorityId: 'khimki', reason: 'MUNICIPALITY_RULE', ruleTopicId: 'yards' });
    expect(routing('healthcare', 'Химки')).toEqual({ authorityId: 'ministry-of-health', reason: 'REGION_RULE', ruleTopicId: 'healthcare' });
    expect([routing('yards', 'Подольск'), routing('yards', null)]).toEqual([
      { authorityId: 'ministry-of-landscaping', reason: 'REGION_FALLBACK', ruleTopicId: 'yards' },
      { authorityId: 'ministry-of-landscaping', reason: 'REGION_FALLBACK', ruleTopicId: 'yards' },
    ]);
  });

  it("names the parent's rule for a subtopic that follows it, and the subtopic's own where it has one", () => {
    expect(routing('yards.lighting', 'Балашиха')).toEqual({ authorityId: 'balashikha', reason: 'MUNICIPALITY_RULE', ruleTopicId: 'yards' });
    expect(routing('utilities.water', 'Химки')).toEqual({ authorityId: 'water-utility', reason: 'REGION_RULE', ruleTopicId: 'utilities.water' });
  });
});

describe('lastRedirection', () => {
  const entry = (action: string, authorityId: string, comment: string | null = null, day = 1) => ({ action, at: new Date(Date.UTC(2026, 10, day)), authorityId, comment });

  it('finds the latest redirection and the authority that had the appeal before it', () => {
    const timeline = [entry('SUBMITTED', 'khimki'), entry('REDIRECTED', 'ministry', 'Дорога региональная.', 2), entry('TAKEN_INTO_WORK', 'ministry'), entry('REDIRECTED', 'water-utility', 'Это водопровод.', 4)];
    expect(lastRedirection(timeline)).toEqual({ at: new Date(Date.UTC(2026, 10, 4)), fromAuthorityId: 'ministry', comment: 'Это водопровод.' });
    expect(lastRedirection(timeline.slice(0, 1))).toBeNull();
  });
});

describe('explainRouting', () => {
  const story = { sent: false, authorityName: 'Администрация городского округа Химки', topicName: 'Освещение', ruleTopicName: null, regionName: 'Московская область', municipality: 'городской округ Химки' };

  it('tells a draft where it will go and a sent appeal where it went, naming the rule', () => {
    expect(explainRouting({ ...story, reason: 'MUNICIPALITY_RULE' })).toBe(
      'Обращение будет направлено: Администрация городского округа Химки. По правилам платформы обращения на тему «Освещение» в муниципальном образовании «городской округ Химки» рассматривает это ведомство.',
    );
    expect(explainRouting({ ...story, sent: true, reason: 'REGION_RULE', ruleTopicName: 'Дворы' })).toBe(
      'Обращение направлено: Администрация городского округа Химки. По правилам платформы обращения на тему «Дворы» (к ней относится «Освещение») во всём регионе «Московская область» рассматривает это ведомство.',
    );
  });

  it('asks for the municipality only before sending, when its absence sent the appeal to the region', () => {
    expect(explainRouting({ ...story, municipality: null, reason: 'REGION_FALLBACK' })).toMatch(/Муниципальное образование не указано.*Укажите муниципальное образование/);
    expect(explainRouting({ ...story, municipality: null, sent: true, reason: 'REGION_FALLBACK' })).not.toMatch(/Укажите/);
  });

  it("gives a redirection with the official's words", () => {
    expect(explainRouting({ ...story, sent: true, reason: 'REDIRECTED', fromAuthorityName: 'Министерство благоустройства', comment: 'Фонари во дворе содержит администрация.' })).toBe(
      'Обращение перенаправлено по компетенции: Администрация городского округа Химки. Его передало ведомство, рассматривавшее его раньше (Министерство благоустройства), с объяснением: «Фонари во дворе содержит администрация».',
    );
  });
});
