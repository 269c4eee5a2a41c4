-- The rule that chose each appeal's authority, kept when it is sent (domain/routing.ts); appeals sent
-- before stay null: the rules may have changed since, so they are not guessed now.
CREATE TYPE "appeals"."routing_reason" AS ENUM('MUNICIPALITY_RULE', 'REGION_RULE', 'REGION_FALLBACK');--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "routing_reason" "appeals"."routing_reason";--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "routing_topic_id" text;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD CONSTRAINT "appeals_routing_topic_id_topics_id_fk" FOREIGN KEY ("routing_topic_id") REFERENCES "appeals"."topics"("id") ON DELETE no action ON UPDATE no action;