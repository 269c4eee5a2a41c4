/**
 * Routing (маршрутизация): which authority receives an appeal, by its topic and place, and why. Rules
 * come from reference data (reference-data.ts) or the `routing_rules` table; an official can still
 * redirect an appeal afterwards, so a rule only needs to name the usual addressee.
 */

export interface RoutingRule {
  topicId: string;
  /** The region's code: `50`, `77`, `78`, `16`. */
  regionCode: string;
  /** One municipality of the region, named as in the reference data; null for the whole region. */
  municipality: string | null;
  authorityId: string;
}

export interface Place {
  topicId: string;
  regionCode: string;
  municipality?: string | null;
}

/**
 * Why a rule chose the authority: the topic's rule for the appeal's municipality; its rule for the
 * whole region, where the topic has no municipal rules; or its rule for the whole region as the
 * fallback of a topic that goes to the municipalities, for an appeal naming none or one without a rule.
 */
export const RULE_REASONS = ['MUNICIPALITY_RULE', 'REGION_RULE', 'REGION_FALLBACK'] as const;
export type RuleReason = (typeof RULE_REASONS)[number];

/** Why an appeal is where it is: a rule, or an official's redirection. */
export type RoutingReason = RuleReason | 'REDIRECTED';

export interface Routing {
  authorityId: string;
  reason: RuleReason;
  /** The topic whose rule it is: the appeal's own, or the nearest broader one with a rule. */
  ruleTopicId: string;
}

/**
 * The authority for an appeal and the rule that chose it, or null when no rule covers it (the caller
 * refuses the appeal). The most specific rule wins: the topic's own rule before its parent's, and
 * for each topic a rule for the municipality before the one for the whole region. So a subtopic with
 * a rule of its own (cold water to the water utility) keeps it even where its parent goes to the
 * municipality, and a subtopic without one follows its parent. submitAppeal and
 * previewAppealRouting both route by this function (domain/appeals.ts `routeAppealPlace`).
 */
export function routeAppeal(place: Place, rules: readonly RoutingRule[], topics: readonly { id: string; parentId: string | null }[]): Routing | null {
  const parentOf = new Map(topics.map((topic) => [topic.id, topic.parentId]));
  const inRegion = rules.filter((rule) => rule.regionCode === place.regionCode);
  const seen = new Set<string>();
  for (let topicId: string | null | undefined = place.topicId; topicId && parentOf.has(topicId) && !seen.has(topicId); topicId = parentOf.get(topicId)) {
    seen.add(topicId); // a loop in edited data must not hang a request
    const forTopic = inRegion.filter((rule) => rule.topicId === topicId);
    const municipal = place.municipality ? forTopic.find((candidate) => candidate.municipality === place.municipality) : undefined;
    if (municipal) return { authorityId: municipal.authorityId, reason: 'MUNICIPALITY_RULE', ruleTopicId: topicId };
    const regionWide = forTopic.find((candidate) => candidate.municipality === null);
    if (regionWide) {
      const reason = forTopic.some((candidate) => candidate.municipality !== null) ? 'REGION_FALLBACK' : 'REGION_RULE';
      return { authorityId: regionWide.authorityId, reason, ruleTopicId: topicId };
    }
  }
  return null;
}

export interface Reassignment {
  at: Date;
  /** The authority that had the appeal and redirected it. */
  fromAuthorityId: string | null;
  /** The official's words to the citizen. */
  comment: string | null;
}

/** Where an appeal goes and why (`AppealRouting`), with the place its explanation names. */
export interface AppealRouting {
  authorityId: string;
  reason: RoutingReason;
  /** The topic whose rule chose the authority; null after a redirection. */
  ruleTopicId: string | null;
  place: { topicId: string; regionCode: string; municipality: string | null };
  /** Registered (направлено), or a draft or a preview (будет направлено). */
  sent: boolean;
  reassignment: Reassignment | null;
}

/** The latest redirection in an appeal's timeline (oldest entry first), with the authority that had the appeal before it. */
export function lastRedirection(timeline: readonly { action: string; at: Date; authorityId: string | null; comment: string | null }[]): Reassignment | null {
  const index = timeline.findLastIndex((entry) => entry.action === 'REDIRECTED');
  if (index < 0) return null;
  const entry = timeline[index]!;
  return { at: entry.at, fromAuthorityId: timeline[index - 1]?.authorityId ?? null, comment: entry.comment };
}

