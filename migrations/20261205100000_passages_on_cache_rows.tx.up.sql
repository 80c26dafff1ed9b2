-- Passages are kept once, on the cache rows: the vector leg scores a
-- candidate's passages from the row it already reads to find the candidate
-- (about as fast as from search_passages, measured under load on
-- make bench-search), so search_passages, a second copy (4.5 KB of rows
-- and 0.9 KB of primary key per item there), goes. The GIN indexes on
-- passage_words take the user as their first column (btree_gin): a common
-- word's entry then no longer hands over every user's items for the user
-- filter to drop (60,500 row ids read for one user's 3,025 on the bench's
-- 20 users). Words no item holds any more lose their counting rows.
CREATE EXTENSION IF NOT EXISTS btree_gin;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['gmail_cache', 'gcal_cache', 'gdrive_cache'] LOOP
        EXECUTE format('DROP INDEX %I', t || '_passage_words_idx');
        EXECUTE format('CREATE INDEX %I ON %I USING gin (user_id, passage_words)', t || '_user_passage_words_idx', t);
    END LOOP;
END
$$;

DROP TABLE search_passages;
DELETE FROM search_passage_words WHERE df = 0;

-- search_count_passage_words adds sign to the count of each word of each
-- item (parallel arrays, one element per item and word), in slot order so
-- that concurrent writers of a user lock rows in one order, and deletes the
-- rows of words no item holds now.
CREATE OR REPLACE FUNCTION search_count_passage_words(svc text, users uuid[], slots integer[], signs integer[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    n       bigint;
    z_users uuid[];
    z_slots integer[];
BEGIN
    WITH c AS (
        INSERT INTO search_passage_words AS t (user_id, service, slot, df)
        SELECT user_id, svc, slot, sum(sign) FROM unnest(users, slots, signs) AS x(user_id, slot, sign)
        GROUP BY user_id, slot HAVING sum(sign) <> 0 ORDER BY user_id, slot
        ON CONFLICT (user_id, service, slot) DO UPDATE SET df = t.df + excluded.df
        RETURNING t.user_id, t.slot, t.df
    )
    SELECT count(*), array_agg(c.user_id) FILTER (WHERE c.df = 0), array_agg(c.slot) FILTER (WHERE c.df = 0)
    INTO n, z_users, z_slots FROM c;
    IF z_slots IS NOT NULL THEN
        DELETE FROM search_passage_words t USING unnest(z_users, z_slots) AS z(user_id, slot)
        WHERE t.user_id = z.user_id AND t.service = svc AND t.slot = z.slot AND t.df = 0;
    END IF;
    RETURN n;
END
$$;

-- search_index_passages keeps search_passage_words in step with a cache
-- table's passage_words; the service is the trigger's argument. Updates
-- that leave the words alone (labels, unread, a re-embedding with the same
-- words) touch nothing.
CREATE OR REPLACE FUNCTION search_index_passages() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    svc text := TG_ARGV[0];
    n   bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT search_count_passage_words(svc, array_agg(r.user_id), array_agg(w.slot), array_agg(1)) INTO n
        FROM new_rows r, unnest(r.passage_words || 0) AS w(slot) WHERE r.passages IS NOT NULL;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT search_count_passage_words(svc, array_agg(r.user_id), array_agg(w.slot), array_agg(-1)) INTO n
        FROM old_rows r, unnest(r.passage_words || 0) AS w(slot) WHERE r.passages IS NOT NULL;
    ELSE
        WITH changed AS (
            SELECT r.user_id, r.passage_words AS words, o.passage_words AS old_words,
                   o.passages IS NOT NULL AS had, r.passages IS NOT NULL AS has
            FROM new_rows r JOIN old_rows o ON o.id = r.id
            WHERE r.passage_words IS DISTINCT FROM o.passage_words OR (r.passages IS NULL) <> (o.passages IS NULL)
        )
        SELECT search_count_passage_words(svc, array_agg(d.user_id), array_agg(d.slot), array_agg(d.sign)) INTO n FROM (
            SELECT c.user_id, w.slot, -1 AS sign FROM changed c, unnest(c.old_words || 0) AS w(slot) WHERE c.had
            UNION ALL
            SELECT c.user_id, w.slot, 1 FROM changed c, unnest(c.words || 0) AS w(slot) WHERE c.has
        ) d;
    END IF;
    RETURN NULL;
END
$$;
