DO $$
DECLARE
    t text;
    op text;
BEGIN
    FOREACH t IN ARRAY ARRAY['gmail_cache', 'gcal_cache', 'gdrive_cache'] LOOP
        FOREACH op IN ARRAY ARRAY['ins', 'upd', 'del'] LOOP
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_search_index_passages_' || op, t);
        END LOOP;
        EXECUTE format('ALTER TABLE %I DROP COLUMN IF EXISTS passages, DROP COLUMN IF EXISTS passage_words', t);
    END LOOP;
END
$$;
DROP FUNCTION IF EXISTS search_index_passages();
DROP FUNCTION IF EXISTS search_count_passage_words(text, uuid[], integer[], integer[]);
DROP TABLE IF EXISTS search_passage_words;
DROP TABLE IF EXISTS search_passages;
