-- Search index: BM25 postings and per-user statistics, and the names people
-- appear under, kept in step with the workspace caches by statement triggers.

-- One row per (user, lexeme, item): the lexeme's frequency in each weighted
-- field of the item's `search` tsvector (A title, B people, C body) and the
-- item's length in tokens. The primary key is the BM25 access path: every
-- posting of a query lexeme for one user, read from the index alone.
CREATE TABLE search_postings (
    user_id uuid     NOT NULL,
    term    text     COLLATE "C" NOT NULL,
    item_id uuid     NOT NULL,
    service text     NOT NULL,
    tf_a    smallint NOT NULL,
    tf_b    smallint NOT NULL,
    tf_c    smallint NOT NULL,
    doc_len integer  NOT NULL,
    PRIMARY KEY (user_id, term, item_id) INCLUDE (service, tf_a, tf_b, tf_c, doc_len)
);

-- Per user and service: how many items are indexed and their summed length,
-- for BM25's N and average document length.
CREATE TABLE search_stats (
    user_id   uuid   NOT NULL,
    service   text   NOT NULL,
    docs      bigint NOT NULL DEFAULT 0,
    total_len bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, service)
);

-- Every (address, display name) a user's mail and events show, with the
-- lower-case words of both, to resolve "from Sarah" to addresses.
CREATE TABLE search_people (
    user_id uuid    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    address text    NOT NULL,
    name    text    NOT NULL,
    words   text[]  NOT NULL,
    seen    integer NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, address, name)
);
CREATE INDEX search_people_words_idx ON search_people USING gin (words);

-- The embeddings again, without the rows' text: the unfiltered vector leg
-- scans one user's vectors exactly, and reading 1 KB rows beats reading the
-- cache rows (bodies inline) several times over.
CREATE TABLE search_vectors (
    user_id   uuid        NOT NULL,
    service   text        NOT NULL,
    item_id   uuid        NOT NULL,
    embedding vector(256) NOT NULL,
    PRIMARY KEY (user_id, service, item_id)
);
ALTER TABLE search_vectors ALTER COLUMN embedding SET STORAGE PLAIN;

-- search_words splits a name and an address's local part into lower-case
-- words; the whole address is a word too.
CREATE FUNCTION search_words(name text, address text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT w), '{}') FROM (
        SELECT unnest(regexp_split_to_array(lower(coalesce(name, '') || ' ' || split_part(coalesce(address, ''), '@', 1)), '[^[:alnum:]'']+')) AS w
        UNION ALL SELECT lower(address) WHERE coalesce(address, '') <> ''
    ) ws WHERE w <> ''
$$;

-- search_add indexes items (parallel arrays of ids, owners and tsvectors).
CREATE FUNCTION search_add(svc text, ids uuid[], users uuid[], vecs tsvector[]) RETURNS void
LANGUAGE sql AS $$
    WITH docs AS (
        SELECT d.id, d.user_id, d.vec,
               (SELECT coalesce(sum(cardinality(u.weights)), 0) FROM unnest(d.vec) u)::int AS len
        FROM unnest(ids, users, vecs) AS d(id, user_id, vec)
    ), posted AS (
        INSERT INTO search_postings (user_id, term, item_id, service, tf_a, tf_b, tf_c, doc_len)
        SELECT d.user_id, u.lexeme, d.id, svc, f.a, f.b, f.c, d.len
        FROM docs d, unnest(d.vec) u,
             LATERAL (SELECT least(count(*) FILTER (WHERE w = 'A'), 32767)::smallint AS a,
                             least(count(*) FILTER (WHERE w = 'B'), 32767)::smallint AS b,
                             least(count(*) FILTER (WHERE w IN ('C', 'D')), 32767)::smallint AS c
                      FROM unnest(u.weights) w) f
        RETURNING 1
    )
    INSERT INTO search_stats AS s (user_id, service, docs, total_len)
    SELECT user_id, svc, count(*), sum(len) FROM docs GROUP BY user_id
    ON CONFLICT (user_id, service) DO UPDATE
        SET docs = s.docs + excluded.docs, total_len = s.total_len + excluded.total_len
$$;

-- search_remove forgets items indexed by search_add with the same tsvectors.
CREATE FUNCTION search_remove(svc text, ids uuid[], users uuid[], vecs tsvector[]) RETURNS void
LANGUAGE sql AS $$
    WITH docs AS (
        SELECT d.id, d.user_id, d.vec,
               (SELECT coalesce(sum(cardinality(u.weights)), 0) FROM unnest(d.vec) u)::int AS len
        FROM unnest(ids, users, vecs) AS d(id, user_id, vec)
    ), removed AS (
        DELETE FROM search_postings p
        USING docs d, unnest(tsvector_to_array(d.vec)) AS t(term)
        WHERE p.user_id = d.user_id AND p.term = t.term COLLATE "C" AND p.item_id = d.id
        RETURNING 1
    )
    UPDATE search_stats s SET docs = s.docs - g.n, total_len = s.total_len - g.len
    FROM (SELECT user_id, count(*) AS n, sum(len) AS len FROM docs GROUP BY user_id) g
    WHERE s.user_id = g.user_id AND s.service = svc
