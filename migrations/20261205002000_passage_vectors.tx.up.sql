-- Passage vectors (the offline embedder's): each cached item's passages as
-- sparse vectors of hashed words, kept beside its embedding, and again in
-- search_passages without the rows' text for the vector leg to scan;
-- passage_words lists the item's distinct words (sparsevec indices, from 1),
-- for the GIN index that finds the items holding a query's rarer words and
-- for search_passage_words, which counts per user and service how many
-- items hold each word (its rarity). Rows embedded before have none: the
-- offline embedder's model changed with them, so the reembed job gives
-- every such row its passages.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['gmail_cache', 'gcal_cache', 'gdrive_cache'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN passages sparsevec(1048576)[], ADD COLUMN passage_words integer[]', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN passages SET STORAGE EXTERNAL', t);
        EXECUTE format('CREATE INDEX %I ON %I USING gin (passage_words)', t || '_passage_words_idx', t);
    END LOOP;
END
$$;

CREATE TABLE search_passages (
    user_id uuid                NOT NULL,
    service text                NOT NULL,
    item_id uuid                NOT NULL,
    passage smallint            NOT NULL,
    terms   sparsevec(1048576)  NOT NULL,
    PRIMARY KEY (user_id, service, item_id, passage)
);

-- df counts the items holding the word numbered slot; slot 0 counts the
-- items with passages.
CREATE TABLE search_passage_words (
    user_id uuid    NOT NULL,
    service text    NOT NULL,
    slot    integer NOT NULL,
    df      integer NOT NULL,
    PRIMARY KEY (user_id, service, slot)
);

-- search_count_passage_words adds sign to the count of each word of each
-- item (parallel arrays, one element per item and word), in slot order so
-- that concurrent writers of a user lock rows in one order.
CREATE FUNCTION search_count_passage_words(svc text, users uuid[], slots integer[], signs integer[]) RETURNS bigint
LANGUAGE sql AS $$
    WITH c AS (
        INSERT INTO search_passage_words AS t (user_id, service, slot, df)
        SELECT user_id, svc, slot, sum(sign) FROM unnest(users, slots, signs) AS x(user_id, slot, sign)
        GROUP BY user_id, slot HAVING sum(sign) <> 0 ORDER BY user_id, slot
        ON CONFLICT (user_id, service, slot) DO UPDATE SET df = t.df + excluded.df
        RETURNING 1
    )
    SELECT count(*) FROM c
$$;

-- search_index_passages keeps search_passages and search_passage_words in
-- step with a cache table's passages; the service is the trigger's argument.
-- Updates that leave passages alone (labels, unread) touch nothing.
CREATE FUNCTION search_index_passages() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    svc text := TG_ARGV[0];
    n   bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_passages (user_id, service, item_id, passage, terms)
        SELECT r.user_id, svc, r.id, p.i - 1, p.terms
        FROM new_rows r, unnest(r.passages) WITH ORDINALITY AS p(terms, i);
        SELECT search_count_passage_words(svc, array_agg(r.user_id), array_agg(w.slot), array_agg(1)) INTO n
        FROM new_rows r, unnest(r.passage_words || 0) AS w(slot) WHERE r.passages IS NOT NULL;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM search_passages p USING old_rows r
        WHERE p.user_id = r.user_id AND p.service = svc AND p.item_id = r.id AND r.passages IS NOT NULL;
        SELECT search_count_passage_words(svc, array_agg(r.user_id), array_agg(w.slot), array_agg(-1)) INTO n
        FROM old_rows r, unnest(r.passage_words || 0) AS w(slot) WHERE r.passages IS NOT NULL;
    ELSE
        DELETE FROM search_passages p USING new_rows r JOIN old_rows o ON o.id = r.id
        WHERE r.passages IS DISTINCT FROM o.passages AND p.user_id = r.user_id AND p.service = svc AND p.item_id = r.id;
        WITH changed AS (
            SELECT r.id, r.user_id, r.passages, r.passage_words AS words, o.passage_words AS old_words,
                   o.passages IS NOT NULL AS had, r.passages IS NOT NULL AS has
            FROM new_rows r JOIN old_rows o ON o.id = r.id WHERE r.passages IS DISTINCT FROM o.passages
        ), added AS (
            INSERT INTO search_passages (user_id, service, item_id, passage, terms)
            SELECT c.user_id, svc, c.id, p.i - 1, p.terms FROM changed c, unnest(c.passages) WITH ORDINALITY AS p(terms, i)
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

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('gmail_cache', 'gmail'), ('gcal_cache', 'calendar'), ('gdrive_cache', 'drive')) v (tbl, svc) LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_index_passages(%L)',
            t.tbl || '_search_index_passages_ins', t.tbl, t.svc);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_index_passages(%L)',
            t.tbl || '_search_index_passages_upd', t.tbl, t.svc);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_index_passages(%L)',
            t.tbl || '_search_index_passages_del', t.tbl, t.svc);
    END LOOP;
END
$$;
