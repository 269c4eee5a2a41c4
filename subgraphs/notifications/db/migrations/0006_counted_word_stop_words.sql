-- A query of stop words only (`и`, `и в`) is empty: its text '' gave substr a negative length, and
-- its lexeme '' array_to_tsvector an empty string. The planner folds such constant calls before
-- any WHERE that would exclude them, so the search failed (22011, 2200F); CASE is folded first.
CREATE OR REPLACE FUNCTION "notifications"."counted_word"("query" tsquery) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT "word" FROM (
    SELECT CASE WHEN numnode("query") = 1 AND "text" LIKE '''%''' AND length("text") > 2
      THEN replace(replace(substr("text", 2, length("text") - 2), '''''', ''''), '\\', '\') END AS "lexeme"
    FROM (SELECT "query"::text AS "text") AS "quoted"
  ) AS "one", notifications.counted_words(CASE WHEN "lexeme" <> '' THEN array_to_tsvector(ARRAY["lexeme"]) END) AS "word"
$$;
