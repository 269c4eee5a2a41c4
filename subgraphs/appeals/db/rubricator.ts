import { asc, eq, inArray } from 'drizzle-orm';
import { routingRules, topics, type TopicRow } from './schema.ts';
import type { Db } from './store.ts';

/** The rubricator of topics and the routing rules that send each topic of a place to an authority. */

export function allTopics(db: Db) {
  return db.select().from(topics).orderBy(asc(topics.id));
}

export function topicsByIds(db: Db, ids: readonly string[]) {
  return db
    .select()
    .from(topics)
    .where(inArray(topics.id, [...ids]));
}

export async function topicById(db: Db, id: string): Promise<TopicRow | null> {
  const [topic] = await db.select().from(topics).where(eq(topics.id, id));
  return topic ?? null;
}

export function allRoutingRules(db: Db) {
  return db.select().from(routingRules);
}
