CREATE TYPE "profile"."account_level" AS ENUM('SIMPLIFIED', 'STANDARD', 'CONFIRMED');--> statement-breakpoint
CREATE TYPE "profile"."data_check_status" AS ENUM('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "profile"."children" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"last_name" text NOT NULL,
	"first_name" text NOT NULL,
	"middle_name" text,
	"sex" "profile"."sex" NOT NULL,
	"birth_date" date NOT NULL,
	"birth_certificate" jsonb,
	"snils" text,
	"oms_policy" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profile"."data_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "profile"."data_check_status" DEFAULT 'RUNNING' NOT NULL,
	"snapshot" jsonb NOT NULL,
	"failure_reason" text,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "profile"."history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" bigserial NOT NULL,
	"user_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"subject_id" uuid,
	"subject_name" text NOT NULL,
	"action" text NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"actor" text NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "history_position_unique" UNIQUE("position")
);
--> statement-breakpoint
CREATE TABLE "profile"."vehicles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"make" text NOT NULL,
	"model" text NOT NULL,
	"registration_plate" text,
	"vin" text,
	"body_number" text,
	"registration_certificate" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "profile"."documents" ALTER COLUMN "type" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "profile"."documents" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "profile"."documents" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "profile"."documents" ALTER COLUMN "updated_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "profile"."documents" ALTER COLUMN "updated_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ALTER COLUMN "updated_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ALTER COLUMN "updated_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ADD COLUMN "registration_address" jsonb;--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ADD COLUMN "actual_address" jsonb;--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ADD COLUMN "verification_status" "profile"."verification_status" DEFAULT 'NOT_CHECKED' NOT NULL;--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ADD COLUMN "account_level" "profile"."account_level" DEFAULT 'SIMPLIFIED' NOT NULL;--> statement-breakpoint
ALTER TABLE "profile"."personal_data" ADD COLUMN "created_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "children_user_id_index" ON "profile"."children" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "data_checks_user_id_started_at_index" ON "profile"."data_checks" USING btree ("user_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "data_checks_running_idx" ON "profile"."data_checks" USING btree ("status") WHERE "profile"."data_checks"."status" = 'RUNNING';--> statement-breakpoint
CREATE INDEX "history_user_id_position_index" ON "profile"."history" USING btree ("user_id","position" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "vehicles_user_id_index" ON "profile"."vehicles" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_one_per_kind" ON "profile"."documents" USING btree ("user_id","type") WHERE "profile"."documents"."type" <> 'FOREIGN_PASSPORT';--> statement-breakpoint
ALTER TABLE "profile"."documents" ADD CONSTRAINT "documents_type_known" CHECK (type in ('RUSSIAN_PASSPORT', 'SNILS', 'INN', 'FOREIGN_PASSPORT', 'DRIVER_LICENCE', 'OMS_POLICY', 'MILITARY_ID', 'BIRTH_CERTIFICATE'));--> statement-breakpoint
DROP TYPE "profile"."document_type";