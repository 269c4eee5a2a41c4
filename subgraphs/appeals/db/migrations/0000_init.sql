CREATE SCHEMA "appeals";
--> statement-breakpoint
CREATE TYPE "appeals"."appeal_status" AS ENUM('REGISTERED', 'IN_WORK', 'CLARIFICATION_REQUESTED', 'REDIRECTED', 'ANSWERED', 'REJECTED', 'CLOSED');--> statement-breakpoint
CREATE TYPE "appeals"."authority_kind" AS ENUM('REGIONAL_EXECUTIVE', 'LOCAL_SELF_GOVERNMENT', 'OTHER_ORGANISATION');--> statement-breakpoint
CREATE TABLE "appeals"."appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"author_id" uuid NOT NULL,
	"topic_id" text NOT NULL,
	"authority_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"municipality" text,
	"address" text,
	"text" text NOT NULL,
	"status" "appeals"."appeal_status" DEFAULT 'REGISTERED' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "appeals_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "appeals"."authorities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "appeals"."authority_kind" NOT NULL,
	"region_code" text NOT NULL,
	"municipality" text
);
--> statement-breakpoint
CREATE TABLE "appeals"."officials" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"authority_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appeals"."topics" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_id" text,
	"review_days" integer NOT NULL,
	"accelerated" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD CONSTRAINT "appeals_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "appeals"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals"."appeals" ADD CONSTRAINT "appeals_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "appeals"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals"."officials" ADD CONSTRAINT "officials_authority_id_authorities_id_fk" FOREIGN KEY ("authority_id") REFERENCES "appeals"."authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals"."topics" ADD CONSTRAINT "topics_parent_id_topics_id_fk" FOREIGN KEY ("parent_id") REFERENCES "appeals"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appeals_author_id_created_at_index" ON "appeals"."appeals" USING btree ("author_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "appeals_queue_idx" ON "appeals"."appeals" USING btree ("authority_id","due_at","id");