CREATE TYPE "identity"."auth_method" AS ENUM('PASSWORD', 'PASSWORD_AND_SMS', 'PIN');--> statement-breakpoint
CREATE TYPE "identity"."code_channel" AS ENUM('SMS', 'EMAIL');--> statement-breakpoint
CREATE TYPE "identity"."code_purpose" AS ENUM('REGISTRATION', 'TWO_STEP_LOGIN', 'PASSWORD_RECOVERY', 'CONTACT_CHANGE');--> statement-breakpoint
CREATE TYPE "identity"."confirmation_method" AS ENUM('IN_PERSON', 'POSTAL_CODE', 'ELECTRONIC_SIGNATURE', 'BANK');--> statement-breakpoint
CREATE TABLE "identity"."confirmation_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"postal_address" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts_left" integer NOT NULL,
	"ordered_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expected_delivery_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "identity"."inbox" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "identity"."login_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "identity"."mobile_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"device_id" text NOT NULL,
	"device_name" text,
	"pin_hash" text NOT NULL,
	"wrong_pin_attempts" integer DEFAULT 0 NOT NULL,
	"pin_changes" timestamp with time zone[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mobile_devices_deviceId_unique" UNIQUE("device_id")
);
--> statement-breakpoint
CREATE TABLE "identity"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "identity"."security_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"client_address" text,
	"user_agent" text,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"auth_method" "identity"."auth_method" NOT NULL,
	"device_name" text,
	"user_agent" text,
	"client_address" text,
	"refresh_generation" integer DEFAULT 0 NOT NULL,
	"refresh_token_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_active_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text
);
--> statement-breakpoint
CREATE TABLE "identity"."signature_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"challenge" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "identity"."verification_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" "identity"."code_purpose" NOT NULL,
	"channel" "identity"."code_channel" NOT NULL,
	"recipient" text NOT NULL,
	"account_id" uuid,
	"code_hash" text NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts_left" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "identity"."accounts" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "identity"."accounts" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "identity"."accounts" ADD COLUMN "phone_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "identity"."accounts" ADD COLUMN "email_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "identity"."accounts" ADD COLUMN "password_change_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "identity"."accounts" ADD COLUMN "two_step_login" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "identity"."accounts" ADD COLUMN "confirmation_method" "identity"."confirmation_method";--> statement-breakpoint
ALTER TABLE "identity"."accounts" ADD COLUMN "checked_passport_digest" text;--> statement-breakpoint
ALTER TABLE "identity"."confirmation_letters" ADD CONSTRAINT "confirmation_letters_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "identity"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."mobile_devices" ADD CONSTRAINT "mobile_devices_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "identity"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."security_events" ADD CONSTRAINT "security_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "identity"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."sessions" ADD CONSTRAINT "sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "identity"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."signature_challenges" ADD CONSTRAINT "signature_challenges_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "identity"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."verification_codes" ADD CONSTRAINT "verification_codes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "identity"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mobile_devices_account_id_index" ON "identity"."mobile_devices" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "identity"."outbox" USING btree ("position") WHERE "identity"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "security_events_account_id_occurred_at_index" ON "identity"."security_events" USING btree ("account_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sessions_account_id_index" ON "identity"."sessions" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "verification_codes_recipient_created_at_index" ON "identity"."verification_codes" USING btree ("recipient","created_at");