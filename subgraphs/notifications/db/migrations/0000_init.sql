CREATE SCHEMA "notifications";
--> statement-breakpoint
CREATE TYPE "notifications"."category" AS ENUM('PAYMENT', 'APPLICATION', 'DRAFT', 'APPOINTMENT', 'GOVERNMENT_MAIL', 'SUPPORT', 'ACCOUNT', 'APPEAL');--> statement-breakpoint
CREATE TABLE "notifications"."items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"category" "notifications"."category" NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"appeal_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "items_feed_idx" ON "notifications"."items" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);