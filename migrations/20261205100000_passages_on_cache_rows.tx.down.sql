-- Back to passages kept twice (search_passages filled from the cache rows)
-- and GIN indexes on passage_words alone; btree_gin stays, as extensions do.
CREATE OR REPLACE FUNCTION search_index_passages() RETURNS trigger
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

CREATE OR REPLACE FUNCTION search_count_passage_words(svc text, users uuid[], slots integer[], signs integer[]) RETURNS bigint
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

CREATE TABLE search_passages (
    user_id uuid                NOT NULL,
    service text                NOT NULL,
    item_id uuid                NOT NULL,
    passage smallint            NOT NULL,
    terms   sparsevec(1048576)  NOT NULL,
    PRIMARY KEY (user_id, service, item_id, passage)
);

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('gmail_cache', 'gmail'), ('gcal_cache', 'calendar'), ('gdrive_cache', 'drive')) v (tbl, svc) LOOP
        EXECUTE format('INSERT INTO search_passages (user_id, service, item_id, passage, terms)
            SELECT r.user_id, %L, r.id, p.i - 1, p.terms FROM %I r, unnest(r.passages) WITH ORDINALITY AS p(terms, i)', t.svc, t.tbl);
        EXECUTE format('DROP INDEX %I', t.tbl || '_user_passage_words_idx');
        EXECUTE format('CREATE INDEX %I ON %I USING gin (passage_words)', t.tbl || '_passage_words_idx', t.tbl);
    END LOOP;
END
$$;
