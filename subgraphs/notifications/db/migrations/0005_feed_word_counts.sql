CREATE TABLE "notifications"."feed_word_counts" (
	"user_id" uuid NOT NULL,
	"word" text NOT NULL,
	"category" "notifications"."category" NOT NULL,
	"items" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "feed_word_counts_user_id_word_category_pk" PRIMARY KEY("user_id","word","category")
);
--> statement-breakpoint
-- Written by hand (drizzle-kit does not manage functions or triggers): feed_word_counts follows every statement on items.
-- The words of an item feed_word_counts keeps: its lexemes but numbers (a payment's, a document's: one item each, mostly).
CREATE FUNCTION "notifications"."counted_words"("search" tsvector) RETURNS SETOF text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT "word" FROM unnest(tsvector_to_array("search")) AS "word" WHERE "word" !~ '^[-+]?[0-9][0-9.,]*$'
$$;--> statement-breakpoint
-- The word of a query of one lexeme (no operator, weight or prefix), if feed_word_counts keeps it; else null.
-- A tsquery's text quotes its lexeme and doubles the quotes and backslashes in it.
CREATE FUNCTION "notifications"."counted_word"("query" tsquery) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT "word" FROM (
    SELECT replace(replace(substr("text", 2, length("text") - 2), '''''', ''''), '\\', '\') AS "lexeme"
    FROM (SELECT "query"::text AS "text") AS "quoted"
    WHERE numnode("query") = 1 AND "text" LIKE '''%''' AND length("text") > 2
  ) AS "one", notifications.counted_words(array_to_tsvector(ARRAY["lexeme"])) AS "word"
$$;--> statement-breakpoint
CREATE FUNCTION "notifications"."count_feed_words"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "notifications"."feed_word_counts" AS counts ("user_id", "word", "category", "items")
    SELECT "user_id", "word", "category", count(*) FROM new_items, notifications.counted_words("search") AS "word"
    WHERE "archived_at" IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("user_id", "word", "category") DO UPDATE SET "items" = counts."items" + excluded."items";
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "notifications"."feed_word_counts" AS counts ("user_id", "word", "category", "items")
    SELECT "user_id", "word", "category", -count(*) FROM old_items, notifications.counted_words("search") AS "word"
    WHERE "archived_at" IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("user_id", "word", "category") DO UPDATE SET "items" = counts."items" + excluded."items";
  ELSE
    -- Only items moved into or out of the feed, to another person or category, or with another text
    -- change words: the rest (reading, unreading) cancel out before their words are read.
    INSERT INTO "notifications"."feed_word_counts" AS counts ("user_id", "word", "category", "items")
    SELECT "user_id", "word", "category", sum("change") FROM (
      SELECT "user_id", "category", "search", sum("change") AS "change" FROM (
        SELECT "user_id", "category", "search", -1 AS "change" FROM old_items WHERE "archived_at" IS NULL
        UNION ALL
        SELECT "user_id", "category", "search", 1 FROM new_items WHERE "archived_at" IS NULL
      ) AS "both" GROUP BY 1, 2, 3 HAVING sum("change") <> 0
    ) AS "moved", notifications.counted_words("search") AS "word"
    GROUP BY 1, 2, 3 HAVING sum("change") <> 0 ORDER BY 1, 2, 3
    ON CONFLICT ("user_id", "word", "category") DO UPDATE SET "items" = counts."items" + excluded."items";
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Named after items_counted_*, so they fire after them: every writer locks feed_counts, then these rows.
CREATE TRIGGER "items_words_counted_insert" AFTER INSERT ON "notifications"."items" REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION "notifications"."count_feed_words"();--> statement-breakpoint
CREATE TRIGGER "items_words_counted_update" AFTER UPDATE ON "notifications"."items" REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION "notifications"."count_feed_words"();--> statement-breakpoint
CREATE TRIGGER "items_words_counted_delete" AFTER DELETE ON "notifications"."items" REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION "notifications"."count_feed_words"();--> statement-breakpoint
LOCK TABLE "notifications"."items" IN SHARE MODE;--> statement-breakpoint
INSERT INTO "notifications"."feed_word_counts" ("user_id", "word", "category", "items")
SELECT "user_id", "word", "category", count(*) FROM "notifications"."items", notifications.counted_words("search") AS "word" WHERE "archived_at" IS NULL GROUP BY 1, 2, 3;
