CREATE TABLE "identity"."sends" (
	"recipient" text PRIMARY KEY NOT NULL,
	"sent" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
-- What was sent before this table existed still counts: codes of the last hour, letters of the last 30 days.
INSERT INTO "identity"."sends" ("recipient", "sent")
SELECT "recipient", jsonb_agg(jsonb_build_object('purpose', "purpose"::text, 'at', to_char("created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
FROM "identity"."verification_codes" WHERE "created_at" > now() - interval '1 hour' GROUP BY "recipient"
UNION ALL
SELECT 'letters:' || "account_id", jsonb_agg(jsonb_build_object('purpose', 'LETTER', 'at', to_char("ordered_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
FROM "identity"."confirmation_letters" WHERE "ordered_at" > now() - interval '30 days' GROUP BY "account_id";