$$;

-- search_index_rows keeps postings and statistics in step with a cache table;
-- the service is the trigger's argument. Updates that leave `search` alone
-- (labels, unread, embeddings) touch nothing.
CREATE FUNCTION search_index_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    svc text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM search_add(svc, array_agg(id), array_agg(user_id), array_agg(search)) FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM search_remove(svc, array_agg(id), array_agg(user_id), array_agg(search)) FROM old_rows;
    ELSE
        PERFORM search_remove(svc, array_agg(o.id), array_agg(o.user_id), array_agg(o.search))
        FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.search IS DISTINCT FROM o.search;
        PERFORM search_add(svc, array_agg(n.id), array_agg(n.user_id), array_agg(n.search))
        FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.search IS DISTINCT FROM o.search;
    END IF;
    RETURN NULL;
END
$$;

-- search_index_vectors keeps search_vectors in step with a cache table's
-- embeddings; the service is the trigger's argument.
CREATE FUNCTION search_index_vectors() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    svc text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_vectors v USING old_rows o
        WHERE v.user_id = o.user_id AND v.service = svc AND v.item_id = o.id;
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM search_vectors v USING old_rows o JOIN new_rows n ON n.id = o.id
        WHERE v.user_id = o.user_id AND v.service = svc AND v.item_id = o.id
          AND n.embedding IS NULL AND o.embedding IS NOT NULL;
        INSERT INTO search_vectors (user_id, service, item_id, embedding)
        SELECT n.user_id, svc, n.id, n.embedding FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE n.embedding IS NOT NULL AND n.embedding IS DISTINCT FROM o.embedding
        ON CONFLICT (user_id, service, item_id) DO UPDATE SET embedding = excluded.embedding;
    ELSE
        INSERT INTO search_vectors (user_id, service, item_id, embedding)
        SELECT n.user_id, svc, n.id, n.embedding FROM new_rows n WHERE n.embedding IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;

-- search_add_people records who a user's new or changed mail and events name.
CREATE FUNCTION search_add_people() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'gmail_cache' THEN
        INSERT INTO search_people AS p (user_id, address, name, words, seen)
        SELECT user_id, address, name, search_words(name, address), count(*) FROM (
            SELECT user_id, lower(sender) AS address, sender_name AS name FROM new_rows WHERE sender <> ''
            UNION ALL
            SELECT n.user_id, lower(coalesce(r->>'email', r->>'Email', '')), coalesce(r->>'name', r->>'Name', '')
            FROM new_rows n, jsonb_array_elements(CASE jsonb_typeof(n.recipients) WHEN 'array' THEN n.recipients ELSE '[]' END) r
        ) x WHERE address <> '' GROUP BY user_id, address, name
        ON CONFLICT (user_id, address, name) DO UPDATE SET seen = p.seen + excluded.seen;
    ELSE
        INSERT INTO search_people AS p (user_id, address, name, words, seen)
        SELECT user_id, address, name, search_words(name, address), count(*) FROM (
            SELECT n.user_id, lower(coalesce(a->>'email', a->>'Email', '')) AS address,
                   coalesce(a->>'displayName', a->>'name', a->>'Name', '') AS name
            FROM new_rows n, jsonb_array_elements(CASE jsonb_typeof(n.attendees) WHEN 'array' THEN n.attendees ELSE '[]' END) a
        ) x WHERE address <> '' GROUP BY user_id, address, name
        ON CONFLICT (user_id, address, name) DO UPDATE SET seen = p.seen + excluded.seen;
    END IF;
    RETURN NULL;
END
$$;

-- Each cache table's triggers: postings and vectors for all three, people
-- for mail and events (files name no one but their owners).
DO $$
DECLARE
    t record;
    fn text;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('gmail_cache', 'gmail'), ('gcal_cache', 'calendar'), ('gdrive_cache', 'drive')) v (tbl, svc) LOOP
        FOREACH fn IN ARRAY ARRAY['search_index_rows', 'search_index_vectors'] LOOP
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I(%L)',
                t.tbl || '_' || fn || '_ins', t.tbl, fn, t.svc);
            EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I(%L)',
                t.tbl || '_' || fn || '_upd', t.tbl, fn, t.svc);
            EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I(%L)',
                t.tbl || '_' || fn || '_del', t.tbl, fn, t.svc);
        END LOOP;
        IF t.svc <> 'drive' THEN
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_add_people()',
                t.tbl || '_people_ins', t.tbl);
            EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_add_people()',
                t.tbl || '_people_upd', t.tbl);
        END IF;
    END LOOP;
END
$$;
