-- GIN over (user_id, search) needs btree_gin's operator classes for uuid (a trusted extension shipped with PostgreSQL).
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA "notifications";--> statement-breakpoint
CREATE TABLE "notifications"."feed_counts" (
	"user_id" uuid NOT NULL,
	"category" "notifications"."category" NOT NULL,
	"items" integer DEFAULT 0 NOT NULL,
	"unread" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "feed_counts_user_id_category_pk" PRIMARY KEY("user_id","category")
);
--> statement-breakpoint
DROP INDEX "notifications"."items_feed_idx";--> statement-breakpoint
DROP INDEX "notifications"."items_search_idx";--> statement-breakpoint
CREATE INDEX "items_category_idx" ON "notifications"."items" USING btree ("user_id","category","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "notifications"."items"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "items_archive_idx" ON "notifications"."items" USING btree ("user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "notifications"."items"."archived_at" is not null;--> statement-breakpoint
CREATE INDEX "items_feed_idx" ON "notifications"."items" USING btree ("user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "notifications"."items"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "items_search_idx" ON "notifications"."items" USING gin ("user_id","search");--> statement-breakpoint
-- Written by hand (drizzle-kit does not manage triggers): feed_counts follows every statement on items.
CREATE FUNCTION "notifications"."count_feed_items"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "notifications"."feed_counts" AS counts ("user_id", "category", "items", "unread")
    SELECT "user_id", "category", -count(*), -count(*) FILTER (WHERE "read_at" IS NULL)
    FROM old_items WHERE "archived_at" IS NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("user_id", "category") DO UPDATE SET "items" = counts."items" + excluded."items", "unread" = counts."unread" + excluded."unread";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "notifications"."feed_counts" AS counts ("user_id", "category", "items", "unread")
    SELECT "user_id", "category", count(*), count(*) FILTER (WHERE "read_at" IS NULL)
    FROM new_items WHERE "archived_at" IS NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("user_id", "category") DO UPDATE SET "items" = counts."items" + excluded."items", "unread" = counts."unread" + excluded."unread";
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "items_counted_insert" AFTER INSERT ON "notifications"."items" REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION "notifications"."count_feed_items"();--> statement-breakpoint
CREATE TRIGGER "items_counted_update" AFTER UPDATE ON "notifications"."items" REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION "notifications"."count_feed_items"();--> statement-breakpoint
CREATE TRIGGER "items_counted_delete" AFTER DELETE ON "notifications"."items" REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION "notifications"."count_feed_items"();--> statement-breakpoint
LOCK TABLE "notifications"."items" IN SHARE MODE;--> statement-breakpoint
INSERT INTO "notifications"."feed_counts" ("user_id", "category", "items", "unread")
SELECT "user_id", "category", count(*), count(*) FILTER (WHERE "read_at" IS NULL) FROM "notifications"."items" WHERE "archived_at" IS NULL GROUP BY 1, 2;
