CREATE TABLE "appeals"."analytics_counts" (
	"region_code" text,
	"registered_on" date NOT NULL,
	"municipality" text,
	"topic_id" text,
	"due_on" date,
	"appeals" integer DEFAULT 0 NOT NULL,
	"answered_late" integer DEFAULT 0 NOT NULL,
	"open_unanswered" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_counts_group_unique" UNIQUE NULLS NOT DISTINCT("region_code","registered_on","municipality","topic_id","due_on")
);
--> statement-breakpoint
DROP INDEX "appeals"."appeals_registered_idx";--> statement-breakpoint
CREATE INDEX "appeals_due_today_idx" ON "appeals"."appeals" USING btree ("due_at","region_code","registered_at","municipality","topic_id") WHERE "appeals"."appeals"."status" in ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED') and "appeals"."appeals"."answered_at" is null;--> statement-breakpoint
-- Written by hand (drizzle-kit does not manage functions or triggers): analytics_counts follows every statement on appeals.
-- The analytics' days are Moscow dates (domain/calendar.ts DEFAULT_TIME_ZONE, as startOfDayIn counts them): the day of a
-- moment, and the moment a day starts.
CREATE FUNCTION "appeals"."analytics_day"("at" timestamptz) RETURNS date LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ("at" AT TIME ZONE 'Europe/Moscow')::date
$$;--> statement-breakpoint
CREATE FUNCTION "appeals"."analytics_day_start"("day" date) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT "day"::timestamp AT TIME ZONE 'Europe/Moscow'
$$;--> statement-breakpoint
-- Open is isOpenSql's list (db/schema.ts, domain/lifecycle.ts OPEN_STATUSES), as in the partial indexes' predicates.
CREATE FUNCTION "appeals"."count_analytics_appeals"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "appeals"."analytics_counts" AS counts ("region_code", "registered_on", "municipality", "topic_id", "due_on", "appeals", "answered_late", "open_unanswered", "rating_sum", "rated")
    SELECT "region_code", appeals.analytics_day("registered_at"), "municipality", "topic_id", appeals.analytics_day("due_at"),
           count(*), count(*) FILTER (WHERE "answered_at" > "due_at"),
           count(*) FILTER (WHERE "answered_at" IS NULL AND "status" IN ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED')),
           coalesce(sum("rating_score"), 0), count("rating_score")
    FROM new_appeals WHERE "registered_at" IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT "analytics_counts_group_unique" DO UPDATE SET "appeals" = counts."appeals" + excluded."appeals",
      "answered_late" = counts."answered_late" + excluded."answered_late", "open_unanswered" = counts."open_unanswered" + excluded."open_unanswered",
      "rating_sum" = counts."rating_sum" + excluded."rating_sum", "rated" = counts."rated" + excluded."rated";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "appeals"."analytics_counts" AS counts ("region_code", "registered_on", "municipality", "topic_id", "due_on", "appeals", "answered_late", "open_unanswered", "rating_sum", "rated")
    SELECT "region_code", appeals.analytics_day("registered_at"), "municipality", "topic_id", appeals.analytics_day("due_at"),
           -count(*), -count(*) FILTER (WHERE "answered_at" > "due_at"),
           -count(*) FILTER (WHERE "answered_at" IS NULL AND "status" IN ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED')),
           -coalesce(sum("rating_score"), 0), -count("rating_score")
    FROM old_appeals WHERE "registered_at" IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT "analytics_counts_group_unique" DO UPDATE SET "appeals" = counts."appeals" + excluded."appeals",
      "answered_late" = counts."answered_late" + excluded."answered_late", "open_unanswered" = counts."open_unanswered" + excluded."open_unanswered",
      "rating_sum" = counts."rating_sum" + excluded."rating_sum", "rated" = counts."rated" + excluded."rated";
  ELSE
    -- Old rows taken out, new ones put in: a status change that answers, closes, rates or moves nothing
    -- cancels out and writes no row, so officials working on appeals of one day and topic do not queue on it.
    INSERT INTO "appeals"."analytics_counts" AS counts ("region_code", "registered_on", "municipality", "topic_id", "due_on", "appeals", "answered_late", "open_unanswered", "rating_sum", "rated")
    SELECT "region_code", appeals.analytics_day("registered_at"), "municipality", "topic_id", appeals.analytics_day("due_at"),
           sum("change"), coalesce(sum("change") FILTER (WHERE "late"), 0), coalesce(sum("change") FILTER (WHERE "open"), 0),
           coalesce(sum("change" * "rating_score"), 0), coalesce(sum("change") FILTER (WHERE "rating_score" IS NOT NULL), 0)
    FROM (
      SELECT "region_code", "registered_at", "municipality", "topic_id", "due_at", "answered_at" > "due_at" AS "late",
             "answered_at" IS NULL AND "status" IN ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED') AS "open", "rating_score", -1 AS "change"
      FROM old_appeals
      UNION ALL
      SELECT "region_code", "registered_at", "municipality", "topic_id", "due_at", "answered_at" > "due_at",
             "answered_at" IS NULL AND "status" IN ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED'), "rating_score", 1
      FROM new_appeals
    ) AS "changed"
    WHERE "registered_at" IS NOT NULL GROUP BY 1, 2, 3, 4, 5
    HAVING sum("change") <> 0 OR sum("change") FILTER (WHERE "late") <> 0 OR sum("change") FILTER (WHERE "open") <> 0
        OR sum("change" * "rating_score") <> 0 OR sum("change") FILTER (WHERE "rating_score" IS NOT NULL) <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT "analytics_counts_group_unique" DO UPDATE SET "appeals" = counts."appeals" + excluded."appeals",
      "answered_late" = counts."answered_late" + excluded."answered_late", "open_unanswered" = counts."open_unanswered" + excluded."open_unanswered",
      "rating_sum" = counts."rating_sum" + excluded."rating_sum", "rated" = counts."rated" + excluded."rated";
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Named after appeals_counted_*, so they fire after them: every writer locks queue_counts, then these rows.
CREATE TRIGGER "appeals_analytics_counted_insert" AFTER INSERT ON "appeals"."appeals" REFERENCING NEW TABLE AS new_appeals FOR EACH STATEMENT EXECUTE FUNCTION "appeals"."count_analytics_appeals"();--> statement-breakpoint
CREATE TRIGGER "appeals_analytics_counted_update" AFTER UPDATE ON "appeals"."appeals" REFERENCING OLD TABLE AS old_appeals NEW TABLE AS new_appeals FOR EACH STATEMENT EXECUTE FUNCTION "appeals"."count_analytics_appeals"();--> statement-breakpoint
CREATE TRIGGER "appeals_analytics_counted_delete" AFTER DELETE ON "appeals"."appeals" REFERENCING OLD TABLE AS old_appeals FOR EACH STATEMENT EXECUTE FUNCTION "appeals"."count_analytics_appeals"();--> statement-breakpoint
LOCK TABLE "appeals"."appeals" IN SHARE MODE;--> statement-breakpoint
INSERT INTO "appeals"."analytics_counts" ("region_code", "registered_on", "municipality", "topic_id", "due_on", "appeals", "answered_late", "open_unanswered", "rating_sum", "rated")
SELECT "region_code", appeals.analytics_day("registered_at"), "municipality", "topic_id", appeals.analytics_day("due_at"),
       count(*), count(*) FILTER (WHERE "answered_at" > "due_at"),
       count(*) FILTER (WHERE "answered_at" IS NULL AND "status" IN ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED')),
       coalesce(sum("rating_score"), 0), count("rating_score")
FROM "appeals"."appeals" WHERE "registered_at" IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
