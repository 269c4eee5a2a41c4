DROP INDEX "profile"."data_checks_user_id_started_at_index";--> statement-breakpoint
DROP INDEX "profile"."history_user_id_position_index";--> statement-breakpoint
CREATE INDEX "data_checks_user_id_started_at_index" ON "profile"."data_checks" USING btree ("user_id","started_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "history_user_id_position_index" ON "profile"."history" USING btree ("user_id","position" DESC NULLS FIRST);