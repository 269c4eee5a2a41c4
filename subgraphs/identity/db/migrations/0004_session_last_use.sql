ALTER TABLE "identity"."sessions" ADD COLUMN "last_used_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Until now the last refresh was the last use known.
UPDATE "identity"."sessions" SET "last_used_at" = "last_active_at";