/** Where an appeal not sent yet would go: a preview of the form, or a draft. */
export const routingBeforeSending = (routing: Routing, place: AppealRouting['place']): AppealRouting => ({ ...routing, place, sent: false, reassignment: null });

/** Where a draft would go if sent now, by the rules as they are; null when they cannot route it yet. */
export function draftRouting(
  draft: { topicId: string | null; regionCode: string | null; municipality: string | null },
  rules: readonly RoutingRule[],
  topics: readonly { id: string; parentId: string | null }[],
): AppealRouting | null {
  if (!draft.topicId || !draft.regionCode) return null;
  const place = { topicId: draft.topicId, regionCode: draft.regionCode, municipality: draft.municipality };
  const routing = routeAppeal(place, rules, topics);
  return routing && routingBeforeSending(routing, place);
}

/**
 * Where a sent appeal is and why: its latest redirection, or the rule kept when it was sent. Null
 * for an appeal sent before the rule was kept and never redirected: today's rules may differ.
 */
export function sentRouting(
  appeal: { authorityId: string | null; topicId: string | null; regionCode: string | null; municipality: string | null; routingReason: RuleReason | null; routingTopicId: string | null },
  timeline: Parameters<typeof lastRedirection>[0],
): AppealRouting | null {
  if (!appeal.authorityId || !appeal.topicId || !appeal.regionCode) return null;
  const base = { authorityId: appeal.authorityId, place: { topicId: appeal.topicId, regionCode: appeal.regionCode, municipality: appeal.municipality }, sent: true };
  const reassignment = lastRedirection(timeline);
  if (reassignment) return { ...base, reason: 'REDIRECTED', ruleTopicId: null, reassignment };
  return appeal.routingReason ? { ...base, reason: appeal.routingReason, ruleTopicId: appeal.routingTopicId, reassignment: null } : null;
}

/** What a person reads about an appeal's routing (`AppealRouting.explanation`), names already looked up. */
export interface RoutingStory {
  reason: RoutingReason;
  /** Registered (направлено), or a draft or a preview (будет направлено). */
  sent: boolean;
  authorityName: string;
  topicName: string;
  /** The topic whose rule chose the authority, when it is not the appeal's own. */
  ruleTopicName: string | null;
  regionName: string;
  municipality: string | null;
  /** For a redirection: the authority that had the appeal, and the official's words. */
  fromAuthorityName?: string | null;
  comment?: string | null;
}

/** A sentence or two in Russian on where the appeal goes and why; names stay in the nominative, after a colon or in quotes. */
export function explainRouting(story: RoutingStory): string {
  const to = `${story.sent ? 'Обращение направлено' : 'Обращение будет направлено'}: ${story.authorityName}.`;
  const topic = story.ruleTopicName ? `«${story.ruleTopicName}» (к ней относится «${story.topicName}»)` : `«${story.topicName}»`;
  const region = `«${story.regionName}»`;
  switch (story.reason) {
    case 'MUNICIPALITY_RULE':
      return `${to} По правилам платформы обращения на тему ${topic} в муниципальном образовании «${story.municipality}» рассматривает это ведомство.`;
    case 'REGION_RULE':
      return `${to} По правилам платформы обращения на тему ${topic} во всём регионе ${region} рассматривает это ведомство.`;
    case 'REGION_FALLBACK':
      return story.municipality
        ? `${to} Для муниципального образования «${story.municipality}» на платформе нет своего ведомства по теме ${topic}, поэтому обращение рассматривает ведомство, отвечающее за эту тему во всём регионе ${region}; при необходимости оно перенаправит обращение по компетенции.`
        : `${to} Муниципальное образование не указано, поэтому обращение рассматривает ведомство, отвечающее за тему ${topic} во всём регионе ${region}.${story.sent ? '' : ' Укажите муниципальное образование, чтобы обращение сразу попало в местное ведомство.'}`;
    case 'REDIRECTED': {
      // The official's period goes after the closing quote, as Russian puts it.
      const words = story.comment?.trim().replace(/\.$/, '');
      const from = story.fromAuthorityName ? `ведомство, рассматривавшее его раньше (${story.fromAuthorityName})` : 'прежнее ведомство';
      return `Обращение перенаправлено по компетенции: ${story.authorityName}. Его передало ${from}${words ? `, с объяснением: «${words}»` : ''}.`;
    }
  }
}
