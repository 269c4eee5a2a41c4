/**
 * Routing (маршрутизация): which authority receives an appeal, by its topic and place. Rules come
 * from reference data (reference-data.ts) or the `routing_rules` table; an official can still
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
 * The authority for an appeal, or null when no rule covers it (the caller refuses the appeal).
 * The most specific rule wins: the topic's own rule before its parent's, and for each topic a rule
 * for the municipality before the one for the whole region. So a subtopic with a rule of its own
 * (cold water to the water utility) keeps it even where its parent goes to the municipality, and a
 * subtopic without one follows its parent.
 */
export function routeAppeal(place: Place, rules: readonly RoutingRule[], topics: readonly { id: string; parentId: string | null }[]): string | null {
  const parentOf = new Map(topics.map((topic) => [topic.id, topic.parentId]));
  const inRegion = rules.filter((rule) => rule.regionCode === place.regionCode);
  const seen = new Set<string>();
  for (let topicId: string | null | undefined = place.topicId; topicId && parentOf.has(topicId) && !seen.has(topicId); topicId = parentOf.get(topicId)) {
    seen.add(topicId); // a loop in edited data must not hang a request
    const forTopic = inRegion.filter((rule) => rule.topicId === topicId);
    const rule =
      (place.municipality ? forTopic.find((candidate) => candidate.municipality === place.municipality) : undefined) ??
      forTopic.find((candidate) => candidate.municipality === null);
    if (rule) return rule.authorityId;
  }
  return null;
}
