CREATE TABLE "appeals"."queue_counts" (
	"authority_id" uuid NOT NULL,
	"status" "appeals"."appeal_status" NOT NULL,
	"appeals" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "queue_counts_authority_id_status_pk" PRIMARY KEY("authority_id","status")
);
--> statement-breakpoint
DROP INDEX "appeals"."appeals_registered_idx";--> statement-breakpoint
CREATE INDEX "appeals_open_queue_idx" ON "appeals"."appeals" USING btree ("authority_id","due_at","id") WHERE "appeals"."appeals"."status" in ('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED');--> statement-breakpoint
CREATE INDEX "appeals_registered_idx" ON "appeals"."appeals" USING btree ("registered_at","region_code","municipality","topic_id","status","due_at","answered_at","rating_score");--> statement-breakpoint
-- Written by hand (drizzle-kit does not manage triggers): queue_counts follows every statement on appeals.
CREATE FUNCTION "appeals"."count_queue_appeals"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "appeals"."queue_counts" AS counts ("authority_id", "status", "appeals")
    SELECT "authority_id", "status", -count(*) FROM old_appeals WHERE "authority_id" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("authority_id", "status") DO UPDATE SET "appeals" = counts."appeals" + excluded."appeals";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "appeals"."queue_counts" AS counts ("authority_id", "status", "appeals")
    SELECT "authority_id", "status", count(*) FROM new_appeals WHERE "authority_id" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("authority_id", "status") DO UPDATE SET "appeals" = counts."appeals" + excluded."appeals";
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "appeals_counted_insert" AFTER INSERT ON "appeals"."appeals" REFERENCING NEW TABLE AS new_appeals FOR EACH STATEMENT EXECUTE FUNCTION "appeals"."count_queue_appeals"();--> statement-breakpoint
CREATE TRIGGER "appeals_counted_update" AFTER UPDATE ON "appeals"."appeals" REFERENCING OLD TABLE AS old_appeals NEW TABLE AS new_appeals FOR EACH STATEMENT EXECUTE FUNCTION "appeals"."count_queue_appeals"();--> statement-breakpoint
CREATE TRIGGER "appeals_counted_delete" AFTER DELETE ON "appeals"."appeals" REFERENCING OLD TABLE AS old_appeals FOR EACH STATEMENT EXECUTE FUNCTION "appeals"."count_queue_appeals"();--> statement-breakpoint
LOCK TABLE "appeals"."appeals" IN SHARE MODE;--> statement-breakpoint
INSERT INTO "appeals"."queue_counts" ("authority_id", "status", "appeals")
SELECT "authority_id", "status", count(*) FROM "appeals"."appeals" WHERE "authority_id" IS NOT NULL GROUP BY 1, 2;
