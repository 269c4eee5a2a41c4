CREATE SCHEMA "profile";
--> statement-breakpoint
CREATE TYPE "profile"."document_type" AS ENUM('RUSSIAN_PASSPORT', 'SNILS');--> statement-breakpoint
CREATE TYPE "profile"."sex" AS ENUM('MALE', 'FEMALE');--> statement-breakpoint
CREATE TYPE "profile"."verification_status" AS ENUM('NOT_CHECKED', 'CHECKING', 'CHECKED', 'FAILED');--> statement-breakpoint
CREATE TABLE "profile"."documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" "profile"."document_type" NOT NULL,
	"details" jsonb NOT NULL,
	"verification_status" "profile"."verification_status" DEFAULT 'NOT_CHECKED' NOT NULL,
	"checked_at" timestamp with time zone,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile"."personal_data" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"last_name" text NOT NULL,
	"first_name" text NOT NULL,
	"middle_name" text,
	"sex" "profile"."sex",
	"birth_date" date,
	"birth_place" text,
	"citizenship" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "documents_user_id_index" ON "profile"."documents" USING btree ("user_id");