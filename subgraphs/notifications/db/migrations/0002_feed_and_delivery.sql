CREATE TYPE "notifications"."channel" AS ENUM('EMAIL', 'SMS', 'PUSH');--> statement-breakpoint
CREATE TYPE "notifications"."delivery_status" AS ENUM('PENDING', 'SCHEDULED', 'SENT', 'FAILED');--> statement-breakpoint
CREATE TYPE "notifications"."kind" AS ENUM('SERVICE_STAGES', 'PORTAL_CHANGES', 'DEBTS_AND_FINES', 'SECURITY', 'OTHER');--> statement-breakpoint
CREATE TYPE "notifications"."push_platform" AS ENUM('ANDROID', 'IOS');--> statement-breakpoint
CREATE TABLE "notifications"."contacts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"phone" text,
	"email" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications"."deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"channel" "notifications"."channel" NOT NULL,
	"status" "notifications"."delivery_status" DEFAULT 'PENDING' NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_item_channel_unique" UNIQUE("item_id","channel")
);
--> statement-breakpoint
CREATE TABLE "notifications"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "notifications"."preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"channels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window_starts_at" text,
	"window_ends_at" text,
	"time_zone" text DEFAULT 'Europe/Moscow' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications"."push_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token" text NOT NULL,
	"platform" "notifications"."push_platform" NOT NULL,
	"name" text,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "push_devices_token_unique" UNIQUE("token")
);
--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "kind" "notifications"."kind" DEFAULT 'OTHER' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "amount" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "stage" text;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "link" text;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (to_tsvector('russian', title || ' ' || body)) STORED;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications"."deliveries" ADD CONSTRAINT "deliveries_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "notifications"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_item_id_index" ON "notifications"."deliveries" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "notifications"."deliveries" USING btree ("due_at") WHERE "notifications"."deliveries"."status" in ('PENDING', 'SCHEDULED');--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "notifications"."outbox" USING btree ("position") WHERE "notifications"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "push_devices_user_id_index" ON "notifications"."push_devices" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "items_search_idx" ON "notifications"."items" USING gin ("search");--> statement-breakpoint
CREATE INDEX "items_unread_idx" ON "notifications"."items" USING btree ("user_id","category") WHERE "notifications"."items"."read_at" is null and "notifications"."items"."archived_at" is null;--> statement-breakpoint
ALTER TABLE "notifications"."items" ADD CONSTRAINT "items_source_unique" UNIQUE("source","source_id");