CREATE SCHEMA "identity";
--> statement-breakpoint
CREATE TYPE "identity"."account_level" AS ENUM('SIMPLIFIED', 'STANDARD', 'CONFIRMED');--> statement-breakpoint
CREATE TYPE "identity"."role" AS ENUM('OPERATOR', 'OFFICIAL', 'COORDINATOR');--> statement-breakpoint
CREATE TABLE "identity"."accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text,
	"email" text,
	"snils" text,
	"password_hash" text NOT NULL,
	"level" "identity"."account_level" DEFAULT 'SIMPLIFIED' NOT NULL,
	"roles" "identity"."role"[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_phone_unique" UNIQUE("phone"),
	CONSTRAINT "accounts_email_unique" UNIQUE("email"),
	CONSTRAINT "accounts_snils_unique" UNIQUE("snils")
);
--> statement-breakpoint
CREATE TABLE "identity"."signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwk" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
