import { describe, expect, it } from 'vitest';
import { routeAppeal, type RoutingRule } from './routing.ts';

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

const route = (topicId: string, municipality: string | null, regionCode = '50') => routeAppeal({ topicId, regionCode, municipality }, rules, topics);

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
});
