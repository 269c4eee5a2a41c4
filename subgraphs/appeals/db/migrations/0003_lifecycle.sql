CREATE TYPE "appeals"."appeal_kind" AS ENUM('APPEAL', 'COMPLAINT');--> statement-breakpoint
ALTER TYPE "appeals"."appeal_status" ADD VALUE 'DRAFT';--> statement-breakpoint
CREATE SEQUENCE "appeals"."appeal_number" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "appeals"."calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"working" boolean NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "appeals"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "appeals"."routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"topic_id" text NOT NULL,
	"region_code" text NOT NULL,
	"municipality" text,
	"authority_id" uuid NOT NULL,
	CONSTRAINT "routing_rules_place_unique" UNIQUE NULLS NOT DISTINCT("topic_id","region_code","municipality")
);
--> statement-breakpoint
CREATE TABLE "appeals"."timeline" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"appeal_id" uuid NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"status" "appeals"."appeal_status" NOT NULL,
	"actor" text NOT NULL,
	"actor_id" uuid,
	"authority_id" uuid,
	"comment" text
);
--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ALTER COLUMN "number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ALTER COLUMN "topic_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ALTER COLUMN "authority_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ALTER COLUMN "region_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ALTER COLUMN "due_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."topics" ALTER COLUMN "review_days" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "kind" "appeals"."appeal_kind" DEFAULT 'APPEAL' NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "attachments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "complaint" jsonb;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "registered_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "answer_text" text;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "rating_score" smallint;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "rating_comment" text;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "rated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "reopened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD COLUMN "clarification_question" text;--> statement-breakpoint
ALTER TABLE "appeals"."routing_rules" ADD CONSTRAINT "routing_rules_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "appeals"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals"."routing_rules" ADD CONSTRAINT "routing_rules_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "appeals"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals"."timeline" ADD CONSTRAINT "timeline_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "appeals"."appeals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals"."timeline" ADD CONSTRAINT "timeline_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "appeals"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "appeals"."outbox" USING btree ("position") WHERE "appeals"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "routing_rules_region_code_topic_id_index" ON "appeals"."routing_rules" USING btree ("region_code","topic_id");--> statement-breakpoint
CREATE INDEX "timeline_appeal_id_position_index" ON "appeals"."timeline" USING btree ("appeal_id","position");--> statement-breakpoint
CREATE INDEX "appeals_registered_idx" ON "appeals"."appeals" USING btree ("registered_at","region_code");