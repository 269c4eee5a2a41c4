-- The sequence moves past every number given already (so none is given twice, whatever rows exist)
-- and past the demo data's numbers below 1000, before its minimum is raised to 1000.
SELECT setval('"appeals"."appeal_number"', greatest(
  1000,
  (SELECT coalesce(max(substring("number" from '-(\d{1,18})$')::bigint), 0) + 1 FROM "appeals"."appeals"),
  (SELECT last_value + (CASE WHEN is_called THEN 1 ELSE 0 END) FROM "appeals"."appeal_number")
), false);--> statement-breakpoint
ALTER SEQUENCE "appeals"."appeal_number" INCREMENT BY 1 MINVALUE 1000 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1;
